// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import {
  LINUX_6_18,
  type CheckedInput,
  type Diagnostic,
  type KernelProfile,
  type StepText,
  type TimelineMeta,
  type VmaRow,
  type StepData,
} from '../engine';
import type { AppState, EnginePort } from './app-store';
import { stepOfLine } from './call-line';
import { sameStep } from './same-step';

/** `starting` until the opening scenario (link, autosave or example) is on screen. */
export type EngineStatus = 'starting' | 'idle' | 'running';

/** Whether a step moves one internal step or one whole system call. */
export type StepLevel = 'step' | 'call';

export interface TimelineSlice {
  /** The outline of the last good run, kept when a later run fails. */
  timeline: TimelineMeta | null;
  /**
   * The scenario text, starting maps and kernel profile `timeline` came
   * from, replayed if the worker restarts.
   */
  timelineText: string | null;
  timelineStartMaps: string;
  timelineKernel: KernelProfile;
  /** The process of a strace log `timeline` replayed (null: the default). */
  timelinePid: number | 'all' | null;
  /** Index into `timeline.steps` of the step on screen. */
  cursor: number;
  /** The address space at a step: the cursor's, or the one before while it loads. */
  stepData: StepData | null;
  /**
   * After a step by whole system call, the step whose change is shown
   * measured from `from`, the state before the call, rather than from the
   * call's own last internal step; null otherwise.
   */
  callChange: { step: number; from: number } | null;
  status: EngineStatus;
  /** How far the run under way has come, or null. */
  progress: { done: number; total: number } | null;
  /** Why the last run did not replace the timeline, other than bad input. */
  engineMessage: string | null;
  /**
   * A text's problems as it is typed, read in the worker; null when the
   * worker could not answer (it restarted, or a run was cancelled).
   */
  checkInput(text: string, input: CheckedInput): Promise<Diagnostic[] | null>;
  /**
   * Runs the scenario text under the chosen kernel (`kernel`); `cursor`
   * picks the step to show (default: the first, where a reader starts).
   */
  run(options?: { cursor?: number }): Promise<void>;
  /** Runs the scenario on screen again under the chosen kernel, at the same step of the same call. */
  rerun(): Promise<void>;
  /** Stops a run under way; the previous timeline stays. */
  cancel(): void;
  /** The opening scenario is on screen (or could not be opened): the app is ready. */
  started(): void;
  /** After the worker crashed: replay the timeline's text to the same step. */
  recover(): Promise<void>;
  goTo(step: number): void;
  /**
   * Shows the call written on `line` of the text (stepOfLine()); nothing
   * when the text is not the one run, whose lines the timeline's are.
   */
  goToLine(line: number): void;
  first(): void;
  back(level?: StepLevel): void;
  forward(level?: StepLevel): void;
  last(): void;
  /** The timeline's run as a trace document (JSON text), or null without a run. */
  traceJson(): Promise<string | null>;
  /** The words of steps `[from, from + count)` of the timeline; none while the worker restarts. */
  stepTexts(from: number, count: number): Promise<StepText[]>;
  /** Rows `[from, from + count)` of step `step`'s VMAs, for views that page through a large space. */
  stepRows(step: number, from: number, count: number): Promise<VmaRow[]>;
}

/** Why the worker stopped before answering, or null for any other failure. */
function stopReason(e: unknown): 'cancelled' | 'crashed' | 'silent' | null {
  const reason = (e as { reason?: unknown } | null)?.reason;
  return reason === 'cancelled' || reason === 'crashed' || reason === 'silent' ? reason : null;
}

const STOP_MESSAGES = {
  cancelled: 'Run cancelled.',
  crashed: 'The engine worker crashed and was restarted.',
  silent: 'The engine worker stopped answering and was restarted.',
};

export const createTimelineSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], TimelineSlice> =>
  (set, get) => {
    /** Runs a scenario; `pick` says which step of the new outline to show (default: the first). */
    async function runText(
      text: string,
      startMaps: string,
      kernel: KernelProfile,
      pick?: (timeline: TimelineMeta) => number,
      pid: number | 'all' | null = get().pid,
    ): Promise<void> {
      set({ status: 'running', engineMessage: null, playing: false });
      try {
        const reply = await engine.run(
          { text, startMaps, kernel, ...(pid === null ? {} : { pid }) },
          (done, total) => set({ progress: { done, total } }),
        );
        if (reply.ok) {
          const n = reply.timeline.steps.length;
          const at = pick ? Math.max(0, Math.min(n - 1, pick(reply.timeline))) : 0;
          // The outline and the step's address space change together.
          const stepData = await engine.step(at);
          shownFrom = null;
          set({
            timeline: reply.timeline,
            timelineText: text,
            timelineStartMaps: startMaps,
            timelineKernel: kernel,
            timelinePid: pid,
            cursor: at,
            callChange: null,
            stepData,
            diagnostics: [],
            recording: reply.recording,
          });
        } else if ('crash' in reply) {
          set({ engineMessage: `The engine failed on this scenario: ${reply.crash}` });
        } else {
          set({ diagnostics: reply.diagnostics });
        }
      } catch (e) {
        const reason = stopReason(e);
        if (reason === null) throw e;
        set({ engineMessage: STOP_MESSAGES[reason] });
        // The new worker has no run: give it the one on screen again.
        if (get().timelineText !== null) void replay();
      } finally {
        if (get().status === 'running') set({ status: 'idle' });
        set({ progress: null });
      }
    }

    /** Gives a fresh worker the recording held (a worker that restarted has none). */
    async function giveRecording(): Promise<void> {
      const source = get().recordingSource;
      if (source) await engine.loadRecording(source.text, source.name, source.space);
    }

    /** Gives a fresh worker the run on screen again, without changing what is shown. */
    async function replay(): Promise<void> {
      const { timelineText, timelineStartMaps, timelineKernel, timelinePid } = get();
      if (timelineText === null) return;
      try {
        await giveRecording();
        await engine.run({
          text: timelineText,
          startMaps: timelineStartMaps,
          kernel: timelineKernel,
          ...(timelinePid === null ? {} : { pid: timelinePid }),
        });
        await syncStep();
      } catch (e) {
        if (stopReason(e) === null) throw e;
      }
    }

    /** The step the change of `stepData` is measured from, when not the step before. */
    let shownFrom: number | null = null;
    let syncing = false;
    /** Fetches the cursor's address space; while one fetch runs, only the newest cursor counts. */
    async function syncStep(): Promise<void> {
      if (syncing) return;
      syncing = true;
      try {
        for (;;) {
          const { cursor, timeline, stepData, callChange } = get();
          const from = callChange?.step === cursor ? callChange.from : null;
          if (!timeline || (stepData?.step === cursor && shownFrom === from)) return;
          // After a whole call, its change is measured from the state before it.
          const data = await engine.step(cursor, from === null ? undefined : { from });
          if (get().timeline !== timeline) return;
          shownFrom = from;
          set({ stepData: data });
          if (data === null) return;
        }
      } catch (e) {
        afterStop(e);
      } finally {
        syncing = false;
      }
    }

    /**
     * A request failed because the worker stopped. A crash (or a silent
     * death) while no run was under way leaves a fresh worker without the
     * run on screen: replay it (once, however many requests failed).
     */
    function afterStop(e: unknown): void {
      const reason = stopReason(e);
      if (reason === null) throw e;
      if (reason !== 'cancelled' && get().status !== 'running') void get().recover();
    }

    /** Index of the step that ends each call, to step by whole system calls. */
    const callEnds = (): number[] => get().timeline?.calls.map((c) => c.lastStep) ?? [];

    /**
     * After a step by whole system calls to `cursor`: when it ends a call,
     * its change is the whole call's, from the state before the call's
     * first step.
     */
    function callChangeAt(cursor: number): TimelineSlice['callChange'] {
      const timeline = get().timeline;
      const call = timeline?.steps.call[cursor] ?? -1;
      if (!timeline || call < 0 || timeline.calls[call].lastStep !== cursor) return null;
      let from = call > 0 ? timeline.calls[call - 1].lastStep : cursor;
      if (call === 0) while (from > 0 && timeline.steps.call[from] >= 0) from--;
      return from < cursor - 1 ? { step: cursor, from } : null;
    }

    /** Moves the cursor to `step`; `byCall` when stepping by whole system calls. */
    function moveTo(step: number, byCall: boolean): void {
      const n = get().timeline?.steps.length ?? 0;
      if (n === 0) return;
      // A quiz question not answered yet stops the timeline at its step.
      const cursor = Math.max(0, Math.min(n - 1, get().quizHold(get().cursor, step)));
      set({ cursor, callChange: byCall ? callChangeAt(cursor) : null });
      void syncStep();
    }

    return {
      timeline: null,
      timelineText: null,
      timelineStartMaps: '',
      timelineKernel: LINUX_6_18,
      timelinePid: null,
      cursor: 0,
      stepData: null,
      callChange: null,
      status: 'starting',
      progress: null,
      engineMessage: null,
      run(options) {
        const cursor = options?.cursor;
        const pick = cursor === undefined ? undefined : () => cursor;
        return runText(get().text, get().startMaps, get().kernel, pick);
      },
      async rerun() {
        const { timeline, timelineText, timelineStartMaps, timelinePid, kernel, cursor } = get();
        if (timeline === null || timelineText === null) return;
        await runText(
          timelineText,
          timelineStartMaps,
          kernel,
          (next) => sameStep(timeline, cursor, next),
          timelinePid,
        );
      },
      cancel: () => engine.cancel(),
      checkInput: (text, input) => engine.check(text, input).catch(() => null),
      started: () => {
        if (get().status === 'starting') set({ status: 'idle' });
      },
      async recover() {
        const { timelineText, timelineStartMaps, timelineKernel, timelinePid, cursor } = get();
        if (timelineText === null) return;
        try {
          await giveRecording();
        } catch (e) {
          if (stopReason(e) === null) throw e;
        }
        await runText(timelineText, timelineStartMaps, timelineKernel, () => cursor, timelinePid);
        if (get().engineMessage === null) {
          set({
            engineMessage: 'The engine worker crashed; it was restarted and replayed to this step.',
          });
        }
      },
      goTo: (step) => moveTo(step, false),
      goToLine(line) {
        const { timeline, timelineText, text, cursor } = get();
        if (!timeline || timelineText !== text) return;
        const step = stepOfLine(timeline, line, cursor);
        if (step !== null && step !== cursor) get().goTo(step);
      },
      first: () => get().goTo(0),
      last: () => get().goTo(Number.MAX_SAFE_INTEGER),
      back(level = 'step') {
        const { cursor } = get();
        if (level === 'step') return get().goTo(cursor - 1);
        const before = callEnds().filter((s) => s < cursor);
        moveTo(before.length ? before[before.length - 1] : 0, true);
      },
      forward(level = 'step') {
        const { cursor } = get();
        if (level === 'step') return get().goTo(cursor + 1);
        moveTo(callEnds().find((s) => s > cursor) ?? Number.MAX_SAFE_INTEGER, true);
      },
      async stepTexts(from, count) {
        if (get().timeline === null) return [];
        try {
          return await engine.stepTexts(from, count);
        } catch (e) {
          afterStop(e);
          return [];
        }
      },
      async stepRows(step, from, count) {
        if (get().timeline === null) return [];
        try {
          return await engine.rows(step, from, count);
        } catch (e) {
          afterStop(e);
          return [];
        }
      },
      async traceJson() {
        if (get().timeline === null) return null;
        try {
          return await engine.traceJson();
        } catch (e) {
          afterStop(e);
          return null;
        }
      },
    };
  };
