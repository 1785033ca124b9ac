// SPDX-License-Identifier: GPL-2.0-or-later
// Focus and context: which spaces get a window, where the window goes, and
// that a one-page hole among large VMAs is drawn wide enough to see.
import { describe, expect, it } from 'vitest';
import { loadProcMaps, summarize } from '../../engine';
import { addrToX, DEFAULT_LAYOUT, layoutRanges } from './layout';
import { indexSpan, findChange, summaryChange } from './change';
import {
  keepsInView,
  moveWindow,
  needsFocus,
  sliceSummary,
  windowAround,
  windowSize,
} from './focus';
import { layoutReadable } from './layout-readable';

const hex = (n: number) => n.toString(16);
const BASE = 0x200000000000;

/** `n` VMAs of 64 KiB, one page apart, read-write and read-only in turn. */
function space(n: number) {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = BASE + i * 0x11000;
    lines.push(
      `${hex(start)}-${hex(start + 0x10000)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `,
    );
  }
  const loaded = loadProcMaps(lines.join('\n') + '\n', 'maps');
  if (!loaded.ok) throw new Error('maps');
  return summarize(loaded.mm);
}

type Summary = ReturnType<typeof space>;

/** `s` after its VMA `k` is unmapped: the others keep their ids, as a step keeps them. */
function without(s: Summary, k: number): Summary {
  const cut = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
    const out = a.slice(0, a.length - 1) as T;
    out.set(a.subarray(k + 1), k);
    return out;
  };
  return {
    count: s.count - 1,
    ids: cut(s.ids),
    starts: cut(s.starts),
    ends: cut(s.ends),
    kinds: cut(s.kinds),
    perms: cut(s.perms),
    marks: cut(s.marks),
    guards: s.guards,
  };
}

const noDiff = { added: [], removed: [], changed: [] };

describe('needsFocus', () => {
  it('keeps small spaces whole and windows large ones', () => {
    const small = space(40);
    const large = space(4980);
    const at = (s: ReturnType<typeof space>) => layoutRanges(s.starts, s.ends, DEFAULT_LAYOUT);
    expect(needsFocus(small.count, at(small))).toBe(false);
    expect(needsFocus(large.count, at(large))).toBe(true);
    // Whole, 4,980 VMAs get a fraction of a pixel each: nothing can be read.
    expect(at(large).width[100]).toBeLessThan(0.2);
  });
});

describe('windowAround and moveWindow', () => {
  it('centres the change, within the space', () => {
    expect(windowAround(2000, 2001, 4980, 50)).toEqual({ from: 1976, to: 2026 });
    expect(windowAround(3, 3, 4980, 50)).toEqual({ from: 0, to: 50 });
    expect(windowAround(4979, 4979, 4980, 50)).toEqual({ from: 4930, to: 4980 });
    expect(windowAround(0, 0, 10, 50)).toEqual({ from: 0, to: 10 });
    // Wider than the window: its start, with some context before it.
    expect(windowAround(1000, 1400, 4980, 40)).toEqual({ from: 990, to: 1030 });
    expect(windowSize(800)).toBe(50);
  });

  it('moves by whole VMAs and stops at the ends', () => {
    expect(moveWindow({ from: 100, to: 150 }, -50, 4980)).toEqual({ from: 50, to: 100 });
    expect(moveWindow({ from: 20, to: 70 }, -50, 4980)).toEqual({ from: 0, to: 50 });
    expect(moveWindow({ from: 4900, to: 4950 }, 50, 4980)).toEqual({ from: 4930, to: 4980 });
  });

  it('keeps a window that already shows the change with some context', () => {
    const w = { from: 100, to: 150 };
    expect(keepsInView(w, 120, 121, 4980)).toBe(true);
    expect(keepsInView(w, 100, 100, 4980)).toBe(false);
    expect(keepsInView({ from: 0, to: 50 }, 0, 0, 4980)).toBe(true);
    expect(keepsInView(w, 160, 160, 4980)).toBe(false);
  });
});

describe('a window on a 4,980-VMA space', () => {
  it('draws a 64 KiB hole the step made at least 4 pixels wide', () => {
    const before = space(4980);
    const after = without(before, 3000);
    const change = findChange(
      { step: 5, summary: after, diff: noDiff },
      { step: 4, summary: before, diff: noDiff },
      null,
    );
    // The hole: the VMA the unmap removed.
    expect(change).toEqual({ start: BASE + 3000 * 0x11000, end: BASE + 3000 * 0x11000 + 0x10000 });
    const [lo, hi] = indexSpan(after, change!);
    expect([lo, hi]).toEqual([2999, 3000]);
    const w = windowAround(lo, hi, after.count, windowSize(800));
    const s = sliceSummary(after, w.from, w.to);
    expect(s.count).toBe(50);
    const l = layoutReadable(s.starts, s.ends, { ...DEFAULT_LAYOUT, width: 800, minGapWidth: 6 });
    const x0 = addrToX(s.starts, s.ends, l, change!.start);
    const x1 = addrToX(s.starts, s.ends, l, change!.end);
    expect(x1 - x0).toBeGreaterThanOrEqual(4);
    expect(x0).toBeGreaterThan(300);
    expect(x1).toBeLessThan(500);
    // Every VMA of the window is readable, and the window fills the width.
    expect(Math.min(...l.width)).toBeGreaterThanOrEqual(6);
    expect(l.x[s.count - 1] + l.width[s.count - 1]).toBeCloseTo(800);
  });

  it('finds a change after a jump from what the step itself changed', () => {
    const s = space(300);
    const id = s.ids[250];
    const far = findChange(
      { step: 40, summary: s, diff: { added: [], removed: [], changed: [id] } },
      { step: 2, summary: space(10), diff: noDiff },
      null,
    );
    expect(far).toEqual({ start: s.starts[250], end: s.ends[250] });
    expect(summaryChange(s, s)).toBeNull();
    // A merge decision changes nothing yet: its candidate range is the change.
    const range = { start: s.ends[10], end: s.starts[11] };
    expect(findChange({ step: 3, summary: s, diff: noDiff }, null, range)).toBe(range);
  });
});

describe('layoutReadable', () => {
  it('lays out in proportion when nothing is small, with breaks for long gaps', () => {
    const l = layoutReadable([0x1000, 0x4000, 0x7f0000000000], [0x3000, 0x5000, 0x7f0000001000], {
      ...DEFAULT_LAYOUT,
      width: 436,
      minVmaWidth: 0,
      minGapWidth: 0,
    });
    expect([...l.width].map(Math.round)).toEqual([160, 80, 80]);
    expect(l.breaks).toHaveLength(1);
    expect(l.breaks[0].width).toBe(DEFAULT_LAYOUT.breakWidth);
  });
});
