// SPDX-License-Identifier: GPL-2.0-or-later
// Where each VMA goes on a line that stands for the 47-bit address space.
// Mappings are tiny next to the space between them, so long gaps are drawn
// as fixed-width breaks labelled with their size, and VMAs and short gaps
// share the rest of the width in proportion to their size.
import type { VmaRow } from '../../engine';

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

export type Segment =
  | { kind: 'vma'; vma: VmaRow; x: number; width: number }
  | { kind: 'gap'; start: number; end: number; x: number; width: number; broken: boolean };

/** Lays out `vmas` (sorted, not overlapping) left to right. */
export function layoutAddressSpace(vmas: readonly VmaRow[], options = DEFAULT_LAYOUT): Segment[] {
  const pieces: Array<{ kind: 'vma'; vma: VmaRow } | { kind: 'gap'; start: number; end: number }> =
    [];
  for (let i = 0; i < vmas.length; i++) {
    const v = vmas[i];
    if (i > 0 && vmas[i - 1].end < v.start) {
      pieces.push({ kind: 'gap', start: vmas[i - 1].end, end: v.start });
    }
    pieces.push({ kind: 'vma', vma: v });
  }
  const size = (p: (typeof pieces)[number]) =>
    p.kind === 'vma' ? p.vma.end - p.vma.start : p.end - p.start;
  const broken = (p: (typeof pieces)[number]) => p.kind === 'gap' && size(p) > options.breakAbove;

  const fixed = pieces.filter(broken).length * options.breakWidth;
  const scaled = pieces.filter((p) => !broken(p)).reduce((sum, p) => sum + size(p), 0);
  const perByte = scaled > 0 ? Math.max(0, options.width - fixed) / scaled : 0;
  const widths = pieces.map((p) =>
    broken(p)
      ? options.breakWidth
      : Math.max(p.kind === 'vma' ? options.minVmaWidth : 0, size(p) * perByte),
  );
  // Minimum widths may overfill the line: shrink everything to fit.
  const total = widths.reduce((a, b) => a + b, 0);
  const fit = total > options.width ? options.width / total : 1;

  let x = 0;
  return pieces.map((p, i) => {
    const width = widths[i] * fit;
    const seg: Segment =
      p.kind === 'vma'
        ? { kind: 'vma', vma: p.vma, x, width }
        : { kind: 'gap', start: p.start, end: p.end, x, width, broken: broken(p) };
    x += width;
    return seg;
  });
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
