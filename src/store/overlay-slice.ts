// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/** The Keys overlay, opened by `?` or its button. */
export interface OverlaySlice {
  keysShown: boolean;
  showKeys(on: boolean): void;
}

export const createOverlaySlice: StateCreator<AppState, [], [], OverlaySlice> = (set) => ({
  keysShown: false,
  showKeys: (keysShown) => set({ keysShown }),
});
