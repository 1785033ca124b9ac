// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { loadProcMaps, mapleView, runScenario, type MapleView } from '../../engine';
import { describeChanges, nodeLabel } from './caption';
import {
  DEFAULT_LAYOUT as O,
  SMALL_TREE,
  childrenOf,
  defaultExpanded,
  findVma,
  focusPaths,
  layoutTree,
  nodeKey,
  pathTo,
  visibleNodes,
} from './layout';
import { kindAt, shortGap, shortHex } from './render';

const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
const mmap = (i: number) =>
  `mmap(${page(i)}, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function lastView(n: number): MapleView {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(mmap(2 * i));
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error('run');
  const step = out.steps.filter((s) => s.maple).at(-1);
  if (!step) throw new Error('no step');
  return mapleView(step.mm, step.maple);
}

function bigView(): MapleView {
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const start = 0x200000000000 + i * 0x1000;
    const perms = i % 2 ? 'r--p' : 'rw-p';
    lines.push(`${start.toString(16)}-${(start + 0x1000).toString(16)} ${perms} 00000000 00:00 0 `);
  }
  const loaded = loadProcMaps(lines.join('\n') + '\n', 'maps');
  if (!loaded.ok) throw new Error('maps');
  return mapleView(loaded.mm);
}

describe('maple tree layout', () => {
  it('shows a small tree whole, children centred under their parent, no overlaps', () => {
    const v = lastView(40);
    expect(v.count).toBeLessThanOrEqual(SMALL_TREE);
    const open = defaultExpanded(v);
    const l = layoutTree(v, (i) => open.has(i));
    expect(l.nodes).toHaveLength(v.count);
    const root = l.byIndex.get(0)!;
    const kids = childrenOf(v, 0).map((c) => l.byIndex.get(c)!);
    expect(kids.every((k) => k.y > root.y)).toBe(true);
    const mid = (kids[0].x + kids.at(-1)!.x + kids.at(-1)!.width) / 2;
    expect(root.x + root.width / 2).toBeCloseTo(mid);
    // Nodes of one level do not overlap.
    for (let d = 0; d < v.height; d++) {
      const row = l.nodes.filter((n) => v.depths[n.index] === d).sort((a, b) => a.x - b.x);
      for (let k = 1; k < row.length; k++)
        expect(row[k].x).toBeGreaterThanOrEqual(row[k - 1].x + row[k - 1].width);
    }
    // An open arange_64 node is a row of its 10 cells; a leaf a column of its 16 slots.
    expect(root.width).toBe(10 * O.cell);
    expect(kids[0].width).toBe(O.columnW);
    expect(kids[0].height).toBe(O.labelH + 16 * O.slotH);
  });

  it('a collapsed subtree takes only its own node', () => {
    const v = lastView(40);
    const l = layoutTree(v, (i) => i === 0);
    expect(l.nodes).toHaveLength(1 + childrenOf(v, 0).length);
    expect(l.byIndex.get(0)?.expanded).toBe(true);
    // Closed, an internal node is a column of its 10 slots.
    const closed = layoutTree(v, () => false);
    expect(closed.nodes).toHaveLength(1);
    expect(closed.nodes[0]).toMatchObject({ width: O.columnW, height: O.labelH + 10 * O.slotH });
  });

  it('a big tree shows the top and the path to the focus; culling keeps what is on screen', () => {
    const v = bigView();
    expect(v.count).toBeGreaterThan(SMALL_TREE);
    const leaf = findVma(v, 1234)!;
    expect(leaf).not.toBeNull();
    const path = pathTo(v, leaf.leaf);
    expect(path.at(-1)).toBe(0);
    const open = defaultExpanded(v, [leaf.leaf]);
    const l = layoutTree(v, (i) => open.has(i));
    for (const i of path) expect(l.byIndex.has(i)).toBe(true);
    expect(l.nodes.length).toBeLessThan(80);
    const p = l.byIndex.get(leaf.leaf)!;
    const seen = visibleNodes(l, p.x, p.y, p.x + 10, p.y + 10);
    expect(seen.map((n) => n.index)).toEqual([leaf.leaf]);
    expect(nodeKey(v, 0)).toBe(`0:${v.mins[0]}:${v.maxs[0]}`);
  });

  it('puts a parent right over the child on the focus path', () => {
    const v = bigView();
    const leaf = findVma(v, 3900)!.leaf;
    const open = defaultExpanded(v, [leaf]);
    const prefer = focusPaths(v, [leaf]);
    const l = layoutTree(v, (i) => open.has(i), O, prefer);
    const centre = (i: number) => l.byIndex.get(i)!.x + l.byIndex.get(i)!.width / 2;
    // The root sits over the path down to the leaf rather than over the middle of its children.
    expect(l.width).toBeGreaterThan(20 * O.columnW);
    expect(Math.abs(centre(0) - centre(leaf))).toBeLessThan(10 * O.cell);
  });

  it('names nodes and describes the step', () => {
    expect(nodeLabel('leaf_64', 12, 3, 2, 'mas_wr_append')).toBe(
      'leaf_64 node 12, 3 slots, written in place by mas_wr_append',
    );
    const v = lastView(9);
    expect(describeChanges(v.changes)).toMatch(
      /^this step: wr_node_store; mas_wr_node_store built node \d+; mas_put_in_tree wrote in place node \d+; freed node \d+$/,
    );
    expect(describeChanges(null)).toBe('this step did not write the tree');
    expect(shortHex(0x200000000fff)).toBe('…00fff');
    expect(kindAt(null, 0)).toBe('anon');
    expect([0, 0x2000, 0x180000, 2 ** 45].map(shortGap)).toEqual(['0', '8K', '1.5M', '32T']);
  });
});
