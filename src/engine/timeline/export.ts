// SPDX-License-Identifier: GPL-2.0-or-later
// A run as one JSON document: every call with its result, every internal step
// with the kernel function, its words, the merge state and predicates, and
// the final /proc/PID/maps, and the kernel events each step causes. The app's "Export trace" and
// `vma-explorer run --format trace-json` write the same thing.
import type { CallRecord, MmState, RunOutput, Step } from './run';
import { mapsLines } from './run';
import type { KernelProfile } from '../world/kernel-profile';
import type { TraceEvent } from '../kernel/trace/events';
import type { KernelEvent } from '../kernel/trace/kernel-events';

export const TRACE_FORMAT = 'vma-explorer-trace';
/** 2: `kernel` is the kernel profile the run modelled (it was a fixed string). */
export const TRACE_VERSION = 2;

/** One step: its trace event, the call's scenario line, and how many VMAs follow it. */
export interface TraceStepJson extends TraceEvent {
  /** The scenario line of the step's call, or null for the starting state. */
  line: number | null;
  /** How many VMAs the address space has after the step (mm->map_count). */
  vmas: number;
  /**
   * The events the kernel's tracepoints print during the step, in order
   * (kernel/trace/kernel-events.ts); absent when it prints none.
   */
  kernelEvents?: KernelEvent[];
}

export interface TraceJson {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_VERSION;
  /** The kernel profile the run modelled. */
  kernel: KernelProfile;
  steps: TraceStepJson[];
  calls: { line: number; call: string; ret: string; expected: string | null; match: boolean }[];
  /** /proc/PID/maps after the last step. */
  maps: string[];
}

export function traceJson(out: Extract<RunOutput, { ok: true }>): TraceJson {
  return {
    format: TRACE_FORMAT,
    version: TRACE_VERSION,
    kernel: out.steps[0].mm.kernel,
    steps: out.steps.map((s) => traceStepJson(s, s.call < 0 ? null : out.calls[s.call].line)),
    calls: out.calls.map(traceCallJson),
    maps: mapsLines(out.steps[out.steps.length - 1].mm),
  };
}

/** One step as the document writes it; `line` is its call's scenario line, null for the start. */
export function traceStepJson(s: Step, line: number | null): TraceStepJson {
  const step: TraceStepJson = {
    line,
    fn: s.fn,
    source: s.source,
    message: s.message,
    vmas: s.mm.map_count,
  };
  if (s.vmg) step.vmg = s.vmg;
  if (s.predicates) step.predicates = s.predicates;
  if (s.errno) step.errno = s.errno;
  if (s.kernelEvents) step.kernelEvents = s.kernelEvents;
  return step;
}

function traceCallJson({ line, call, ret, expected, match }: CallRecord): TraceJson['calls'][0] {
  return { line, call, ret, expected, match };
}

/**
 * The document in pieces for a writer that streams the steps without keeping
 * them (the steps come before the calls, so one run writes it all): the head,
 * then each step's `JSON.stringify(traceStepJson(...))` joined by commas,
 * then the tail. Together they are, byte for byte, `JSON.stringify(traceJson(out))`.
 */
export function traceJsonHead(kernel: KernelProfile): string {
  const head = { format: TRACE_FORMAT, version: TRACE_VERSION, kernel };
  return JSON.stringify(head).slice(0, -1) + ',"steps":[';
}

/** The end of the streamed document: the calls, and the final maps of `last`. */
export function traceJsonTail(calls: CallRecord[], last: MmState): string {
  return (
    '],"calls":' +
    JSON.stringify(calls.map(traceCallJson)) +
    ',"maps":' +
    JSON.stringify(mapsLines(last)) +
    '}'
  );
}
