// SPDX-License-Identifier: GPL-2.0-or-later
// The Kernel events view's words, from plain data: a step's call with the
// events the model says the kernel emits and, when a recording covers the
// call, the ones the kernel emitted, row by row, each difference named.
import type { CallEventsData, KernelEvent } from '../../engine';

/** One row of the side-by-side table: the model's event and the kernel's at one position. */
export interface EventRow {
  /** 1-based, as the differences count them. */
  position: number;
  model: string | null;
  kernel: string | null;
  /** What differs at this position (`fn`, `entry`, `missing`...); empty when they agree. */
  differs: string[];
  /** The model's event was emitted by the step on screen (not another step of its call). */
  inStep: boolean;
}

export interface KernelEventsView {
  /** `line 6: mmap(...)`. */
  call: string;
  status: 'confirmed' | 'different' | 'unrecorded';
  /** One sentence on how the call compares. */
  verdict: string;
  rows: EventRow[];
  /** Positions past MAX_ROWS, not in `rows`. */
  hiddenRows: number;
  /** Each difference in words, and a last line counting those not named. */
  differences: string[];
  /** The ma_write functions of the call in order: the path of its tree writes. */
  modelPath: string[];
  kernelPath: string[] | null;
}

/** The rows drawn at most: a call that frees thousands of VMAs shows its first ones. */
export const MAX_ROWS = 500;

const range = (a: string, b: string) => `${a}-${b}`;

/** One event in a line: `ma_write mas_wr_node_store node1 [0x0-0xff…] 0x2000-0x3fff = vma1`. */
export function formatEvent(e: KernelEvent): string {
  switch (e.kind) {
    case 'ma_write':
      return `ma_write ${e.fn} ${e.node} [${range(e.min, e.max)}] ${range(e.index, e.last)} = ${e.entry ?? 'NULL'}`;
    case 'ma_op':
      return `ma_op ${e.fn} ${e.node} [${range(e.min, e.max)}] ${range(e.index, e.last)}`;
    case 'alloc':
    case 'free':
      return `${e.kind} ${e.cache} ${e.id} by ${e.site}`;
    case 'unmapped_area':
      return (
        `unmapped_area length ${e.length} in [${range(e.low, e.high)}] ` +
        (e.addr === null ? `failed ${e.err}` : `found ${e.addr}`)
      );
    case 'fault':
      return `fault at ${e.address} error ${e.errorCode}`;
  }
}

/** The functions of the call's stores into the tree, in order. */
export const writePath = (events: readonly KernelEvent[]): string[] =>
  events.flatMap((e) => (e.kind === 'ma_write' ? [e.fn] : []));

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

export function kernelEventsView(data: CallEventsData): KernelEventsView {
  const recorded = data.recorded;
  const kernel = recorded?.events ?? [];
  const n = Math.max(data.model.length, recorded ? kernel.length : 0);
  const differing = new Map<number, string[]>();
  for (const d of recorded?.differences ?? []) {
    differing.set(d.index, [...(differing.get(d.index) ?? []), d.what]);
  }
  const rows: EventRow[] = [];
  for (let i = 0; i < Math.min(n, MAX_ROWS); i++) {
    rows.push({
      position: i + 1,
      model: i < data.model.length ? formatEvent(data.model[i]) : null,
      kernel: recorded && i < kernel.length ? formatEvent(kernel[i]) : null,
      differs: differing.get(i) ?? [],
      inStep: i >= data.stepFrom && i < data.stepTo,
    });
  }
  const call = `line ${data.line}: ${data.text}`;
  if (!recorded) {
    return {
      call,
      status: 'unrecorded',
      verdict: `No recording covers this call: the model's ${plural(data.model.length, 'event')}.`,
      rows,
      hiddenRows: Math.max(0, n - MAX_ROWS),
      differences: [],
      modelPath: writePath(data.model),
      kernelPath: null,
    };
  }
  const differences = recorded.differences.map((d) => d.text);
  const unnamed = recorded.differenceCount - differences.length;
  if (unnamed > 0) differences.push(`and ${plural(unnamed, 'more difference')}`);
  return {
    call,
    status: recorded.status,
    verdict:
      (recorded.status === 'confirmed'
        ? `Confirmed by the kernel: the ${plural(kernel.length, 'event')} of ${recorded.recording} agree with the model's.`
        : `Differs from the kernel: ${plural(recorded.differenceCount, 'difference')} between the model's ` +
          `${plural(data.model.length, 'event')} and the ${plural(kernel.length, 'event')} of ${recorded.recording}.`) +
      (data.modelIn ? ` The model ran this call in ${data.modelIn}, as the kernel did.` : ''),
    rows,
    hiddenRows: Math.max(0, n - MAX_ROWS),
    differences,
    modelPath: writePath(data.model),
    kernelPath: writePath(kernel),
  };
}
