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
