// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel profile runs model: linux-6.18 until the user loads another (a
// machine's, written by `npm run judge -- --write-profile`) or a link names
// one. Changing it re-runs the scenario on screen, so the views always show
// what that kernel does.
import type { StateCreator } from 'zustand';
import {
  LINUX_6_18,
  NAMED_PROFILES,
  parseKernelProfile,
  profileDifferences,
  type KernelProfile,
} from '../engine';
import type { AppState } from './app-store';

export interface KernelSlice {
  /** The profile the next run models (the timeline's is `timelineKernel`). */
  kernel: KernelProfile;
  /** Profiles loaded from files or links, offered beside the named ones; one a name. */
  loadedKernels: readonly KernelProfile[];
  /** Why the last profile offered was refused; the profile in use stayed. */
  kernelMessage: string | null;
  /** Offers a profile beside the named ones (one of a name already offered replaces it). */
  addKernel(profile: KernelProfile): void;
  /** Models `profile` from now on and re-runs the scenario on screen under it. */
  setKernel(profile: KernelProfile): Promise<void>;
  /** Reads a profile document the user chose; a bad one is reported by file and field. */
  loadKernelFile(fileName: string, text: string): Promise<void>;
  /** Says why a profile offered elsewhere (a link) was refused. */
  refuseKernel(message: string): void;
  dismissKernelMessage(): void;
}

/** The named profile `profile` is, setting for setting, or null. */
export function namedKernel(profile: KernelProfile): KernelProfile | null {
  if (!Object.hasOwn(NAMED_PROFILES, profile.name)) return null;
  const named = NAMED_PROFILES[profile.name];
  const same =
    named === profile ||
    (named.description === profile.description && profileDifferences(named, profile).length === 0);
  return same ? named : null;
}

export const createKernelSlice: StateCreator<AppState, [], [], KernelSlice> = (set, get) => ({
  kernel: LINUX_6_18,
  loadedKernels: [],
  kernelMessage: null,
  addKernel(profile) {
    if (namedKernel(profile)) return;
    const loaded = get().loadedKernels;
    const at = loaded.findIndex((k) => k.name === profile.name);
    if (at < 0) set({ loadedKernels: [...loaded, profile] });
    // In its place: the list a user picks from does not reorder itself.
    else if (loaded[at] !== profile) set({ loadedKernels: loaded.with(at, profile) });
  },
  async setKernel(profile) {
    const kernel = namedKernel(profile) ?? profile;
    get().addKernel(kernel);
    set({ kernel, kernelMessage: null });
    await get().rerun();
  },
  async loadKernelFile(fileName, text) {
    const parsed = parseKernelProfile(text);
    if (parsed.ok) return get().setKernel(parsed.profile);
    get().refuseKernel(`${fileName}: ${parsed.message}`);
  },
  dismissKernelMessage: () => set({ kernelMessage: null }),
  refuseKernel(message) {
    set({
      kernelMessage: `Could not use the kernel profile ${message}. Still modelling ${get().kernel.name}.`,
    });
  },
});
