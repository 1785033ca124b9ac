// SPDX-License-Identifier: GPL-2.0-or-later
// Runs a parsed scenario on the model and keeps every step: the entry point
// the worker and the command line share.
import type { Errno } from '../kernel/errno';
import { AllocCounter, Ctx } from '../kernel/mm/ctx';
import { emptyMm, mmSnapshot, vmaList, type MmState } from '../kernel/mm/mm-snapshot';
import type { KernelProfile } from '../world/kernel-profile';
import { gateVmaLines, show_map_vma, show_smap_vma_flags } from '../kernel/fs/proc/task_mmu';
import { unmodelled, type CallResult } from './syscalls';
import { runCall, type RunCallSetup } from './run-call';
import { RunArgs, formatRet } from './call-args';
import { UntracedHistory } from './untraced-history';
import { CallStep } from './call-step';
import { validate_mm } from '../kernel/mm/validate';
import { type MapleStepChanges, MapleStepRecorder } from '../kernel/trace/maple-step';
import type { Diagnostic } from '../scenario/diagnostic';
import { parseScenario, type ParsedScenario, type ScenarioCall } from '../scenario/parse';
import type { StepExtra, TraceEvent } from '../kernel/trace/events';
import { inferStraceStart, type StraceStart } from './strace-start';
import { KernelEventLog } from '../kernel/trace/kernel-emit';
import type { KernelEvent } from '../kernel/trace/kernel-events';

/** One internal step and the address space after it. */
export interface Step extends TraceEvent {
  /** Index of the call this step belongs to in `RunOutput.calls`, or -1 for the start. */
  call: number;
  /** The address space after the step. */
  mm: MmState;
  /** What the step did to the maple tree (traced runs, steps that wrote it). */
  maple?: MapleStepChanges;
  /**
   * What the kernel's tracepoints would print during the step, in order, with
   * `call` the call's index (traced runs with kernel events on; absent when
   * the step printed nothing).
   */
  kernelEvents?: KernelEvent[];
}

/** One executed call and how it ended. */
export interface CallRecord {
  line: number;
  call: string;
  /** As strace prints it: `0x200000000000`, `0`, `-1 ENOMEM`, `SIGSEGV`. */
  ret: string;
  expected: string | null;
  match: boolean;
  /** The index in `steps` of the call's last step. */
  lastStep: number;
}

export type { MmState };

/** What a strace log was and what its replay took from it. */
export interface LogSummary {
  /** Every process of the log with its number of calls, most first. */
  pids: Array<{ pid: number; calls: number }>;
  /** The process replayed, or null (one process, or all of them). */
  pid: number | null;
  /** VMAs inferred for ranges the log uses but never maps (0 when started from a dump). */
  inferred: number;
  /** Calls placed at the address the log returned. */
  placed: number;
}

export type RunOutput =
  | {
      ok: true;
      calls: CallRecord[];
      steps: Step[];
      skipped: number;
      /** Set when the input was a strace log. */
      log: LogSummary | null;
    }
  | { ok: false; diagnostics: Diagnostic[] };

export interface RunOptions {
  /**
   * The address space to start from (a real process's maps), instead of an
   * empty one, or, for a strace log, the layout the log reveals.
   */
  initial?: MmState;
  /** Of a strace log with several processes, the one to replay. */
  pid?: number | 'all';
  /** Fail the Nth allocation (VMA, maple-tree node preallocation, anon_vma) with ENOMEM. */
  failAllocation?: number;
  /** The kernel to model (default: the start's, else `linux-6.18`). */
  kernel?: KernelProfile;
  /** Record every internal step (default true); false keeps one step per call, for speed. */
  trace?: boolean;
  /**
   * Give each step the kernel events it causes (default: as `trace`). Off, a
   * run builds no event (the bench measures the difference); on without
   * `trace`, each call's one step carries all of the call's events.
   */
  kernelEvents?: boolean;
  /** Check the maple tree and the VMA invariants after every call (tests); throws on a break. */
  validate?: boolean;
  /** Calls between an untraced run's checkpoints (default CHECKPOINT_EVERY; tests use fewer). */
  checkpointEvery?: number;
  /**
   * Handed every step as it is made (with its call's scenario line, null for
   * the start), instead of keeping it: `steps` then holds only the last step
   * and `lastStep` counts the steps handed over, so a run of any length keeps
   * one address space. The command line streams its output with it.
   * Untraced, a step's address space is made when read, and only the
   * newest one can be: read it in the handler (the last, after the run).
   */
  onStep?: (step: Step, line: number | null) => void;
  /** Told, every PROGRESS_EVERY calls and at the end, how many calls of how many have run. */
  onProgress?: (done: number, total: number) => void;
  /**
   * Take a descriptor a call uses with success but nothing in the input
   * opened as opened outside it (a program recording records no pipe, dup2
   * or memfd_create), as a strace log without a capture always does.
   */
  adoptUntracedFds?: boolean;
  /**
   * The calls (by index) where a recorded process forked and went on: each
   * builds the child's copy for its events and keeps the parent's space.
   */
  forkParentAt?: ReadonlySet<number>;
  /** The calls (by index) where a recorded process unlinked a file's name, with the name. */
  unlinkAt?: ReadonlyMap<number, string>;
}

/** How often a long run reports progress: often enough for a bar, rarely enough to cost nothing. */
export const PROGRESS_EVERY = 500;

/** Parses and runs a scenario; on bad input returns only diagnostics. */
export function runScenario(text: string, file = 'scn', options: RunOptions = {}): RunOutput {
  return runParsed(parseScenario(text, file, { pid: options.pid }), file, options);
}

/** Runs an already parsed scenario (the bench measures the engine alone with it). */
export function runParsed(
  parsed: ParsedScenario,
  file = 'scn',
  options: RunOptions = {},
): RunOutput {
  // A strace log without a capture of its start: take the layout it reveals.
  const infer: StraceStart | null =
    parsed.isStraceLog && !options.initial ? inferStraceStart(parsed.calls) : null;
  const runCalls = infer ? infer.calls : parsed.calls;
  const diagnostics = [...parsed.diagnostics];
  // The calls as they will run: a log's MAP_32BIT mmap placed at the
  // address it got no longer needs the bottom-up search the model lacks.
  const args = new RunArgs(runCalls);
  runCalls.forEach((c, k) => {
    const problem = unmodelled(args.at(k));
    if (problem) diagnostics.push({ file, line: c.line, ...problem });
  });
  if (diagnostics.length) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }
  const first = infer?.starts.get(-1);
  // A copy made with `{ ...mm }` lost the snapshot's prototype: rebuild it.
  let mm: MmState = options.initial ? mmSnapshot(options.initial) : (first?.mm ?? emptyMm);
  if (options.kernel && options.kernel !== mm.kernel) {
    mm = mmSnapshot(mm, { kernel: options.kernel });
  }
  const tracing = options.trace ?? true;
  // Without `trace` the log still works: each call's events go to its one step.
  const events = (options.kernelEvents ?? tracing) ? new KernelEventLog() : null;
  if (events !== null && options.initial) events.seedChains(vmaList(mm));
  const steps: Step[] = [];
  let made = 0;
  const onStep = options.onStep;
  const keep = (step: Step): void => {
    made++;
    if (!onStep) {
      steps.push(step);
      return;
    }
    onStep(step, step.call < 0 ? null : runCalls[step.call].line);
    steps[0] = step;
  };
  keep(
    options.initial
      ? {
          call: -1,
          fn: 'mm_init',
          source: 'scenario',
          message: `loaded ${mm.map_count} VMAs`,
          mm,
        }
      : first
        ? { call: -1, fn: 'mm_init', source: 'strace log', message: first.message, mm }
        : { call: -1, fn: 'mm_init', source: 'kernel/fork.c', message: 'empty address space', mm },
  );
  /** The step with the events since the last step, if there were any. */
  const withEvents = (step: Step): Step => {
    const taken = events?.take();
    if (taken !== undefined) step.kernelEvents = taken;
    return step;
  };
  const calls: CallRecord[] = [];
  const allocs = new AllocCounter(options.failAllocation ?? 0);
  // One for the run: each call's closing step takes what its writes did.
  const recorder = tracing ? new MapleStepRecorder() : null;
  const total = runCalls.length;
  const setup: RunCallSetup = {
    infer,
    adoptUntracedFds: options.adoptUntracedFds ?? false,
    forkParentAt: options.forkParentAt,
    unlinkAt: options.unlinkAt,
  };
  // Untraced, a call's state is made when its step is read (checkpoints, and
  // the calls since run again), unless the run checks or logs every call.
  const history =
    !tracing && events === null && !options.validate
      ? new UntracedHistory(args, setup, allocs.failAt, !onStep, mm, options.checkpointEvery)
      : null;
  // Each call goes on from the one before, taking over its working state.
  let last: Ctx | null = null;
  for (const c of runCalls) {
    const index = calls.length;
    const a = args.at(index);
    if (options.onProgress && index % PROGRESS_EVERY === 0) options.onProgress(index, total);
    const sink = tracing
      ? (
          fn: string,
          source: string,
          message: string,
          extra: StepExtra | undefined,
          state: MmState,
        ): void => {
          // A literal of one shape, not a spread: a traced run keeps every step.
          keep({
            fn,
            source,
            message,
            vmg: extra?.vmg,
            predicates: extra?.predicates,
            errno: extra?.errno,
            call: index,
            mm: state,
            maple: ctx.takeMapleChanges(),
            kernelEvents: events?.take(),
          });
        }
      : null;
    if (events !== null) events.call = index;
    const ctx: Ctx = last === null ? new Ctx(mm, sink, allocs, events, recorder) : last.next(sink);
    last = ctx;
    const { ret, placed } = runCall(ctx, a, index, setup);
    let after: MmState | null = null;
    if (history !== null) history.ran(index, ctx, allocs);
    else {
      after = ctx.mm;
      if (options.validate) validate_mm(after, `${file}:${c.line}: ${c.text}`);
    }
    const retText = formatRet(a, ret);
    const closing = CallStep.of(index, after, history, c, retText, placed);
    const maple = ctx.takeMapleChanges();
    if (maple !== undefined) closing.maple = maple;
    keep(withEvents(closing));
    const expected = c.expect ? c.expect.text : null;
    calls.push({
      line: c.line,
      call: c.text,
      ret: retText,
      expected,
      match: meetsExpectation(c, ret),
      lastStep: made - 1,
    });
  }
  options.onProgress?.(total, total);
  const log: LogSummary | null = parsed.isStraceLog
    ? {
        pids: parsed.pids,
        pid: parsed.pid,
        inferred: infer?.inferred ?? 0,
        placed: infer?.placed.size ?? 0,
      }
    : null;
  return { ok: true, calls, steps, skipped: parsed.skipped, log };
}

function meetsExpectation(c: ScenarioCall, ret: CallResult): boolean {
  const e = c.expect;
  if (!e || e.kind === 'unknown') return true;
  if (e.kind === 'signal') return !ret.ok && 'signal' in ret && ret.signal === e.signal;
  if (e.kind === 'errno') return !ret.ok && 'errno' in ret && ret.errno === (e.errno as Errno);
  return ret.ok && BigInt(ret.value) === BigInt.asUintN(64, e.value);
}

/** The /proc/PID/maps lines of an address space. */
export function mapsLines(mm: MmState): string[] {
  return [...vmaList(mm).map((v) => show_map_vma(mm, v)), ...gateVmaLines(mm, false)];
}

/**
 * The smaps lines the contract compares: each maps line followed by its
 * VmFlags line. With `within`, only the VMAs inside [start, end) and no gate
 * area (what the judge prints of a process that has more than its window).
 */
export function smapsLines(mm: MmState, within?: { start: number; end: number }): string[] {
  const vmas = vmaList(mm);
  const shown = within
    ? vmas.filter((v) => v.vm_start >= within.start && v.vm_end <= within.end)
    : vmas;
  return [
    ...shown.flatMap((v) => [show_map_vma(mm, v), show_smap_vma_flags(v)]),
    ...(within ? [] : gateVmaLines(mm, true)),
  ];
}
