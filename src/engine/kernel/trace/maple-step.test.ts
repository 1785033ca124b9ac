// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { MTREE_INIT, MT_FLAGS_ALLOC_RANGE, forEachNode } from '../maple/index';
import type { MapleTree } from '../maple/index';
import { mtree_store_range } from '../maple/store';
import { MapleStepRecorder } from './maple-step';
import { runScenario, type Step } from '../../timeline/run';

const RW = 'PROT_READ|PROT_WRITE';
const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
const mmap = (i: number, pages = 1, prot = RW) =>
  `mmap(${page(i)}, 0x${(pages * 0x1000).toString(16)}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function run(lines: string[]): Step[] {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.steps;
}

function ids<T>(tree: MapleTree<T>): Set<number> {
  const out = new Set<number>();
  forEachNode(tree.root, (n) => out.add(n.id));
  return out;
}

/** Every id a step names is in its tree; every freed one was in the tree before. */
function expectConsistent(steps: Step[]): void {
  for (let i = 1; i < steps.length; i++) {
    const m = steps[i].maple;
    if (!m) continue;
    const now = ids(steps[i].mm.mt);
    const before = ids(steps[i - 1].mm.mt);
    for (const c of [...m.created, ...m.written]) expect(now.has(c.id), `step ${i}`).toBe(true);
    // A walked node is in the tree, or a split or rebalance freed it.
    for (const id of m.walked)
      expect(now.has(id) || m.freed.includes(id), `walked ${id}`).toBe(true);
    for (const id of m.freed) {
      expect(now.has(id)).toBe(false);
      expect(before.has(id), `freed ${id} at step ${i}`).toBe(true);
    }
    for (const s of m.splits) for (const id of s.ids) expect(now.has(id)).toBe(true);
  }
}

describe('maple tree changes per step', () => {
  it('a new root: mas_root_expand() builds a leaf, the height goes from 0 to 1', () => {
    const steps = run([mmap(0)]);
    const m = steps.find((s) => s.maple)?.maple;
    expect(m).toMatchObject({
      storeTypes: ['wr_store_root'],
      created: [{ by: 'mas_root_expand' }],
      written: [],
      freed: [],
      height: { from: 0, to: 1 },
    });
  });

  it('a leaf that overflows splits: new nodes, a split record and a taller tree', () => {
    const lines: string[] = [];
    for (let i = 0; i < 8; i++) lines.push(mmap(2 * i));
    const steps = run(lines);
    const split = steps.find((s) => s.maple?.splits.length)?.maple;
    expect(split?.storeTypes).toEqual(['wr_split_store']);
    expect(split?.splits[0].by).toBe('mas_split');
    expect(split?.created.map((c) => c.by)).toEqual(['mas_split', 'mas_split', 'mas_split']);
    expect(split?.height).toEqual({ from: 1, to: 2 });
    expect(split?.freed).toHaveLength(1);
    expectConsistent(steps);
  });

  it('a node store below the root: new leaf, parent slot written in place by mas_put_in_tree', () => {
    const lines: string[] = [];
    for (let i = 0; i < 9; i++) lines.push(mmap(2 * i));
    const steps = run(lines);
    const last = steps.filter((s) => s.maple).pop()?.maple;
    expect(last?.storeTypes).toEqual(['wr_node_store']);
    expect(last?.created).toEqual([{ id: expect.any(Number), by: 'mas_wr_node_store' }]);
    expect(last?.written).toEqual([{ id: steps.at(-1)?.mm.mt.root?.id, by: 'mas_put_in_tree' }]);
    // The walk went through the root and the leaf the write replaced.
    expect(last?.walked).toContain(steps.at(-1)?.mm.mt.root?.id);
    expectConsistent(steps);
  });

  it('a refresh (mprotect of a whole VMA changes its flags in place) writes no node', () => {
    const steps = run([mmap(0), mmap(4), `mprotect(${page(0)}, 0x1000, PROT_READ)`]);
    const from = steps.findIndex((s) => s.fn === 'sys_mmap' && s.message.includes(page(4)));
    const after = steps.slice(from + 1);
    expect(after.length).toBeGreaterThan(0);
    // The model copied the leaf (the VMA object changed) ...
    expect(steps.at(-1)?.mm.mt.root?.id).not.toBe(steps[from].mm.mt.root?.id);
    // ... but the kernel wrote nothing in the tree.
    for (const s of after) expect(s.maple).toBeUndefined();
  });

  it('keeps ids consistent over splits, merges, refreshes and unmaps', () => {
    const lines: string[] = [];
    for (let i = 0; i < 40; i++) lines.push(mmap(2 * i));
    lines.push(mmap(1), `mprotect(${page(0)}, 0x1000, PROT_READ)`, `munmap(${page(10)}, 0x20000)`);
    const steps = run(lines);
    expectConsistent(steps);
    expect(steps.some((s) => s.maple?.rebalances.length || s.maple?.storeTypes.length)).toBe(true);
  });

  it('wr_append writes the leaf in place (no RCU), and the old leaf is not freed', () => {
    const rec = new MapleStepRecorder();
    let tree = MTREE_INIT<number>(MT_FLAGS_ALLOC_RANGE);
    tree = mtree_store_range(tree, 0x1000, 0x1fff, 1);
    tree = mtree_store_range(tree, 0x3000, 0x3fff, 2);
    rec.take();
    tree = mtree_store_range(tree, 0x5000, 0x5fff, 3, rec.sink);
    const m = rec.take();
    expect(m?.storeTypes).toEqual(['wr_append']);
    expect(m?.written).toEqual([{ id: tree.root?.id, by: 'mas_wr_append' }]);
    expect(m?.created).toEqual([]);
    expect(m?.freed).toEqual([]);
    expect(rec.take()).toBeUndefined();
  });

  it('follows more replaced nodes in one step than its small id lists hold', () => {
    // Past 32 replacements in a step the recorder's id maps become Maps:
    // 60 exact fits across a height-3 tree, one step, must still name
    // nodes of the final tree only, each written leaf once.
    const rec = new MapleStepRecorder();
    let tree = MTREE_INIT<number>(MT_FLAGS_ALLOC_RANGE);
    for (let k = 0; k < 400; k++)
      tree = mtree_store_range(tree, k * 0x2000, k * 0x2000 + 0xfff, k + 1);
    const before = ids(tree);
    for (let k = 0; k < 60; k++) {
      const at = ((k * 37) % 400) * 0x2000;
      tree = mtree_store_range(tree, at, at + 0xfff, 1000 + k, rec.sink);
    }
    const m = rec.take();
    if (m === undefined) throw new Error('no record');
    const now = ids(tree);
    expect(m.storeTypes).toHaveLength(60);
    for (const c of [...m.created, ...m.written]) expect(now.has(c.id)).toBe(true);
    for (const id of m.walked) expect(now.has(id)).toBe(true);
    for (const id of m.freed) expect(now.has(id) || !before.has(id)).toBe(false);
    // Exact fits change leaves in place: written, never created.
    expect(m.created).toEqual([]);
    const leaves = m.written.filter((w) => w.by === 'mas_wr_exact_fit').map((w) => w.id);
    expect(new Set(leaves).size).toBe(leaves.length);
    expect(leaves.length).toBeGreaterThan(10);
  });

  it('a refresh after a write maps the written node to its final copy', () => {
    const rec = new MapleStepRecorder();
    let tree = MTREE_INIT<number>(MT_FLAGS_ALLOC_RANGE);
    tree = mtree_store_range(tree, 0x1000, 0x1fff, 1);
    tree = mtree_store_range(tree, 0x3000, 0x3fff, 2);
    tree = mtree_store_range(tree, 0x5000, 0x5fff, 3, rec.sink);
    rec.refresh(() => {
      tree = mtree_store_range(tree, 0x1000, 0x1fff, 4, rec.sink);
    });
    const m = rec.take();
    expect(m?.storeTypes).toEqual(['wr_append']);
    expect(m?.written).toEqual([{ id: tree.root?.id, by: 'mas_wr_append' }]);
  });
});
