// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { Timeline } from '../engine';
import type { AppState, EnginePort } from './app-store';

/** `starting` until the opening scenario (link, autosave or example) is on screen. */
export type EngineStatus = 'starting' | 'idle' | 'running';

/** Whether a step moves one internal step or one whole system call. */
export type StepLevel = 'step' | 'call';

export interface TimelineSlice {
  /** The last good run, kept when a later run fails. */
  timeline: Timeline | null;
  /** The scenario text `timeline` came from, replayed if the worker restarts. */
  timelineText: string | null;
  /** Index into `timeline.steps` of the step on screen. */
  cursor: number;
  status: EngineStatus;
  /** Why the last run did not replace the timeline, other than bad input. */
  engineMessage: string | null;
  /** Runs the scenario text; `cursor` picks the step to show (default: the last). */
  run(options?: { cursor?: number }): Promise<void>;
  /** Stops a run under way; the previous timeline stays. */
  cancel(): void;
  /** The opening scenario is on screen (or could not be opened): the app is ready. */
  started(): void;
  /** After the worker crashed while idle: replay the timeline's text to the same step. */
  recover(): Promise<void>;
  goTo(step: number): void;
  first(): void;
  back(level?: StepLevel): void;
  forward(level?: StepLevel): void;
  last(): void;
}

function stopReason(e: unknown): string | null {
  const reason = (e as { reason?: unknown } | null)?.reason;
  return reason === 'cancelled' || reason === 'crashed' ? reason : null;
}

export const createTimelineSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], TimelineSlice> =>
  (set, get) => {
    async function runText(text: string, cursor: number | undefined): Promise<void> {
      set({ status: 'running', engineMessage: null, playing: false });
      try {
        const reply = await engine.run(text);
        if (reply.ok) {
          const n = reply.timeline.steps.length;
          const at = cursor === undefined ? n - 1 : Math.max(0, Math.min(n - 1, cursor));
          set({ timeline: reply.timeline, timelineText: text, cursor: at, diagnostics: [] });
        } else if ('crash' in reply) {
          set({ engineMessage: `The engine failed on this scenario: ${reply.crash}` });
        } else {
          set({ diagnostics: reply.diagnostics });
        }
      } catch (e) {
        const reason = stopReason(e);
        if (reason === null) throw e;
        set({
          engineMessage:
            reason === 'cancelled'
              ? 'Run cancelled.'
              : 'The engine worker crashed and was restarted.',
        });
      } finally {
        set({ status: 'idle' });
      }
    }

    /** Index of the step that ends each call, to step by whole system calls. */
    const callEnds = (): number[] => get().timeline?.calls.map((c) => c.lastStep) ?? [];

    return {
      timeline: null,
      timelineText: null,
      cursor: 0,
      status: 'starting',
      engineMessage: null,
      run: (options) => runText(get().text, options?.cursor),
      cancel: () => engine.cancel(),
      started: () => {
        if (get().status === 'starting') set({ status: 'idle' });
      },
      async recover() {
        const { timelineText, cursor } = get();
        if (timelineText === null) return;
        await runText(timelineText, cursor);
        if (get().engineMessage === null) {
          set({
            engineMessage: 'The engine worker crashed; it was restarted and replayed to this step.',
          });
        }
      },
      goTo(step) {
        const n = get().timeline?.steps.length ?? 0;
        if (n === 0) return;
        set({ cursor: Math.max(0, Math.min(n - 1, step)) });
      },
      first: () => get().goTo(0),
      last: () => get().goTo(Number.MAX_SAFE_INTEGER),
      back(level = 'step') {
        const { cursor } = get();
        if (level === 'step') return get().goTo(cursor - 1);
        const before = callEnds().filter((s) => s < cursor);
        get().goTo(before.length ? before[before.length - 1] : 0);
      },
      forward(level = 'step') {
        const { cursor } = get();
        if (level === 'step') return get().goTo(cursor + 1);
        get().goTo(callEnds().find((s) => s > cursor) ?? Number.MAX_SAFE_INTEGER);
      },
    };
  };
