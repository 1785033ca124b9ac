// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import type { VmaRow } from '../../engine';
import { DEFAULT_LAYOUT, formatSize, layoutAddressSpace } from './layout';

const vma = (id: number, start: number, end: number): VmaRow => ({
  id,
  start,
  end,
  maps: '',
  flags: [],
  kind: 'anon',
});

describe('layoutAddressSpace', () => {
  it('fills the width, in proportion, when gaps are short', () => {
    const segs = layoutAddressSpace([vma(1, 0x1000, 0x3000), vma(2, 0x4000, 0x5000)], {
      ...DEFAULT_LAYOUT,
      width: 400,
      minVmaWidth: 0,
    });
    expect(segs.map((s) => [s.kind, s.x, s.width])).toEqual([
      ['vma', 0, 200],
      ['gap', 200, 100],
      ['vma', 300, 100],
    ]);
  });

  it('draws a long gap as a fixed-width break', () => {
    const segs = layoutAddressSpace([
      vma(1, 0x1000, 0x2000),
      vma(2, 0x7f0000000000, 0x7f0000001000),
    ]);
    const gap = segs[1];
    expect(gap).toMatchObject({ kind: 'gap', broken: true, width: DEFAULT_LAYOUT.breakWidth });
    const right = segs[2];
    expect(right.x + right.width).toBeCloseTo(DEFAULT_LAYOUT.width);
  });

  it('never draws more than the width, whatever the minimum sizes', () => {
    const many = Array.from({ length: 500 }, (_, i) => vma(i, i * 0x100000, i * 0x100000 + 0x1000));
    const segs = layoutAddressSpace(many);
    const last = segs[segs.length - 1];
    expect(last.x + last.width).toBeLessThanOrEqual(DEFAULT_LAYOUT.width + 1e-6);
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
