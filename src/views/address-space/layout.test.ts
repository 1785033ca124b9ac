// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import {
  addrToX,
  DEFAULT_LAYOUT,
  firstEndingAfter,
  formatSize,
  indexAt,
  layoutRanges,
} from './layout';

describe('layoutRanges', () => {
  it('fills the width, in proportion, when gaps are short', () => {
    const l = layoutRanges([0x1000, 0x4000], [0x3000, 0x5000], {
      ...DEFAULT_LAYOUT,
      width: 400,
      minVmaWidth: 0,
    });
    expect([...l.x]).toEqual([0, 300]);
    expect([...l.width]).toEqual([200, 100]);
    expect(l.breaks).toEqual([]);
  });

  it('draws a long gap as a fixed-width break', () => {
    const l = layoutRanges([0x1000, 0x7f0000000000], [0x2000, 0x7f0000001000]);
    expect(l.breaks).toEqual([
      { x: l.width[0], width: DEFAULT_LAYOUT.breakWidth, start: 0x2000, end: 0x7f0000000000 },
    ]);
    expect(l.x[1] + l.width[1]).toBeCloseTo(DEFAULT_LAYOUT.width);
  });

  it('never draws more than the width, whatever the minimum sizes', () => {
    const n = 65_530;
    const starts = Float64Array.from({ length: n }, (_, i) => i * 0x100000);
    const ends = starts.map((s) => s + 0x1000);
    const l = layoutRanges(starts, ends);
    expect(l.x[n - 1] + l.width[n - 1]).toBeLessThanOrEqual(DEFAULT_LAYOUT.width + 1e-6);
    for (let i = 1; i < n; i++)
      expect(l.x[i]).toBeGreaterThanOrEqual(l.x[i - 1] + l.width[i - 1] - 1e-9);
  });
});

describe('formatSize', () => {
  it('uses binary units', () => {
    expect([0x1000, 0x4000, 1 << 20, 2 ** 40, 1536].map(formatSize)).toEqual([
      '4 KiB',
      '16 KiB',
      '1 MiB',
      '1 TiB',
      '1.5 KiB',
    ]);
  });
});

describe('indexAt and addrToX', () => {
  const starts = [0x1000, 0x4000];
  const ends = [0x3000, 0x5000];
  const l = layoutRanges(starts, ends, { ...DEFAULT_LAYOUT, width: 400, minVmaWidth: 0 });

  it('finds the VMA under a position, or the nearest within the slack', () => {
    expect(indexAt(l, 10)).toBe(0);
    expect(indexAt(l, 350)).toBe(1);
    expect(indexAt(l, 250)).toBe(-1);
    expect(indexAt(l, 205, 10)).toBe(0);
    expect(indexAt(l, 295, 10)).toBe(1);
    expect(indexAt(l, 450, 100)).toBe(1);
    expect(firstEndingAfter(l, 250)).toBe(1);
  });

  it('maps an address to its position, inside VMAs and across gaps', () => {
    expect(addrToX(starts, ends, l, 0x2000)).toBe(100);
    expect(addrToX(starts, ends, l, 0x3800)).toBe(250);
    expect(addrToX(starts, ends, l, 0x5000)).toBe(400);
    expect(addrToX(starts, ends, l, 0)).toBe(0);
  });
});
