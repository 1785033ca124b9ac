// SPDX-License-Identifier: GPL-2.0-or-later
// Step parity: the events the model says the kernel emits for a call,
// against the events the kernel emitted (a recording made with
// `npm run judge -- --events --format json`). The two sides name objects
// differently (the model `vma3`, `node 78`; the recording `vma1`, `node2` in
// order of first appearance), so identities are bound on first sight and
// must stay bound for the rest of the run: "vma2 grows over the range" is
// checked against which object the kernel kept.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { lineColumn, type Diagnostic } from '../scenario/diagnostic';

/** One call of a recording: what the judge printed for it. */
export interface RecordedCall {
  line: number;
  call: string;
  ret: string;
  events: KernelEvent[];
}

/** The part of the judge's `--events --format json` output a comparison reads. */
export interface Recording {
  results: RecordedCall[];
  /** The machine's kernel release, when the judge reported it. */
  release: string | null;
  /**
   * The judge's runner's whole address space before the first call, as
   * smaps lines (header, `Anonymous:`, `VmFlags:`), when the recording has
   * it: a model started from it builds the kernel's maple tree.
   */
  start?: string[];
}

export type RecordingParse =
  { ok: true; recording: Recording } | { ok: false; diagnostic: Diagnostic };

const KINDS = new Set(['ma_write', 'ma_op', 'alloc', 'free', 'unmapped_area', 'fault']);

/** Reads a recording; never throws: bad input is a diagnostic naming where. */
export function parseRecording(text: string, file = 'recording.json'): RecordingParse {
  const fail = (offset: number, message: string): RecordingParse => ({
    ok: false,
    diagnostic: { file, ...lineColumn(text, offset), message, text: '' },
  });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e));
    return fail(at ? Number(at[1]) : 0, `not JSON: ${(e as Error).message}`);
  }
  const results = (json as { results?: unknown })?.results;
  if (!Array.isArray(results)) return fail(0, 'a recording has a "results" array');
  for (const [i, r] of results.entries()) {
    const where = `results[${i}]`;
    const call = r as Partial<RecordedCall> | null;
    if (typeof call?.line !== 'number' || typeof call.call !== 'string')
      return fail(0, `${where} needs "line" and "call"`);
    if (!Array.isArray(call.events))
      return fail(0, `${where} has no "events": record with --events`);
    for (const [j, e] of call.events.entries()) {
      if (!KINDS.has((e as { kind?: string })?.kind ?? ''))
        return fail(0, `${where}.events[${j}] is not a kernel event`);
    }
  }
  const kernel = (json as { kernel?: { release?: unknown } }).kernel;
  const release = typeof kernel?.release === 'string' ? kernel.release : null;
  const start = (json as { start?: unknown }).start;
  const lines =
    Array.isArray(start) && start.every((l) => typeof l === 'string')
      ? { start: start as string[] }
      : {};
  return { ok: true, recording: { results: results as RecordedCall[], release, ...lines } };
}

/** Whether a character code is a lowercase ASCII letter. */
const isLower = (c: number): boolean => c >= 0x61 && c <= 0x7a;

/**
 * Whether two identities name the same kind of object, by spelling: their
 * leading lowercase letters (`vma`, `av`, `avc`, `node`), or the whole
 * identity when it has none. Read in place: a recording binds an identity
 * or two for nearly every event it compares.
 */
function sameKind(a: string, b: string): boolean {
  for (let i = 0; ; i++) {
    const inA = i < a.length && isLower(a.charCodeAt(i));
    const inB = i < b.length && isLower(b.charCodeAt(i));
    if (!inA || !inB) return inA === inB && (i > 0 || a === b);
    if (a.charCodeAt(i) !== b.charCodeAt(i)) return false;
  }
}

/** The bindings of model identities to kernel identities, kept across the calls of one run. */
export class Identities {
  private readonly modelToKernel = new Map<string, string>();
  private readonly kernelToModel = new Map<string, string>();

  /**
   * Binds the pair, or says whether it agrees with the binding made before.
   * Both maps are written together and never rewritten, so a model identity
   * bound to this kernel identity is the one that kernel identity is bound to.
   */
  bind(model: string | null, kernel: string | null): boolean {
    if (model === null || kernel === null) return model === kernel;
    if (!sameKind(model, kernel)) return false;
    const k = this.modelToKernel.get(model);
    if (k !== undefined) return k === kernel;
    if (this.kernelToModel.has(kernel)) return false;
    this.modelToKernel.set(model, kernel);
    this.kernelToModel.set(kernel, model);
    return true;
  }

  /** The kernel's name for a model identity, once bound. */
  kernelName(model: string): string | undefined {
    return this.modelToKernel.get(model);
  }
}

/** One way a call's events differ, named for a person reading it. */
export interface EventDifference {
  /** The position in the compared sequence. */
  index: number;
  /** What differs: `missing` (the kernel has it, the model not), `extra`, `kind`, or a field name. */
  what: string;
  model: KernelEvent | null;
  kernel: KernelEvent | null;
}

export interface CallParity {
  status: 'confirmed' | 'different';
  /** How many events were compared (the longer side's count). */
  compared: number;
  differences: readonly EventDifference[];
}

/** The plain fields compared, by kind; identities are compared through `Identities`. */
const FIELDS: Record<KernelEvent['kind'], readonly string[]> = {
  ma_write: ['fn', 'min', 'max', 'index', 'last'],
  ma_op: ['fn', 'min', 'max', 'index', 'last'],
  alloc: ['cache', 'site'],
  free: ['cache', 'site'],
  unmapped_area: ['length', 'low', 'high', 'alignMask', 'alignOffset', 'addr', 'err'],
  fault: ['address', 'errorCode'],
};

/** The identity fields, by kind. */
const IDS: Record<KernelEvent['kind'], readonly string[]> = {
  ma_write: ['node', 'entry'],
  ma_op: ['node'],
  alloc: ['id'],
  free: ['id'],
  unmapped_area: [],
  fault: [],
};

const field = (e: KernelEvent, name: string): unknown =>
  (e as unknown as Record<string, unknown>)[name];

/** The differences of a call that has none, shared: most calls of a recording. */
const NO_DIFFERENCES: readonly EventDifference[] = Object.freeze([]);

/**
 * The differences of the call being compared, emptied when a comparison
 * starts and when it ends (a comparison calls out to nothing that compares).
 */
const found: EventDifference[] = [];

const everyEvent = (): boolean => true;

/**
 * Compares one call's events in order. `only` keeps the kinds compared (the
 * README lists what is not compared, and why); identities bind as they
 * first meet. Each side is read through a cursor that skips the kinds left
 * out, rather than as a filtered copy: a recording compares every call.
 */
export function compareCallEvents(
  model: readonly KernelEvent[],
  kernel: readonly KernelEvent[],
  ids: Identities,
  only: (e: KernelEvent) => boolean = everyEvent,
): CallParity {
  // Empty already, unless a comparison was cut short by a throw.
  found.length = 0;
  let i = 0;
  let mi = 0;
  let ki = 0;
  for (; ; i++) {
    while (mi < model.length && !only(model[mi])) mi++;
    while (ki < kernel.length && !only(kernel[ki])) ki++;
    const a = mi < model.length ? model[mi++] : null;
    const b = ki < kernel.length ? kernel[ki++] : null;
    if (a === null && b === null) break;
    if (a === null || b === null) {
      found.push({ index: i, what: a === null ? 'missing' : 'extra', model: a, kernel: b });
      continue;
    }
    if (a.kind !== b.kind) {
      found.push({ index: i, what: 'kind', model: a, kernel: b });
      continue;
    }
    for (const name of FIELDS[a.kind])
      if (field(a, name) !== field(b, name))
        found.push({ index: i, what: name, model: a, kernel: b });
    for (const name of IDS[a.kind]) {
      const ma = field(a, name) as string | null;
      const kb = field(b, name) as string | null;
      if (!ids.bind(ma, kb)) found.push({ index: i, what: name, model: a, kernel: b });
    }
  }
  if (found.length === 0) return { status: 'confirmed', compared: i, differences: NO_DIFFERENCES };
  const differences = found.slice();
  found.length = 0;
  return { status: 'different', compared: i, differences };
}

/**
 * The kernel events the differential compares, by kind; what it leaves out
 * and why is in the README ("Step parity").
 */
export function comparedEvent(e: KernelEvent): boolean {
  switch (e.kind) {
    case 'ma_write':
    case 'ma_op':
    case 'unmapped_area':
      return true;
    case 'alloc':
    case 'free':
      return e.cache !== 'maple_node';
    case 'fault':
      return false;
  }
}

/** The words for the two sides of a comparison. */
export interface SideWords {
  model: string;
  kernel: string;
  /** An event only the second side has, and only the first. */
  missing: string;
  extra: string;
}

/** The model against the kernel's recording, as step parity says it. */
export const MODEL_AND_KERNEL: SideWords = {
  model: 'model',
  kernel: 'kernel',
  missing: "the kernel's, not in the model",
  extra: "the model's, not in the kernel's recording",
};

/** A difference in words: `ma_write #2: fn mas_wr_slot_store (model), mas_wr_node_store (kernel)`. */
export function describeDifference(
  d: EventDifference,
  sides: SideWords = MODEL_AND_KERNEL,
): string {
  const e = d.model ?? d.kernel;
  const head = `${e?.kind ?? 'event'} #${d.index + 1}`;
  if (d.what === 'missing') return `${head}: ${sides.missing}`;
  if (d.what === 'extra') return `${head}: ${sides.extra}`;
  const [m, k] = [`(${sides.model})`, `(${sides.kernel})`];
  if (d.what === 'kind') return `${head}: ${d.model?.kind} ${m}, ${d.kernel?.kind} ${k}`;
  const show = (x: KernelEvent | null) => String(x === null ? null : field(x, d.what));
  return `${head}: ${d.what} ${show(d.model)} ${m}, ${show(d.kernel)} ${k}`;
}
