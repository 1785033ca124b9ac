// SPDX-License-Identifier: GPL-2.0-or-later
// Two recordings of one program side by side (a stock kernel and a patched
// one, say): their steps aligned, and for each pair what differs — the
// result each kernel gave, the VMAs after the step (each recording replayed
// on the model from its own start), the kernel events each recorded — with
// the first divergence in words. This is how a reviewer sees what a patch
// changes. Reads a program recording (`vma-explorer record`) or a judge
// recording (`npm run judge -- --events --format json`) on either side;
// never throws.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import type { Diagnostic } from '../scenario/diagnostic';
import {
  isProgramRecording,
  readProgramRecording,
  type ProgramRecording,
} from '../scenario/program-recording';
import {
  Identities,
  compareCallEvents,
  comparedEvent,
  describeDifference,
  parseRecording,
} from './event-parity';
import { alignByKeys } from './align';
import { comparableSmaps, replayProgram } from './program-replay';
import { programScript, resultText, resultWords } from './program-script';
import { mapsLines, type MmState } from './run';

/** The longest text compared, as the app's limit on a recording it reads. */
export const MAX_COMPARED_CHARS = 32 * 1024 * 1024;
/** VMA lines and event differences named per step at the most (the rest are counted). */
export const MAX_NAMED_PER_STEP = 50;

/** One recording as compared. */
export interface ComparedSide {
  name: string;
  kind: 'program' | 'judge';
  release: string | null;
  /** The command recorded (program recordings), else null. */
  command: string | null;
  /** The address space compared (program recordings), else null. */
  space: number | null;
  steps: number;
  /** Where the VMAs after each step come from, or why there are none. */
  vmas: string;
}

/** One side of an aligned step. */
export interface ComparedStepSide {
  /** 1-based position among the side's own steps. */
  step: number;
  /** Its line in the side's scenario (program) or the judge's scenario line. */
  line: number;
  /** The step as a scenario line, without its result. */
  text: string;
  /** The result the kernel gave, in words (`-1 ENOMEM`); null for a fault. */
  result: string | null;
  /** VMAs after the step, by the model's replay; null without them. */
  vmaCount: number | null;
}

/** What may differ at an aligned step. */
export type StepDifferenceKind = 'missing' | 'call' | 'result' | 'vmas' | 'events';

export interface ComparedRow {
  /** 1-based position in the alignment ("step 14"). */
  row: number;
  a: ComparedStepSide | null;
  b: ComparedStepSide | null;
  /** Empty when the two agree. */
  differs: StepDifferenceKind[];
  /** Each difference in words. */
  words: string[];
  /** The maps lines after the step on one side only; null when a side has no VMAs. */
  vmas: { onlyA: string[]; onlyB: string[]; unnamed: number } | null;
  /** The recorded events' differences in words (A as the first side). */
  events: string[];
  /** Differences past the ones named. */
  eventsUnnamed: number;
}

export interface ComparisonSummary {
  rows: number;
  same: number;
  different: number;
  onlyA: number;
  onlyB: number;
  results: number;
  vmas: number;
  events: number;
  /** The first row that differs, or null. */
  first: { row: number; a: string | null; b: string | null; what: string } | null;
  /** `First divergence: step 14, mprotect(...): result 0 (A), -1 ENOMEM (B)`. */
  sentence: string;
  /** How the recordings' final smaps differ (the first line), `the same`, or why not compared. */
  finalSmaps: string;
}

export interface RecordingComparison {
  a: ComparedSide;
  b: ComparedSide;
  rows: ComparedRow[];
  summary: ComparisonSummary;
}

export type ComparisonReply =
  { ok: true; comparison: RecordingComparison } | { ok: false; diagnostics: Diagnostic[] };

/** A recording to compare: its file name and text. */
export interface ComparedText {
  name: string;
  text: string;
}

export interface CompareOptions {
  /** The address space of each program recording (default 0). */
  spaceA?: number;
  spaceB?: number;
}

/** One step of a side, as read. */
interface SideStep {
  line: number;
  text: string;
  /** The call's name (or the fault's pseudo-call): the second alignment key. */
  name: string;
  result: string | null;
  events: readonly KernelEvent[];
  maps: string[] | null;
}

interface Side {
  side: ComparedSide;
  steps: SideStep[];
  final: string[] | null;
}

/** Calls whose result is a process id, which no two runs share. */
const PID_RESULT = /^(clone3?|v?fork)$/;

const diagnostic = (file: string, message: string): Diagnostic[] => [
  { file, line: 1, column: 1, message, text: '' },
];

/** The maps lines after each call of a run, sharing the lines of an unchanged mm. */
function mapsAfterCalls(run: {
  calls: unknown[];
  steps: { call: number; mm: MmState }[];
}): string[][] {
  const last: MmState[] = [];
  for (const s of run.steps) if (s.call >= 0) last[s.call] = s.mm;
  const seen = new Map<MmState, string[]>();
  let mm = run.steps[0].mm;
  return run.calls.map((_, i) => {
    mm = last[i] ?? mm;
    let lines = seen.get(mm);
    if (!lines) seen.set(mm, (lines = mapsLines(mm)));
    return lines;
  });
}

function programSide(rec: ProgramRecording, space: number, name: string): Side | Diagnostic[] {
  if (!Number.isSafeInteger(space) || space < 0 || space >= rec.spaces.length)
    return diagnostic(name, `it has no address space ${space} (it has ${rec.spaces.length})`);
  const script = programScript(rec, space);
  const lines = script.text.split('\n');
  const replay = replayProgram(rec, space, name);
  const maps = replay.ok ? mapsAfterCalls(replay.replay.run) : null;
  const steps = script.steps.map((s, i): SideStep => {
    const line = script.firstLine + i;
    const full = lines[line - 1];
    const maps_ = maps?.[i] ?? null;
    if (s.kind === 'fault')
      return {
        line,
        text: full,
        name: full.slice(0, full.indexOf('(')),
        result: null,
        events: s.fault.events,
        maps: maps_,
      };
    const res = resultText(s.call);
    const text = res !== '' && full.endsWith(res) ? full.slice(0, -res.length) : full;
    return {
      line,
      text,
      name: s.call.name,
      result: resultWords(s.call),
      events: s.call.events,
      maps: maps_,
    };
  });
  const end = rec.spaces[space].end;
  return {
    side: {
      name,
      kind: 'program',
      release: rec.kernel.release ?? null,
      command: rec.command.join(' '),
      space,
      steps: steps.length,
      vmas: replay.ok
        ? "the model's replay of the recording from its start"
        : `none: its start could not be replayed (${replay.diagnostics[0]?.message ?? 'unknown'})`,
    },
    steps,
    final: end === null ? null : comparableSmaps(end),
  };
}

function judgeSide(text: string, name: string): Side | Diagnostic[] {
  const read = parseRecording(text, name);
  if (!read.ok) return [read.diagnostic];
  const steps = read.recording.results.map((r): SideStep => ({
    line: r.line,
    text: r.call,
    name: /^@?\w+/.exec(r.call)?.[0] ?? r.call,
    result: r.ret,
    events: r.events,
    maps: null,
  }));
  return {
    side: {
      name,
      kind: 'judge',
      release: read.recording.release,
      command: null,
      space: null,
      steps: steps.length,
      vmas: 'none: a judge recording holds no maps after its calls',
    },
    steps,
    final: null,
  };
}

/** Reads one side: a program recording by its format field, else a judge recording. */
function readSide(input: ComparedText, space: number): Side | Diagnostic[] {
  if (input.text.length > MAX_COMPARED_CHARS)
    return diagnostic(
      input.name,
      `it is larger than ${MAX_COMPARED_CHARS / 1024 / 1024} MB, the most read`,
    );
  if (!isProgramRecording(input.text)) return judgeSide(input.text, input.name);
  const read = readProgramRecording(input.text, input.name);
  return read.ok ? programSide(read.recording, space, input.name) : read.diagnostics;
}

/** The lines of `a` not in `b`. */
const without = (a: readonly string[], b: readonly string[]): string[] => {
  const other = new Set(b);
  return a.filter((l) => !other.has(l));
};

/** Compares one aligned pair; `ids` binds the two sides' objects for the whole run. */
function compareRow(
  row: number,
  a: SideStep | null,
  b: SideStep | null,
  ia: number | null,
  ib: number | null,
  ids: Identities,
): ComparedRow {
  const side = (s: SideStep | null, i: number | null): ComparedStepSide | null =>
    s === null || i === null
      ? null
      : {
          step: i + 1,
          line: s.line,
          text: s.text,
          result: s.result,
          vmaCount: s.maps?.length ?? null,
        };
  const out: ComparedRow = {
    row,
    a: side(a, ia),
    b: side(b, ib),
    differs: [],
    words: [],
    vmas: null,
    events: [],
    eventsUnnamed: 0,
  };
  if (a === null || b === null) {
    out.differs.push('missing');
    out.words.push(a === null ? 'only in B' : 'only in A');
    return out;
  }
  if (a.text !== b.text) {
    out.differs.push('call');
    out.words.push(`call ${a.text} (A), ${b.text} (B)`);
  }
  if (a.result !== b.result && !PID_RESULT.test(a.name)) {
    out.differs.push('result');
    out.words.push(`result ${a.result ?? 'none'} (A), ${b.result ?? 'none'} (B)`);
  }
  if (a.maps !== null && b.maps !== null) {
    const onlyA = without(a.maps, b.maps);
    const onlyB = without(b.maps, a.maps);
    const named = (l: string[]) => l.slice(0, MAX_NAMED_PER_STEP);
    out.vmas = {
      onlyA: named(onlyA),
      onlyB: named(onlyB),
      unnamed:
        Math.max(0, onlyA.length - MAX_NAMED_PER_STEP) +
        Math.max(0, onlyB.length - MAX_NAMED_PER_STEP),
    };
    if (onlyA.length + onlyB.length > 0) {
      out.differs.push('vmas');
      out.words.push(
        `VMAs after it: ${onlyA.length} maps lines only in A, ${onlyB.length} only in B`,
      );
    }
  }
  const parity = compareCallEvents(a.events, b.events, ids, comparedEvent);
  if (parity.status === 'different') {
    const sides = { model: 'A', kernel: 'B', missing: 'in B only', extra: 'in A only' };
    out.differs.push('events');
    out.events = parity.differences
      .slice(0, MAX_NAMED_PER_STEP)
      .map((d) => describeDifference(d, sides));
    out.eventsUnnamed = Math.max(0, parity.differences.length - MAX_NAMED_PER_STEP);
    out.words.push(
      `kernel events: ${out.events[0]}` +
        (parity.differences.length > 1 ? ` (and ${parity.differences.length - 1} more)` : ''),
    );
  }
  return out;
}

/** How the final smaps of the two recordings differ, in words. */
function finalSmaps(a: string[] | null, b: string[] | null): string {
  if (a === null || b === null) return 'not compared: a side has no final smaps';
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++)
    if (a[i] !== b[i])
      return `line ${i + 1}: ${JSON.stringify(a[i] ?? null)} (A), ${JSON.stringify(b[i] ?? null)} (B)`;
  return 'the same';
}

function summarize(rows: ComparedRow[], a: Side, b: Side): ComparisonSummary {
  const count = (k: StepDifferenceKind) => rows.filter((r) => r.differs.includes(k)).length;
  const firstRow = rows.find((r) => r.differs.length > 0);
  const first = firstRow
    ? {
        row: firstRow.row,
        a: firstRow.a?.text ?? null,
        b: firstRow.b?.text ?? null,
        what: firstRow.words.join('; '),
      }
    : null;
  let sentence = `No divergence: ${rows.length} steps alike.`;
  if (first) {
    const text =
      first.a === first.b || first.b === null
        ? first.a
        : first.a === null
          ? first.b
          : `${first.a} (A), ${first.b} (B)`;
    sentence = `First divergence: step ${first.row}, ${text}: ${first.what}`;
  }
  const onlyA = rows.filter((r) => r.b === null).length;
  const onlyB = rows.filter((r) => r.a === null).length;
  const different = rows.filter((r) => r.differs.length > 0).length;
  return {
    rows: rows.length,
    same: rows.length - different,
    different,
    onlyA,
    onlyB,
    results: count('result'),
    vmas: count('vmas'),
    events: count('events'),
    first,
    sentence,
    finalSmaps: finalSmaps(a.final, b.final),
  };
}

/** Compares two recordings step by step; bad input is a diagnostic naming the file, line and column. */
export function compareRecordings(
  a: ComparedText,
  b: ComparedText,
  options: CompareOptions = {},
): ComparisonReply {
  const sideA = readSide(a, options.spaceA ?? 0);
  const sideB = readSide(b, options.spaceB ?? 0);
  const problems = [...(Array.isArray(sideA) ? sideA : []), ...(Array.isArray(sideB) ? sideB : [])];
  if (Array.isArray(sideA) || Array.isArray(sideB)) return { ok: false, diagnostics: problems };
  const key = (s: Side, f: (x: SideStep) => string) => s.steps.map(f);
  const pairs = alignByKeys([
    [key(sideA, (s) => s.text), key(sideB, (s) => s.text)],
    [key(sideA, (s) => s.name), key(sideB, (s) => s.name)],
  ]);
  const ids = new Identities();
  const rows = pairs.map(([i, j], r) =>
    compareRow(
      r + 1,
      i === null ? null : sideA.steps[i],
      j === null ? null : sideB.steps[j],
      i,
      j,
      ids,
    ),
  );
  return {
    ok: true,
    comparison: { a: sideA.side, b: sideB.side, rows, summary: summarize(rows, sideA, sideB) },
  };
}
