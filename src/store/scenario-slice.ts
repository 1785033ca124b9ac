// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { Diagnostic } from '../engine';
import type { AppState } from './app-store';

export interface ScenarioSlice {
  /** What the user typed. */
  text: string;
  /** A /proc/PID/maps or smaps dump to start from; empty for an empty address space. */
  startMaps: string;
  setStartMaps(text: string): void;
  /** Problems with the last text that was run; the timeline stays as it was. */
  diagnostics: Diagnostic[];
  setText(text: string): void;
}

export const createScenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = (set) => ({
  text: '',
  startMaps: '',
  diagnostics: [],
  setText: (text) => set({ text }),
  setStartMaps: (startMaps) => set({ startMaps }),
});
