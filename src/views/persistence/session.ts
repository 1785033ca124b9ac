// SPDX-License-Identifier: GPL-2.0-or-later
// Where the app's scenario comes from when it opens, and where it is kept:
// a shared link (the URL) first, then what this browser autosaved, then the
// default example. The autosave is written synchronously when the page goes
// away, so a reload finds the newest state even when the URL (written a
// moment later, after compressing) has not caught up; a draft typed but not
// run is kept too, and so are the kernel profile chosen and those loaded.
import type { StoreApi } from 'zustand';
import {
  LINUX_6_18,
  kernelProfileJson,
  parseKernelProfile,
  type KernelProfile,
} from '../../engine';
import type { AppState } from '../../store/app-store';
import { DEFAULT_EXAMPLE, fetchExample } from '../examples/examples';
import { decodeUrlState, encodeUrlState } from './url-state';

export const AUTOSAVE_KEY = 'vma-explorer:autosave';
const DELAY_MS = 250;

interface Autosave {
  /** The editor's text, run or not, and the starting maps. */
  text: string;
  startMaps: string;
  /** The scenario on screen and its step. */
  shown: string | null;
  cursor: number;
  /** The location hash when this was saved: equal on a reload of this tab. */
  hash: string;
  /** The kernel profile chosen, and those loaded from files. */
  kernel: KernelProfile;
  loadedKernels: KernelProfile[];
}

/** As kept in storage: the profiles as their documents, read back through parseKernelProfile. */
type StoredAutosave = Omit<Autosave, 'kernel' | 'loadedKernels'> & {
  kernel: string;
  loadedKernels: string[];
};

/** A saved profile document, or null for anything else. */
function savedKernel(doc: unknown): KernelProfile | null {
  if (typeof doc !== 'string') return null;
  const parsed = parseKernelProfile(doc);
  return parsed.ok ? parsed.profile : null;
}

function readAutosave(storage: Storage): Autosave | null {
  try {
    const v = JSON.parse(storage.getItem(AUTOSAVE_KEY) ?? 'null') as Partial<StoredAutosave> | null;
    if (!v || typeof v.text !== 'string' || typeof v.hash !== 'string') return null;
    return {
      text: v.text,
      startMaps: typeof v.startMaps === 'string' ? v.startMaps : '',
      shown: typeof v.shown === 'string' ? v.shown : null,
      cursor: Number.isInteger(v.cursor) ? (v.cursor as number) : 0,
      hash: v.hash,
      kernel: savedKernel(v.kernel) ?? LINUX_6_18,
      loadedKernels: Array.isArray(v.loadedKernels)
        ? v.loadedKernels.map(savedKernel).filter((k) => k !== null)
        : [],
    };
  } catch {
    return null;
  }
}

export async function restoreSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  storage: Storage = window.localStorage,
): Promise<void> {
  const s = store.getState;
  const saved = readAutosave(storage);
  // The profiles this browser loaded stay on offer, whatever opens.
  for (const k of saved?.loadedKernels ?? []) s().addKernel(k);
  const show = async (
    text: string,
    startMaps: string,
    cursor: number | null,
    draft: string,
    kernel: KernelProfile,
  ) => {
    s().setText(text);
    s().setStartMaps(startMaps);
    await s().setKernel(kernel);
    await s().run({ cursor: cursor ?? undefined });
    s().setText(draft);
  };
  const fromAutosave = (a: Autosave) =>
    show(a.shown ?? a.text, a.startMaps, a.shown === null ? null : a.cursor, a.text, a.kernel);
  // A reload of this tab: the autosave is at least as new as the URL.
  if (saved && saved.hash === location.hash && (saved.shown !== null || location.hash === '')) {
    return fromAutosave(saved);
  }
  const shared = await decodeUrlState(location.hash);
  if (shared) {
    await show(shared.text, shared.startMaps, shared.cursor, shared.text, shared.kernel);
    // A link whose profile cannot be used runs on linux-6.18, and says so.
    if (shared.kernelProblem) s().refuseKernel(`in this link: ${shared.kernelProblem}`);
    return;
  }
  if (saved) return fromAutosave(saved);
  const example = await fetchExample(DEFAULT_EXAMPLE);
  return show(example, '', null, example, LINUX_6_18);
}

/** Keeps the URL and the autosave up to date; returns a function that stops it. */
export function persistSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  history: History = window.history,
  storage: Storage = window.localStorage,
): () => void {
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let written = 0;

  const writeUrl = () => {
    const { timelineText, timelineStartMaps, timelineKernel, cursor } = store.getState();
    if (timelineText === null) return;
    const ticket = ++written;
    void encodeUrlState({
      text: timelineText,
      cursor,
      startMaps: timelineStartMaps,
      kernel: timelineKernel,
    }).then((hash) => {
      // A later write may have finished first; only the newest counts.
      if (ticket !== written) return;
      history.replaceState(null, '', `#${hash}`);
      save();
    });
  };
  const save = () => {
    const { text, startMaps, timelineText, cursor, kernel, loadedKernels } = store.getState();
    const value: StoredAutosave = {
      text,
      startMaps,
      shown: timelineText,
      cursor,
      hash: location.hash,
      kernel: kernelProfileJson(kernel),
      loadedKernels: loadedKernels.map(kernelProfileJson),
    };
    try {
      storage.setItem(AUTOSAVE_KEY, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the URL still keeps the scenario on screen.
    }
  };

  const unsubscribe = store.subscribe((state, prev) => {
    if (
      state.timelineText !== prev.timelineText ||
      state.timelineStartMaps !== prev.timelineStartMaps ||
      state.timelineKernel !== prev.timelineKernel ||
      state.cursor !== prev.cursor
    ) {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeUrl, DELAY_MS);
    }
    if (state !== prev) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, DELAY_MS);
    }
  });
  writeUrl();
  const flush = () => save();
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
    window.removeEventListener('pagehide', flush);
  };
}
