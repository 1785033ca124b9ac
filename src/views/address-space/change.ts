// SPDX-License-Identifier: GPL-2.0-or-later
// Where a step's change lies in the address space, for a view that must keep
// it in sight: the VMAs it added or changed, the range a merge decision is
// about, or, between two steps shown one after the other, whatever the two
// pictures differ in (which also finds a hole that an unmap left, whose VMA
// the new step no longer has).
import type { StepDiff, StepSummary } from '../../engine';

/** Addresses `[start, end)`. */
export interface AddrRange {
  start: number;
  end: number;
}

const same = (a: StepSummary, i: number, b: StepSummary, j: number) =>
  a.ids[i] === b.ids[j] &&
  a.starts[i] === b.starts[j] &&
  a.ends[i] === b.ends[j] &&
  a.kinds[i] === b.kinds[j] &&
  a.perms[i] === b.perms[j] &&
  a.marks[i] === b.marks[j];

/**
 * The addresses where two pictures differ: the VMAs between the first and
 * the last that are not the same on both, from either side; null when alike.
 */
export function summaryChange(a: StepSummary, b: StepSummary): AddrRange | null {
  let i = 0;
  while (i < a.count && i < b.count && same(a, i, b, i)) i++;
  let ja = a.count - 1;
  let jb = b.count - 1;
  while (ja >= i && jb >= i && same(a, ja, b, jb)) {
    ja--;
    jb--;
  }
  let start = Infinity;
  let end = -Infinity;
  if (ja >= i) {
    start = a.starts[i];
    end = a.ends[ja];
  }
  if (jb >= i) {
    start = Math.min(start, b.starts[i]);
    end = Math.max(end, b.ends[jb]);
  }
  return start < end ? { start, end } : null;
}

/** From the first to the last of the VMAs of `s` whose ids are in `ids`; null when none is. */
function rangeOfIds(s: StepSummary, ids: ReadonlySet<number>): AddrRange | null {
  let start = Infinity;
  let end = -Infinity;
  for (let i = 0; i < s.count; i++) {
    if (!ids.has(s.ids[i])) continue;
    start = Math.min(start, s.starts[i]);
    end = Math.max(end, s.ends[i]);
  }
  return start < end ? { start, end } : null;
}

/** The index of the first VMA ending after `addr` (`ends.length` when none does). */
function firstEndAfter(ends: ArrayLike<number>, addr: number): number {
  let lo = 0;
  let hi = ends.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid] <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The addresses of the VMAs `diff` added or changed in `s`; null when none. */
export function diffChange(s: StepSummary, diff: StepDiff): AddrRange | null {
  if (diff.added.length + diff.changed.length === 0) return null;
  return rangeOfIds(s, new Set([...diff.added, ...diff.changed]));
}

/**
 * The parts of `[start, end)` that no VMA of `[starts, ends)` covers: the
 * hole an unmap left, or a new range a merge decision is about (a line
 * filled by its VMAs has no room for it, and a long gap is drawn narrow).
 */
export function uncovered(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  start: number,
  end: number,
): AddrRange[] {
  let i = firstEndAfter(ends, start);
  const out: AddrRange[] = [];
  let at = start;
  for (; i < starts.length && at < end && starts[i] < end; i++) {
    if (starts[i] > at) out.push({ start: at, end: starts[i] });
    at = Math.max(at, ends[i]);
  }
  if (at < end) out.push({ start: at, end });
  return out;
}

/**
 * Where the VMAs `diff` removed from `s` were, as the first of `earlier`
 * (steps shown before, newest first) that still has them says, narrowed to
 * what `s` leaves unmapped there; null when no step has them. After a jump,
 * an unmap's last steps (vma_iter_clear_gfp(), the VMA freed) change no VMA
 * that is left: only the removed one's place says where the hole is (an
 * earlier step may have it whole, before __split_vma() cut it).
 */
export function removedChange(
  s: StepSummary,
  diff: StepDiff,
  earlier: readonly StepSummary[],
): AddrRange | null {
  if (diff.removed.length === 0) return null;
  const ids = new Set(diff.removed);
  for (const e of earlier) {
    const was = rangeOfIds(e, ids);
    if (!was) continue;
    const { start, end } = was;
    const holes = uncovered(s.starts, s.ends, start, end);
    // Taken over whole by another VMA (a merge): where it was.
    if (holes.length === 0) return { start, end };
    return { start: holes[0].start, end: holes[holes.length - 1].end };
  }
  return null;
}

/**
 * The VMAs of `s` a range touches, as `[lo, hi]` indexes; for a hole, the
 * VMAs on either side of it. Empty `s`: `[0, -1]`.
 */
export function indexSpan(s: StepSummary, r: AddrRange): [number, number] {
  const first = firstEndAfter(s.ends, r.start);
  // Last VMA starting before the range's end.
  let lo = first;
  let hi = s.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.starts[mid] < r.end) lo = mid + 1;
    else hi = mid;
  }
  const last = lo - 1;
  if (first <= last) return [first, last];
  // A hole: its neighbours (the one before, the one after), within the space.
  return [Math.max(0, last), Math.min(s.count - 1, first)];
}

/** A step as the change is found from: its VMAs, what it changed, its step index. */
export interface ChangeInput {
  step: number;
  summary: StepSummary;
  diff: StepDiff;
}

/**
 * The change to keep in sight at step `next`, having shown `before` (a step
 * of the same run, or null): stepping by one, what differs on screen
 * (forward or back); after a jump, what the step itself added, changed or
 * (as `earlier` steps shown, newest first, place it) removed; else the merge
 * decision's `candidate`; else whatever differs from the step shown before.
 * Null: nothing to follow (the view stays where it is).
 */
export function findChange(
  next: ChangeInput,
  before: ChangeInput | null,
  candidate: AddrRange | null,
  earlier: readonly StepSummary[] = [],
): AddrRange | null {
  const adjacent = before !== null && Math.abs(before.step - next.step) === 1;
  const own = adjacent
    ? (summaryChange(before.summary, next.summary) ?? diffChange(next.summary, next.diff))
    : (diffChange(next.summary, next.diff) ?? removedChange(next.summary, next.diff, earlier));
  if (own) return own;
  if (candidate) return candidate;
  return before && !adjacent ? summaryChange(before.summary, next.summary) : null;
}
