// SPDX-License-Identifier: GPL-2.0-or-later
// The comparison panel's words, from plain data: each aligned step as a row
// of A and B cells with what differs marked in words (never by colour
// alone), the window of rows drawn, and the details of the step selected.
import type {
  ComparedRow,
  ComparedSide,
  ComparisonSummary,
  StepDifferenceKind,
} from '../../engine';

/** One cell: its text, and whether it differs from the other side's. */
export interface CompareCell {
  text: string;
  differs: boolean;
}

export interface CompareRowView {
  /** 1-based position in the alignment. */
  row: number;
  a: CompareCell;
  resultA: CompareCell;
  b: CompareCell;
  resultB: CompareCell;
  /** What differs, in a few words (`result, VMAs`); empty when alike. */
  differs: string;
  /** The row's mark for assistive technology: `step 14 differs: result`, `step 3 alike`. */
  label: string;
}

/** The words for each kind of difference. */
const KIND_WORDS: Record<StepDifferenceKind, string> = {
  missing: 'only one side',
  call: 'call',
  result: 'result',
  vmas: 'VMAs',
  events: 'kernel events',
};

/** The rows drawn at most: a long recording shows the ones around the step selected. */
export const MAX_SHOWN_ROWS = 400;

const ABSENT = '—';

export function compareRowView(r: ComparedRow): CompareRowView {
  const has = (k: StepDifferenceKind) => r.differs.includes(k);
  let differs = r.differs.map((k) => KIND_WORDS[k]).join(', ');
  if (has('missing')) differs = r.a === null ? 'only in B' : 'only in A';
  const call = has('call') || has('missing');
  return {
    row: r.row,
    a: { text: r.a?.text ?? ABSENT, differs: call },
    resultA: { text: r.a?.result ?? ABSENT, differs: has('result') },
    b: { text: r.b?.text ?? ABSENT, differs: call },
    resultB: { text: r.b?.result ?? ABSENT, differs: has('result') },
    differs,
    label: differs ? `step ${r.row} differs: ${differs}` : `step ${r.row} alike`,
  };
}

/** The rows `[from, to)` drawn: all of them, or MAX_SHOWN_ROWS around the one selected. */
export function shownRows(
  total: number,
  selected: number,
  max = MAX_SHOWN_ROWS,
): { from: number; to: number } {
  if (total <= max) return { from: 0, to: total };
  const from = Math.min(Math.max(0, selected - Math.floor(max / 2)), total - max);
  return { from, to: from + max };
}

/** `stock.json: Linux 6.18.0, /bin/true, space 0, 62 steps`. */
export function sideCaption(side: ComparedSide): string {
  const parts = [
    side.release ? `Linux ${side.release}` : null,
    side.command,
    side.space === null ? 'a judge recording' : `space ${side.space}`,
    `${side.steps} steps`,
  ].filter((p) => p !== null);
  return `${side.name}: ${parts.join(', ')}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** `62 steps aligned: 61 alike, 1 different (1 result, ...)`. */
export function countsLine(s: ComparisonSummary): string {
  const kinds = [
    plural(s.results, 'result'),
    `${s.vmas} with other VMAs`,
    `${s.events} with other kernel events`,
    `${s.onlyA} only in A`,
    `${s.onlyB} only in B`,
  ];
  return (
    `${plural(s.rows, 'step')} aligned: ${s.same} alike, ${s.different} different ` +
    `(${kinds.join(', ')}). Final smaps: ${s.finalSmaps}.`
  );
}

export interface StepDetails {
  heading: string;
  sides: Array<{ side: 'A' | 'B'; text: string }>;
  /** Each difference in words; empty when alike. */
  differences: string[];
  /** Maps lines after the step on one side only, or why VMAs are not compared. */
  onlyA: string[];
  onlyB: string[];
  vmaNote: string;
  events: string[];
}

const sideText = (s: ComparedRow['a']): string =>
  s === null
    ? 'no step here'
    : `step ${s.step}, line ${s.line}: ${s.text}` +
      (s.result === null ? '' : ` = ${s.result}`) +
      (s.vmaCount === null ? '' : ` (${plural(s.vmaCount, 'maps line')} after it)`);

export function stepDetails(r: ComparedRow): StepDetails {
  const vmas = r.vmas;
  let vmaNote = 'The VMAs after it are not compared: a side has none.';
  if (vmas) {
    const n = vmas.onlyA.length + vmas.onlyB.length + vmas.unnamed;
    vmaNote =
      n === 0
        ? 'The VMAs after it are the same.'
        : `The VMAs after it differ: ${plural(n, 'maps line')} on one side only` +
          (vmas.unnamed ? ` (${vmas.unnamed} not listed).` : '.');
  }
  const events = r.eventsUnnamed
    ? [...r.events, `and ${plural(r.eventsUnnamed, 'difference')} more`]
    : r.events;
  return {
    heading: `Step ${r.row}`,
    sides: [
      { side: 'A', text: sideText(r.a) },
      { side: 'B', text: sideText(r.b) },
    ],
    differences: r.words,
    onlyA: vmas?.onlyA ?? [],
    onlyB: vmas?.onlyB ?? [],
    vmaNote,
    events,
  };
}
