// SPDX-License-Identifier: GPL-2.0-or-later
// The layout of a window of VMAs (focus.ts): as layoutRanges() lays out the
// whole space, but every VMA and every short gap keeps a readable width, so
// that a one-page hole among VMAs of megabytes still shows. Each part gets
// max(its minimum, its size × p), with p chosen so that the parts fill the
// width: the small parts take their minimum and the large ones share the rest
// in proportion (or, when even the minimums overfill, all shrink alike).
import type { LayoutOptions, RangeLayout } from './layout';

export interface ReadableOptions extends LayoutOptions {
  /** The narrowest a gap of at least a byte (not a break) is drawn, in pixels. */
  minGapWidth: number;
}

/** Lays out VMAs `[starts[i], ends[i])` left to right, each part at least its minimum width. */
export function layoutReadable(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  options: ReadableOptions,
): RangeLayout {
  const n = starts.length;
  const gapOf = (i: number) => (i > 0 ? starts[i] - ends[i - 1] : 0);
  const isBreak = (gap: number) => gap > options.breakAbove;
  let breaks = 0;
  for (let i = 1; i < n; i++) if (isBreak(gapOf(i))) breaks++;
  const room = Math.max(0, options.width - breaks * options.breakWidth);

  // The width of the parts at p pixels a byte (before any shrinking).
  const vmaW = (i: number, p: number) => Math.max(options.minVmaWidth, (ends[i] - starts[i]) * p);
  const gapW = (gap: number, p: number) =>
    gap > 0 && !isBreak(gap) ? Math.max(options.minGapWidth, gap * p) : 0;
  const total = (p: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += vmaW(i, p) + gapW(gapOf(i), p);
    return sum;
  };
  // total() grows with p: bisect for the p that fills the room.
  let lo = 0;
  let hi = 1;
  if (n > 0 && total(0) < room) {
    while (total(hi) < room) hi *= 2;
    for (let k = 0; k < 60; k++) {
      const mid = (lo + hi) / 2;
      if (total(mid) < room) lo = mid;
      else hi = mid;
    }
  }
  const p = lo;
  const used = total(p);
  const fit = used + breaks * options.breakWidth > options.width && used > 0 ? room / used : 1;

  const out: RangeLayout = { x: new Float64Array(n), width: new Float64Array(n), breaks: [] };
  let x = 0;
  for (let i = 0; i < n; i++) {
    const gap = gapOf(i);
    if (isBreak(gap)) {
      out.breaks.push({ x, width: options.breakWidth, start: ends[i - 1], end: starts[i] });
      x += options.breakWidth;
    } else {
      x += gapW(gap, p) * fit;
    }
    out.x[i] = x;
    out.width[i] = vmaW(i, p) * fit;
    x += out.width[i];
  }
  return out;
}
