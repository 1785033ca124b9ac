// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/** Which VMA the pointer is on and which one the user picked; every view highlights them. */
export interface SelectionSlice {
  /** Id of the VMA under the pointer, or null. */
  hoveredVma: number | null;
  /** Id of the VMA the user selected, or null; it stays selected across steps while it exists. */
  selectedVma: number | null;
  hoverVma(id: number | null): void;
  /** Selects a VMA, or clears the selection when it is already selected. */
  toggleVma(id: number): void;
}

export const createSelectionSlice: StateCreator<AppState, [], [], SelectionSlice> = (set, get) => ({
  hoveredVma: null,
  selectedVma: null,
  hoverVma: (id) => {
    if (get().hoveredVma !== id) set({ hoveredVma: id });
  },
  toggleVma: (id) => set({ selectedVma: get().selectedVma === id ? null : id }),
});
