// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { Diagnostic } from '../engine';
import type { AppState } from './app-store';

export interface ScenarioSlice {
  /** What the user typed. */
  text: string;
  /** Problems with the last text that was run; the timeline stays as it was. */
  diagnostics: Diagnostic[];
  setText(text: string): void;
}

export const createScenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = (set) => ({
  text: '',
  diagnostics: [],
  setText: (text) => set({ text }),
});
