// SPDX-License-Identifier: GPL-2.0-or-later
// A kernel recording held against a run: whether it is a recording of the
// run's scenario, and, call by call, whether the model's events are the
// kernel's. Pure: the engine session keeps one of these beside its run and
// answers the app from it.
//
// The comparison is per call (the events of all the call's steps together,
// in order) with one `Identities` for the whole run, so an object bound to a
// kernel name in one call must be the same object in every later call.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import type { Diagnostic } from '../scenario/diagnostic';
import {
  Identities,
  compareCallEvents,
  comparedEvent,
  describeDifference,
  parseRecording,
  type CallParity,
  type Recording,
} from './event-parity';
import type { MmState } from '../kernel/mm/mm-snapshot';
import type { KernelProfile } from '../world/kernel-profile';
import {
  isProgramRecording,
  readProgramRecording,
  type ProgramRecording,
} from '../scenario/program-recording';
import { commandLine, comparedStepEvents, programScript } from './program-script';
import { comparableSmaps, recordingProfile, smapsDifference, spaceStart } from './program-replay';
import { smapsLines, type CallRecord, type Step } from './run';

/** How a call compares with the kernel: null when not recorded (or a `@note`). */
export type CallStatus = 'confirmed' | 'different' | null;

/** What the app is told of a recording held against the run on screen. */
export interface RecordingSummary {
  /** The file it came from. */
  name: string;
  /** The recording machine's kernel release, when the judge reported it. */
  release: string | null;
  /** How many of the run's calls the recording covers (it may stop early). */
  covered: number;
  /** Why it does not apply to the run on screen (a recording of another scenario), else null. */
  mismatch: string | null;
  /** Per call of the run, by index. */
  calls: CallStatus[];
  confirmed: number;
  different: number;
  /** For a recording of a program (`vma-explorer record`), what it holds; null for the judge's. */
  program: ProgramSummary | null;
}

/** A program recording held: the address space replayed, and how its end compares. */
export interface ProgramSummary {
  command: string;
  /** The address space replayed (an index into `spaces`). */
  space: number;
  spaces: Array<{ pid: number; from: 'exec' | 'fork'; calls: number; faults: number }>;
  /**
   * The model's final smaps against the kernel's: null when they are the
   * same, else the first line that differs; `unknown` when the recording
   * has no end for the space or the run is not its replay.
   */
  finalDifference: string | null | 'unknown';
}

export type RecordingReply =
  | {
      ok: true;
      summary: RecordingSummary;
      /** A program recording's replay, to open as the document (replacing it, kept as a draft). */
      document?: { text: string; startMaps: string };
      /** The kernel the program ran on, to model its replay under (when the recording says). */
      kernel?: KernelProfile;
    }
  | { ok: false; diagnostics: Diagnostic[] };

/** A program recording as held: its replay's script and start. */
export interface HeldProgram {
  recording: ProgramRecording;
  space: number;
  /** The start smaps as the document's starting maps: a run from them starts from `start`. */
  startText: string;
  /** The address space the replay starts from (execve's tree, the break, mmap_base, files). */
  start: MmState;
  script: string;
  /** The steps where the process forked and went on (ProgramScript.forkAt). */
  forkAt: ReadonlySet<number>;
  /** The steps where a name was unlinked (ProgramScript.unlinkAt). */
  unlinkAt: ReadonlyMap<number, string>;
  /** The kernel it was recorded on, when the recording carries a profile that reads. */
  kernel: KernelProfile | null;
}

/** The differences named for one call at most; the rest are counted. */
export const MAX_NAMED_DIFFERENCES = 200;

/** The kernel's side of a call, when a recording covers it. */
export interface RecordedCallData {
  /** The kernel's events of the call. */
  events: KernelEvent[];
  status: 'confirmed' | 'different';
  /** How many differences there are (only the first MAX_NAMED_DIFFERENCES are named). */
  differenceCount: number;
  /** The differences in words, with the event position each is about (0-based). */
  differences: { index: number; what: string; text: string }[];
  /** The recording's name. */
  recording: string;
}

/** A step's call, its events on the model's side and, with a recording, the kernel's. */
export interface CallEventsData {
  call: number;
  line: number;
  /** The call as the scenario wrote it. */
  text: string;
  /** The model's events of the whole call, in order. */
  model: KernelEvent[];
  /** The part of `model` the step itself emitted: `[stepFrom, stepTo)`. */
  stepFrom: number;
  stepTo: number;
  /**
   * Where the model's side ran: null for the run on screen; with a recording
   * that carries its start, the judge's process (how many mappings it had).
   */
  modelIn: string | null;
  recorded: RecordedCallData | null;
}

/** The kinds of event compared (and shown): the differential's own choice. */
export const compared = comparedEvent;

/** The model's events of a step: what it says the kernel emits during it (none if it says nothing). */
export function stepEvents(step: Step): KernelEvent[] {
  const events: KernelEvent[] = [];
  addStepEvents(events, step);
  return events;
}

/**
 * stepEvents(step) added to a call's list: a recording compares each of its
 * (say 450,000) steps, and a filtered copy of each, spread into the list, was
 * garbage made per step.
 */
function addStepEvents(into: KernelEvent[], step: Step): void {
  const events = (step as Step & { kernelEvents?: KernelEvent[] }).kernelEvents;
  if (events === undefined) return;
  for (const e of events) if (compared(e)) into.push(e);
}

/** The first step of each call, from the index of its last. */
function firstStep(calls: readonly CallRecord[], call: number): number {
  return call === 0 ? 1 : calls[call - 1].lastStep + 1;
}

/** Why `recording` is not of the run's scenario, or null when it is. */
export function recordingMismatch(
  recording: Recording,
  calls: readonly CallRecord[],
): string | null {
  const results = recording.results;
  const n = Math.min(results.length, calls.length);
  for (let i = 0; i < n; i++) {
    if (results[i].call !== calls[i].call) {
      return (
        `it is a recording of another scenario: at line ${calls[i].line} the scenario has ` +
        `${calls[i].call}, the recording (line ${results[i].line}) ${results[i].call}`
      );
    }
  }
  if (results.length > calls.length) {
    const extra = results[calls.length];
    return (
      `it is a recording of another scenario: it has ${results.length} calls, the scenario ` +
      `${calls.length}; line ${extra.line} (${extra.call}) is not in the scenario`
    );
  }
  return null;
}

/** A recording and the run it was compared with. */
export class HeldRecording {
  private parities: (CallParity | null)[] = [];
  private mismatch: string | null = null;
  private finalDifference: string | null | 'unknown' = 'unknown';
  /**
   * The run compared, when it is not the one on screen: a recording that
   * carries the judge's process (`start`) is compared with the scenario run
   * from that process, so both maple trees hold the same VMAs.
   */
  twin: { calls: readonly CallRecord[]; steps: readonly Step[]; mappings: number } | null = null;

  constructor(
    readonly name: string,
    readonly recording: Recording,
    readonly program: HeldProgram | null = null,
  ) {}

  /**
   * Reads a recording: the judge's (`--events`) or a program's (`vma-explorer
   * record`, replaying address space `space`). Bad input is a diagnostic,
   * never a throw.
   */
  static parse(text: string, name: string, space = 0): HeldRecording | Diagnostic {
    if (isProgramRecording(text)) return HeldRecording.parseProgram(text, name, space);
    const parsed = parseRecording(text, name);
    return parsed.ok ? new HeldRecording(name, parsed.recording) : parsed.diagnostic;
  }

  private static parseProgram(
    text: string,
    name: string,
    space: number,
  ): HeldRecording | Diagnostic {
    const read = readProgramRecording(text, name);
    if (!read.ok) return read.diagnostics[0];
    const rec = read.recording;
    if (!Number.isSafeInteger(space) || space < 0 || space >= rec.spaces.length)
      return {
        file: name,
        line: 1,
        column: 1,
        message: `it has no address space ${space}`,
        text: '',
      };
    const start = spaceStart(rec.spaces[space], rec, name);
    if (!start.ok) return start.diagnostics[0];
    const script = programScript(rec, space);
    const lines = script.text.split('\n');
    // The judge's shape: each step's call as the scenario writes it, with the kernel's events.
    const results = script.steps.map((s, i) => {
      const line = script.firstLine + i;
      const written = lines[line - 1];
      const call = written.replace(/ = [^"]*$/, '');
      return {
        line,
        call,
        ret: written.slice(call.length + 3),
        events: comparedStepEvents(s),
      };
    });
    const held: HeldProgram = {
      recording: rec,
      space,
      startText: rec.spaces[space].start.join('\n') + '\n',
      start: start.mm,
      script: script.text,
      forkAt: script.forkAt,
      unlinkAt: script.unlinkAt,
      kernel: recordingProfile(rec),
    };
    const release = typeof rec.kernel.release === 'string' ? rec.kernel.release : null;
    return new HeldRecording(name, { results, release }, held);
  }

  /** Compares the recording with a run, call by call in order; says why when it is another scenario's. */
  compare(calls: readonly CallRecord[], steps: readonly Step[]): string | null {
    this.mismatch = recordingMismatch(this.recording, calls);
    this.parities = [];
    if (this.mismatch !== null) return this.mismatch;
    const ids = new Identities();
    const results = this.recording.results;
    // One call's model events at a time: a parity keeps the events, not the list.
    const model: KernelEvent[] = [];
    for (let c = 0; c < calls.length; c++) {
      if (c >= results.length) {
        this.parities.push(null);
        continue;
      }
      model.length = 0;
      for (let s = firstStep(calls, c); s <= calls[c].lastStep; s++) addStepEvents(model, steps[s]);
      this.parities.push(compareCallEvents(model, results[c].events, ids, compared));
    }
    this.finalDifference = this.program ? this.compareEnd(steps) : 'unknown';
    return null;
  }

  /** The model's final smaps against the kernel's, for a program recording. */
  private compareEnd(steps: readonly Step[]): string | null | 'unknown' {
    const end = this.program?.recording.spaces[this.program.space].end;
    if (!end || steps.length === 0) return 'unknown';
    const model = smapsLines(steps[steps.length - 1].mm).map((l) => l.trimEnd());
    return smapsDifference(model, comparableSmaps(end));
  }

  summary(calls: readonly CallRecord[]): RecordingSummary {
    const statuses: CallStatus[] = calls.map((c, i) =>
      c.call.startsWith('@note') ? null : (this.parities[i]?.status ?? null),
    );
    return {
      name: this.name,
      release: this.recording.release,
      covered: this.mismatch === null ? Math.min(this.recording.results.length, calls.length) : 0,
      mismatch: this.mismatch,
      calls: statuses,
      confirmed: statuses.filter((s) => s === 'confirmed').length,
      different: statuses.filter((s) => s === 'different').length,
      program: this.program && {
        command: commandLine(this.program.recording.command),
        space: this.program.space,
        spaces: this.program.recording.spaces.map((s) => ({
          pid: s.pid,
          from: s.from,
          calls: s.calls.length,
          faults: s.faults.length,
        })),
        finalDifference: this.mismatch === null ? this.finalDifference : 'unknown',
      },
    };
  }

  /** The kernel's side of call `call`, or null when the recording does not cover it. */
  recorded(call: number): RecordedCallData | null {
    const parity = this.parities[call];
    if (!parity) return null;
    return {
      events: this.recording.results[call].events.filter(compared),
      status: parity.status,
      differenceCount: parity.differences.length,
      differences: parity.differences.slice(0, MAX_NAMED_DIFFERENCES).map((d) => ({
        index: d.index,
        what: d.what,
        text: describeDifference(d),
      })),
      recording: this.name,
    };
  }
}

/** Step `index`'s call with its events on both sides, or null for the starting state. */
export function callEvents(
  calls: readonly CallRecord[],
  steps: readonly Step[],
  index: number,
  held: HeldRecording | null,
): CallEventsData | null {
  const call = steps[index]?.call ?? -1;
  if (call < 0) return null;
  // The same call of the compared run; the step at the same place in it.
  const twin = held?.twin ?? null;
  const from = twin ?? { calls, steps };
  const at = firstStep(from.calls, call) + (index - firstStep(calls, call));
  const model: KernelEvent[] = [];
  let stepFrom = 0;
  let stepTo = 0;
  for (let s = firstStep(from.calls, call); s <= (from.calls[call]?.lastStep ?? -1); s++) {
    if (s === at) stepFrom = model.length;
    addStepEvents(model, from.steps[s]);
    if (s === at) stepTo = model.length;
  }
  return {
    call,
    line: calls[call].line,
    text: calls[call].call,
    model,
    stepFrom,
    stepTo,
    modelIn: twin ? `the judge's process (${twin.mappings} mappings before the first call)` : null,
    recorded: held?.recorded(call) ?? null,
  };
}
