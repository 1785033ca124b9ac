// SPDX-License-Identifier: GPL-2.0-or-later
// The range a merge decision is about. vma_merge_new_range() decides for a
// range not mapped yet, between `vmg->prev` and `vmg->next`;
// vma_merge_existing_range() for a range inside `vmg->middle` (mprotect(),
// madvise(), mlock() over part of a VMA), with `prev` and `next` the VMAs it
// may join on either side. The view draws `[vmg->start, vmg->end)` over the
// line and outlines those VMAs, as the merge state stands at the decision
// (vmgView() records it as the verdict leaves it, so the two agree).
import type { TraceEvent } from '../../engine';
import { addrToX, type RangeLayout } from './layout';

/** The narrowest the band is drawn, so that a page's range stays visible. */
export const MIN_BAND = 6;

export interface Candidate {
  /** The deciding function: `vma_merge_new_range`, `vma_merge_existing_range`. */
  fn: string;
  start: number;
  end: number;
  /** VMA ids (`vma3` is 3) of the merge state's neighbours, or null. */
  prev: number | null;
  middle: number | null;
  next: number | null;
  /** The accessible name: `Candidate range 0x…–0x… (vma_merge_new_range)`. */
  label: string;
  /** Who takes part, and the merge state's verdict. */
  description: string;
}

const idOf = (name: string | null) => (name === null ? null : Number(name.replace(/^vma/, '')));

/** The candidate of a merge decision (a step with `vmg` and predicates), else null. */
export function candidateOf(event: TraceEvent | undefined): Candidate | null {
  const vmg = event?.vmg;
  if (!event || !vmg || !event.predicates) return null;
  const start = Number(vmg.start);
  const end = Number(vmg.end);
  if (!(end > start)) return null;
  const who = (
    [
      ['prev', vmg.prev],
      ['middle', vmg.middle],
      ['next', vmg.next],
    ] as const
  ).map(([role, name]) => `${role} ${name ?? 'none'}`);
  return {
    fn: event.fn,
    start,
    end,
    prev: idOf(vmg.prev),
    middle: idOf(vmg.middle),
    next: idOf(vmg.next),
    label: `Candidate range ${vmg.start}–${vmg.end} (${event.fn})`,
    description: `${who.join(', ')}; ${vmg.state}`,
  };
}

/** Which part of the merge VMA `id` plays, for its mark. */
export function candidateRole(c: Candidate, id: number): 'prev' | 'middle' | 'next' | null {
  return id === c.middle ? 'middle' : id === c.prev ? 'prev' : id === c.next ? 'next' : null;
}

/** A stretch of the line, in layout pixels. */
export interface Span {
  x: number;
  w: number;
}

/**
 * Lays out the VMAs with `extra` ranges (covered by none) laid out among
 * them as if they were VMAs: the VMAs' layout, and where each extra went.
 */
export function layoutWithRoom(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  extra: readonly { start: number; end: number }[],
  lay: (starts: Float64Array, ends: Float64Array) => RangeLayout,
): { layout: RangeLayout; room: Span[] } {
  const n = starts.length;
  const all = [
    ...Array.from({ length: n }, (_, i) => ({ start: starts[i], end: ends[i], extra: -1 })),
    ...extra.map((r, k) => ({ ...r, extra: k })),
  ].sort((a, b) => a.start - b.start);
  const l = lay(
    Float64Array.from(all, (r) => r.start),
    Float64Array.from(all, (r) => r.end),
  );
  const layout: RangeLayout = {
    x: new Float64Array(n),
    width: new Float64Array(n),
    breaks: l.breaks,
  };
  const room: Span[] = extra.map(() => ({ x: 0, w: 0 }));
  let i = 0;
  all.forEach((r, j) => {
    if (r.extra >= 0) room[r.extra] = { x: l.x[j], w: l.width[j] };
    else {
      layout.x[i] = l.x[j];
      layout.width[i] = l.width[j];
      i++;
    }
  });
  return { layout, room };
}

/**
 * Where the band goes on the (untransformed) line: from the range's start
 * to its end, each inside a VMA in proportion or at the room kept for the
 * part no VMA covers (`room`, in the order uncovered() gives); at least
 * MIN_BAND wide.
 */
export function candidateSpan(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  layout: RangeLayout,
  c: Candidate,
  room: readonly Span[],
  width: number,
): Span {
  const inside = (addr: number, end: boolean) => {
    for (let i = 0; i < starts.length; i++)
      if (end ? addr > starts[i] && addr <= ends[i] : addr >= starts[i] && addr < ends[i])
        return true;
    return false;
  };
  const first = room.at(0);
  const last = room.at(-1);
  const x0 = first && !inside(c.start, false) ? first.x : addrToX(starts, ends, layout, c.start);
  const x1 = last && !inside(c.end, true) ? last.x + last.w : addrToX(starts, ends, layout, c.end);
  const w = Math.max(MIN_BAND, x1 - x0);
  return { x: Math.max(0, Math.min(x0, width - w)), w };
}
