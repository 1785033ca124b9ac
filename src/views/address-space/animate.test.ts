// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario, summarize, vmaRows, type MmState } from '../../engine';
import { planAnimation, consecutive, type Picture } from './animate';
import { DEFAULT_LAYOUT, layoutRanges } from './layout';

const anon = (addr: string, len: string, prot = 'PROT_READ|PROT_WRITE') =>
  `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function steps(...lines: string[]) {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const timeline = {};
  return out.steps.map((s, step): Picture & { fn: string; mm: MmState } => {
    const summary = summarize(s.mm);
    const layout = layoutRanges(summary.starts, summary.ends, DEFAULT_LAYOUT);
    return { timeline, step, fn: s.fn, mm: s.mm, summary, rows: vmaRows(s.mm), layout };
  });
}

/** The step where `fn` ran (the last one) and the one before it. */
function around(all: ReturnType<typeof steps>, fn: string) {
  const i = all.findLastIndex((s) => s.fn === fn);
  expect(i).toBeGreaterThan(0);
  return [all[i - 1], all[i]] as const;
}

describe('planAnimation', () => {
  it('merge: the absorbed VMA joins the survivor, which grows', () => {
    // AA_CC -> mmap B in the hole -> AAAAA: vma_expand() grows A over B and C.
    const all = steps(
      anon('0x200000000000', '0x1000'),
      anon('0x200000002000', '0x1000'),
      anon('0x200000001000', '0x1000'),
    );
    const [before, after] = around(all, 'vma_expand');
    const [a, c] = before.summary.ids;
    const plan = planAnimation(before, after);
    expect(plan.changes.get(a)).toBe('resize');
    expect(plan.changes.get(c)).toBe('merge');
    expect(plan.from.get(a)).toEqual({ x: before.layout.x[0], w: before.layout.width[0] });
    // C goes to where the survivor now draws C's pages: its last third.
    const to = plan.to.get(c)!;
    expect(to.x + to.w).toBeCloseTo(after.layout.x[0] + after.layout.width[0]);
    expect(to.w).toBeCloseTo(after.layout.width[0] / 3);
    // Stepping back plays it in reverse: C comes out of A.
    const back = planAnimation(after, before);
    expect(back.changes.get(c)).toBe('split');
    expect(back.from.get(c)).toEqual(to);
  });

  it('split: the new VMA starts over its part of the old one', () => {
    const all = steps(anon('0x200000000000', '0x4000'), 'munmap(0x200000001000, 0x1000)');
    const [before, after] = around(all, '__split_vma');
    const plan = planAnimation(before, after);
    const added = [...after.summary.ids].filter((id) => !before.summary.ids.includes(id));
    expect(added).toHaveLength(1);
    expect(plan.changes.get(added[0])).toBe('split');
    // Its parent: the VMA of the step before that held its pages.
    const i = after.summary.ids.indexOf(added[0]);
    const p = before.summary.starts.findIndex(
      (s, j) => s <= after.summary.starts[i] && before.summary.ends[j] >= after.summary.ends[i],
    );
    const from = plan.from.get(added[0])!;
    expect(from.x).toBeGreaterThanOrEqual(before.layout.x[p] - 1e-9);
    expect(from.x + from.w).toBeLessThanOrEqual(before.layout.x[p] + before.layout.width[p] + 1e-9);
    expect(from.w).toBeLessThan(before.layout.width[p]);
  });

  it('unmap and map fade: no place to come from or go to', () => {
    const all = steps(
      anon('0x200000000000', '0x1000'),
      anon('0x200000100000', '0x1000'),
      'munmap(0x200000100000, 0x1000)',
    );
    const mapped = around(all, '__mmap_new_vma');
    const id = mapped[1].summary.ids[1];
    const plan = planAnimation(mapped[0], mapped[1]);
    expect(plan.changes.get(id)).toBe('map');
    expect(plan.from.has(id)).toBe(false);
    const last = all[all.length - 1];
    const gone = all.findLastIndex((s) => s.summary.count === 2);
    const unmap = planAnimation(all[gone], all[gone + 1]);
    expect(last.summary.count).toBe(1);
    expect(unmap.changes.get(id)).toBe('unmap');
    expect(unmap.to.has(id)).toBe(false);
  });

  it('move: copy_vma() slides the copy out of its source', () => {
    const all = steps(
      anon('0x200000000000', '0x2000'),
      '@touch(0x200000000000)',
      'mremap(0x200000000000, 0x2000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, 0x200000100000)',
    );
    const [before, after] = around(all, 'copy_vma');
    const copy = [...after.summary.ids].find((id) => !before.summary.ids.includes(id))!;
    const plan = planAnimation(before, after);
    expect(plan.changes.get(copy)).toBe('move');
    expect(plan.from.get(copy)).toEqual({ x: before.layout.x[0], w: before.layout.width[0] });
  });

  it('animates only between consecutive steps of one timeline', () => {
    const all = steps(anon('0x200000000000', '0x1000'), anon('0x200000002000', '0x1000'));
    expect(consecutive(all[1], all[2])).toBe(true);
    expect(consecutive(all[2], all[1])).toBe(true);
    expect(consecutive(all[0], all[2])).toBe(false);
    expect(consecutive(null, all[2])).toBe(false);
    expect(consecutive({ ...all[1], timeline: {} }, all[2])).toBe(false);
  });
});
