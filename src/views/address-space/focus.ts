// SPDX-License-Identifier: GPL-2.0-or-later
// Focus and context for large spaces. Squeezed into the width of a screen,
// thousands of VMAs are a solid bar in which a 64 KiB hole is invisible; so
// the main line shows a window of consecutive VMAs at readable widths, around
// the step's change, while an overview strip shows the whole space with the
// window and the change marked. Small spaces are drawn whole, as before.
import type { StepSummary } from '../../engine';
import type { RangeLayout } from './layout';

/** Above this many VMAs the main line shows a window of them. */
export const FOCUS_ABOVE = 200;
/** Below this width (pixels) a VMA is no longer told from its neighbours. */
export const NARROWEST = 3;
/** The width a VMA of the window gets on average, in pixels: the window holds width / this. */
export const READABLE = 16;

/** VMAs `[from, to)` in address order. */
export interface FocusWindow {
  from: number;
  to: number;
}

/** Whether the space is too large to read whole at `layout` (the whole space laid out). */
export function needsFocus(count: number, layout: RangeLayout): boolean {
  if (count > FOCUS_ABOVE) return true;
  for (let i = 0; i < count; i++) if (layout.width[i] < NARROWEST) return true;
  return false;
}

/** How many VMAs a window holds at `width`. */
export const windowSize = (width: number) => Math.max(12, Math.floor(width / READABLE));

const clampFrom = (from: number, size: number, count: number) =>
  Math.max(0, Math.min(from, count - size));

/**
 * A window of `size` of `count` VMAs showing VMAs `[lo, hi]` (the change)
 * in its middle; a change wider than the window shows its start, with a
 * quarter of the window before it.
 */
export function windowAround(lo: number, hi: number, count: number, size: number): FocusWindow {
  const n = Math.min(size, count);
  const span = hi - lo + 1;
  const from = span <= n ? lo - Math.floor((n - span) / 2) : lo - Math.floor(n / 4);
  const f = clampFrom(from, n, count);
  return { from: f, to: f + n };
}

/**
 * Whether the window shows VMAs `[lo, hi]` with `margin` VMAs of context on
 * each side (none is needed at either end of the space).
 */
export function keepsInView(w: FocusWindow, lo: number, hi: number, count: number, margin = 2) {
  const left = w.from === 0 ? 0 : w.from + margin;
  const right = w.to === count ? count : w.to - margin;
  return lo >= left && hi < right;
}

/** The window moved by `by` VMAs (earlier when negative), its size kept, within the space. */
export function moveWindow(w: FocusWindow, by: number, count: number): FocusWindow {
  const n = Math.min(w.to - w.from, count);
  const from = clampFrom(w.from + by, n, count);
  return { from, to: from + n };
}

/** The window of that size centred on VMA `i`. */
export const windowAt = (i: number, count: number, size: number) => windowAround(i, i, count, size);

/**
 * VMAs `[from, to)` of `s` as a summary of their own (views of the same
 * arrays, not copies), with the guard runs that meet them.
 */
export function sliceSummary(s: StepSummary, from: number, to: number): StepSummary {
  const lo = from < to ? s.starts[from] : 0;
  const hi = from < to ? s.ends[to - 1] : 0;
  const guards: number[] = [];
  for (let k = 0; k < s.guards.length; k += 2)
    if (s.guards[k + 1] > lo && s.guards[k] < hi) guards.push(s.guards[k], s.guards[k + 1]);
  return {
    count: to - from,
    ids: s.ids.subarray(from, to),
    starts: s.starts.subarray(from, to),
    ends: s.ends.subarray(from, to),
    kinds: s.kinds.subarray(from, to),
    perms: s.perms.subarray(from, to),
    marks: s.marks.subarray(from, to),
    guards: Float64Array.from(guards),
  };
}
