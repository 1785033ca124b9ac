// SPDX-License-Identifier: GPL-2.0-or-later
// The requests the app may make of the engine worker. Typed on both sides;
// nothing is thrown across the boundary, failures come back as values. The
// worker keeps the run; the app asks for one step at a time, and a step's
// VMAs cross as typed arrays plus the rows a view shows.
import type { TraceEvent } from '../kernel/trace/events';
import type { Diagnostic } from '../scenario/diagnostic';
import type { KernelProfile } from '../world/kernel-profile';
import type { KernelEvent } from '../kernel/trace/kernel-events';
import type { MapleView } from './maple-view';
import type { CompareOptions, ComparedText, ComparisonReply } from './compare-recordings';
import type { CallEventsData, RecordingReply, RecordingSummary } from './recording-session';
import type { StepDiff, StepSummary, VmaRow } from './step-view';
import type { StepText, TimelineMeta } from './timeline-meta';
import type { QuizQuestion } from './quiz';

/** A run's outline, bad input as diagnostics, or the engine's own failure (a bug in the model). */
export type RunReply =
  | {
      ok: true;
      timeline: TimelineMeta;
      /** The kernel recording held, compared with this run; null without one. */
      recording: RecordingSummary | null;
    }
  | { ok: false; diagnostics: Diagnostic[] }
  | { ok: false; crash: string };

/**
 * Steps with at most this many VMAs come with all their rows (the address
 * space draws those as elements); larger ones with none, and the views ask
 * for the rows they show (`rows`): 5,000 rows a step cost ~40 ms to send and
 * lay out, on a space where a view shows a few dozen.
 */
export const ROWS_WITH_STEP = 2000;

export interface StepData {
  step: number;
  /** What the kernel function of this step did and, for merge decisions, why. */
  event: TraceEvent;
  summary: StepSummary;
  /** Every row in address order when there are at most ROWS_WITH_STEP, else none. */
  rows: VmaRow[];
  /** What changed since the step before (or since `StepOptions.from`; empty for the first step). */
  diff: StepDiff;
  /** Asked with `StepOptions.from`: the VMAs at that step, for a view to animate the whole change from. */
  before?: { step: number; summary: StepSummary; rows: VmaRow[] };
  /** The maple tree's nodes at the step and what the step did to them (the Maple tree view). */
  maple: MapleView;
  /**
   * The gate area's line (`[vsyscall]`), which /proc prints after the last
   * VMA though it is no VMA of the mm, with its VmFlags line; null without.
   */
  gate: { maps: string; vmFlags: string } | null;
  /** The events the model says the kernel emits during this step. */
  kernelEvents: KernelEvent[];
  /**
   * The step's call with its events on both sides: the model's and, when a
   * recording is held and covers the call, the kernel's and how they
   * compare. Null for the starting state.
   */
  callEvents: CallEventsData | null;
}

/** What to run: a scenario, where it starts, and the kernel it runs on. */
export interface RunRequest {
  text: string;
  /** A /proc/PID/maps or smaps dump: the address space to start from (empty when absent). */
  startMaps?: string;
  /** The kernel to model (default `linux-6.18`); crosses as plain data. */
  kernel?: KernelProfile;
  /** Of a strace log with several processes, the one to replay, or `all` (default: most calls). */
  pid?: number | 'all';
}

/** What a step request measures its changes from. */
export interface StepOptions {
  /**
   * Measure the step's change from step `from` (the state before a whole
   * system call) rather than from the step before it: `diff`, the maple
   * tree's changes over steps `from + 1 .. index`, and `before`.
   */
  from?: number;
}

/** How far a run has come: calls done of the total. */
export type ProgressCallback = (done: number, total: number) => void;

/** The inputs the editors check as they are typed, named as their diagnostics name them. */
export type CheckedInput = 'scenario' | 'maps';

export interface EngineApi {
  /** Parses and runs a scenario and keeps it; bad input comes back as diagnostics. */
  run(request: RunRequest, onProgress?: ProgressCallback): Promise<RunReply>;
  /**
   * What is wrong with a text as it is typed, read here so that a long one
   * does not hold up the page: the scenario (`file` 'scenario') or the
   * starting maps ('maps'), with their lines and columns.
   */
  check(text: string, input: CheckedInput): Promise<Diagnostic[]>;
  /** One step of the kept run, or null when there is no such step. */
  step(index: number, options?: StepOptions): Promise<StepData | null>;
  /** Rows `[from, from + count)` of a step, for views that page through large spaces. */
  rows(index: number, from: number, count: number): Promise<VmaRow[]>;
  /** The VMAs added, removed and changed from step `from` to step `to`; null without them. */
  diff(from: number, to: number): Promise<StepDiff | null>;
  /**
   * The words of steps `[from, from + count)` of the kept run: the timeline
   * carries only numbers, and the views ask for the words of what they show.
   */
  stepTexts(from: number, count: number): Promise<StepText[]>;
  /** The kept run as a trace document (TraceJson, as JSON text); null before a run. */
  traceJson(): Promise<string | null>;
  /** The kept run's quiz: a question before each merge decision, split and refusal; none before a run. */
  quiz(): Promise<QuizQuestion[]>;
  /**
   * Holds a kernel recording (`npm run judge -- --events --format json`)
   * against the run, and every later run. Bad input, or a recording of
   * another scenario than the run's, comes back as diagnostics and the
   * recording held before stays.
   */
  /**
   * A program's recording (`vma-explorer record`) is held for the replay of
   * its address space `space` (default 0): the reply carries that replay as
   * the document to open, and a run of it is compared call by call.
   */
  loadRecording(text: string, name: string, space?: number): Promise<RecordingReply>;
  /** Lets go of the recording held. */
  clearRecording(): Promise<void>;
  /**
   * Sets two recordings of one program side by side (program recordings
   * from `vma-explorer record`, or judge recordings), step by step;
   * `options` picks each program recording's address space (default 0).
   * Texts over MAX_COMPARED_CHARS, and bad input, come back as diagnostics; the
   * run kept and the recording held are left as they were.
   */
  compareRecordings(
    a: ComparedText,
    b: ComparedText,
    options?: CompareOptions,
  ): Promise<ComparisonReply>;
}

/** How often the worker says it is alive. */
export const HEARTBEAT_MS = 1000;

/**
 * A worker silent this long while a request waits on it is taken for dead
 * and replaced. A run beats too, with each progress report (every 500
 * calls), so only a single stretch of this long without one counts.
 */
export const SILENT_MS = 10_000;

/** What the worker file offers: the engine, and a heartbeat. */
export interface WorkerApi extends EngineApi {
  /** Calls `beat` every `everyMs` from now on: a worker that dies without an error stops. */
  heartbeat(beat: () => void, everyMs: number): Promise<void>;
}
