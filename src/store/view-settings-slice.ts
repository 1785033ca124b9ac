// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export type Theme = 'light' | 'dark';

/** How the views show things, independent of the scenario. */
export interface ViewSettingsSlice {
  /** The maps table shows each VMA's smaps VmFlags line too. */
  showSmaps: boolean;
  setShowSmaps(on: boolean): void;
  /** Colours of every view; the page starts with the system's preference. */
  theme: Theme;
  setTheme(theme: Theme): void;
}

export const createViewSettingsSlice: StateCreator<AppState, [], [], ViewSettingsSlice> = (
  set,
) => ({
  showSmaps: false,
  setShowSmaps: (showSmaps) => set({ showSmaps }),
  theme: 'light',
  setTheme: (theme) => set({ theme }),
});
