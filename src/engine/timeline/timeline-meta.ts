// SPDX-License-Identifier: GPL-2.0-or-later
// A run without its address spaces, as the app receives it when a run ends.
// A 10,000-call run has tens of thousands of steps: as one object per step
// with its words, receiving them blocked the page for ~90 ms (structured
// clone of the strings). So the outline is columns of numbers, transferred
// without a copy, and each step's words are asked for only for the rows on
// screen (`stepTexts`).
import type { CallRecord, LogSummary, RunOutput } from './run';

/** Bits of `StepColumns.flags`. */
export const STEP_DECISION = 1;
export const STEP_ERRNO = 2;

/** Every step of a run in columns, one array index per step. */
export interface StepColumns {
  length: number;
  /** Index of the step's call in `TimelineMeta.calls`, or -1 for the starting state. */
  call: Int32Array;
  /** Index into `TimelineMeta.fnNames`: the kernel function of the step. */
  fn: Uint16Array;
  /** STEP_DECISION: a merge decision (it has predicates); STEP_ERRNO: it fails the call. */
  flags: Uint8Array;
}

/** A run's outline: small enough to send whole to the app. */
export interface TimelineMeta {
  calls: CallRecord[];
  steps: StepColumns;
  /** The distinct kernel functions of the run, in order of first appearance. */
  fnNames: string[];
  /** strace log lines skipped because they name calls outside the contract. */
  skipped: number;
  /** What the strace log was and what was inferred from it; null for a scenario. */
  log: LogSummary | null;
}

/** A step's words, fetched for the rows a view shows. */
export interface StepText {
  source: string;
  message: string;
}

export function timelineMeta(out: Extract<RunOutput, { ok: true }>): TimelineMeta {
  const n = out.steps.length;
  const steps: StepColumns = {
    length: n,
    call: new Int32Array(n),
    fn: new Uint16Array(n),
    flags: new Uint8Array(n),
  };
  const fnNames: string[] = [];
  const fnIndex = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const s = out.steps[i];
    let f = fnIndex.get(s.fn);
    if (f === undefined) {
      f = fnNames.length;
      fnNames.push(s.fn);
      fnIndex.set(s.fn, f);
    }
    steps.call[i] = s.call;
    steps.fn[i] = f;
    steps.flags[i] =
      (s.predicates && s.predicates.length > 0 ? STEP_DECISION : 0) | (s.errno ? STEP_ERRNO : 0);
  }
  return { calls: out.calls, steps, fnNames, skipped: out.skipped, log: out.log };
}

/** The words of steps `[from, from + count)`. */
export function stepTexts(
  out: Extract<RunOutput, { ok: true }>,
  from: number,
  count: number,
): StepText[] {
  return out.steps.slice(Math.max(0, from), from + count).map(({ source, message }) => ({
    source,
    message,
  }));
}

/** The kernel function of step `i`. */
export function stepFn(meta: TimelineMeta, i: number): string {
  return meta.fnNames[meta.steps.fn[i]] ?? '';
}
