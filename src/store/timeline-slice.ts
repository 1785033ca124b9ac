// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { Timeline } from '../engine';
import type { AppState, EnginePort } from './app-store';

export type EngineStatus = 'idle' | 'running';

export interface TimelineSlice {
  /** The last good run, kept when a later run fails to parse. */
  timeline: Timeline | null;
  /** Index into `timeline.steps` of the step on screen. */
  cursor: number;
  status: EngineStatus;
  /** Runs the scenario text; on bad input only `diagnostics` change. */
  run(): Promise<void>;
  goTo(step: number): void;
  first(): void;
  back(): void;
  forward(): void;
  last(): void;
}

export const createTimelineSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], TimelineSlice> =>
  (set, get) => ({
    timeline: null,
    cursor: 0,
    status: 'idle',
    async run() {
      set({ status: 'running' });
      try {
        const result = await engine.run(get().text);
        if (result.ok) {
          const steps = result.timeline.steps.length;
          set({ timeline: result.timeline, cursor: steps - 1, diagnostics: [] });
        } else {
          set({ diagnostics: result.diagnostics });
        }
      } finally {
        set({ status: 'idle' });
      }
    },
    goTo(step) {
      const n = get().timeline?.steps.length ?? 0;
      if (n === 0) return;
      set({ cursor: Math.max(0, Math.min(n - 1, step)) });
    },
    first: () => get().goTo(0),
    back: () => get().goTo(get().cursor - 1),
    forward: () => get().goTo(get().cursor + 1),
    last: () => get().goTo(Number.MAX_SAFE_INTEGER),
  });
