// SPDX-License-Identifier: GPL-2.0-or-later
// Where each VMA goes on a line that stands for the 47-bit address space.
// Mappings are tiny next to the space between them, so long gaps are drawn
// as fixed-width breaks labelled with their size, and VMAs and short gaps
// share the rest of the width in proportion to their size.

export interface LayoutOptions {
  /** Width to fill, in pixels. */
  width: number;
  /** Gaps longer than this many bytes become breaks. */
  breakAbove: number;
  /** Width of a break, in pixels. */
  breakWidth: number;
  /** The narrowest a VMA is drawn, in pixels, so that a page stays visible. */
  minVmaWidth: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  width: 800,
  breakAbove: 16 * 4096,
  breakWidth: 36,
  minVmaWidth: 6,
};

/** A long unmapped stretch between VMA `after` and the next, drawn as a break. */
export interface GapBreak {
  x: number;
  width: number;
  start: number;
  end: number;
}

/** Positions for VMAs given by their ranges (sorted, not overlapping), as typed arrays. */
export interface RangeLayout {
  x: Float64Array;
  width: Float64Array;
  breaks: GapBreak[];
}

/** Lays out VMAs `[starts[i], ends[i])` left to right. */
export function layoutRanges(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  options = DEFAULT_LAYOUT,
): RangeLayout {
  const n = starts.length;
  let breaks = 0;
  let scaled = 0;
  for (let i = 0; i < n; i++) {
    scaled += ends[i] - starts[i];
    const gap = i > 0 ? starts[i] - ends[i - 1] : 0;
    if (gap > options.breakAbove) breaks++;
    else scaled += gap;
  }
  const perByte =
    scaled > 0 ? Math.max(0, options.width - breaks * options.breakWidth) / scaled : 0;
  // Minimum widths may overfill the line: measure, then shrink everything to fit.
  let total = breaks * options.breakWidth;
  for (let i = 0; i < n; i++) {
    total += Math.max(options.minVmaWidth, (ends[i] - starts[i]) * perByte);
    const gap = i > 0 ? starts[i] - ends[i - 1] : 0;
    if (gap <= options.breakAbove) total += gap * perByte;
  }
  const fit = total > options.width ? options.width / total : 1;

  const out: RangeLayout = { x: new Float64Array(n), width: new Float64Array(n), breaks: [] };
  let x = 0;
  for (let i = 0; i < n; i++) {
    const gap = i > 0 ? starts[i] - ends[i - 1] : 0;
    if (gap > options.breakAbove) {
      out.breaks.push({ x, width: options.breakWidth * fit, start: ends[i - 1], end: starts[i] });
      x += options.breakWidth * fit;
    } else {
      x += gap * perByte * fit;
    }
    out.x[i] = x;
    out.width[i] = Math.max(options.minVmaWidth, (ends[i] - starts[i]) * perByte) * fit;
    x += out.width[i];
  }
  return out;
}

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** `16 KiB`, `1.9 GiB`: a size for a label. */
export function formatSize(bytes: number): string {
  let unit = 0;
  let n = bytes;
  while (n >= 1024 && unit < UNITS.length - 1) {
    n /= 1024;
    unit++;
  }
  const text = Number.isInteger(n) ? String(n) : n.toFixed(n < 10 ? 1 : 0);
  return `${text} ${UNITS[unit]}`;
}

/**
 * The VMA drawn at layout position `x` (untransformed), or the nearest one
 * within `slack` pixels, or -1: a binary search over the sorted `layout.x`.
 */
export function indexAt(layout: RangeLayout, x: number, slack = 0): number {
  const n = layout.x.length;
  let lo = 0;
  let hi = n;
  // Last VMA starting at or before x.
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout.x[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i >= 0 && x < layout.x[i] + layout.width[i]) return i;
  const left = i >= 0 ? x - (layout.x[i] + layout.width[i]) : Infinity;
  const right = i + 1 < n ? layout.x[i + 1] - x : Infinity;
  if (Math.min(left, right) > slack) return -1;
  return left <= right ? i : i + 1;
}

/** The first VMA whose right edge is at or after layout position `x` (n when none). */
export function firstEndingAfter(layout: RangeLayout, x: number): number {
  let lo = 0;
  let hi = layout.x.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (layout.x[mid] + layout.width[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Where address `addr` is drawn (untransformed): inside a VMA in proportion,
 * in a gap or a break between the neighbours' edges in proportion.
 */
export function addrToX(
  starts: ArrayLike<number>,
  ends: ArrayLike<number>,
  layout: RangeLayout,
  addr: number,
): number {
  const n = starts.length;
  if (n === 0) return 0;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (starts[mid] <= addr) lo = mid + 1;
    else hi = mid;
  }
  const i = lo - 1;
  if (i < 0) return layout.x[0];
  const endX = layout.x[i] + layout.width[i];
  if (addr < ends[i]) {
    return layout.x[i] + ((addr - starts[i]) / (ends[i] - starts[i])) * layout.width[i];
  }
  if (i + 1 >= n) return endX;
  const f = (addr - ends[i]) / (starts[i + 1] - ends[i]);
  return endX + f * (layout.x[i + 1] - endX);
}
