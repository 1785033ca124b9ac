// SPDX-License-Identifier: GPL-2.0-or-later
// mt_validate() finds what the kernel's would: a corrupted copy of a good
// tree fails it.
import { describe, expect, it } from 'vitest';
import {
  MapleNode,
  MTREE_INIT,
  ma_is_leaf,
  mt_validate,
  mte_child,
  mtree_store_range,
  type MapleSlot,
  type MapleTree,
  type MapleType,
} from './index';

function grow(n: number): MapleTree<number> {
  let tree: MapleTree<number> = MTREE_INIT();
  for (let k = 0; k < n; k++)
    tree = mtree_store_range(tree, 2 * k * 0x1000, 2 * k * 0x1000 + 0xfff, k + 1);
  return tree;
}

interface NodeParts {
  end: number;
  pivots: readonly number[];
  slots: readonly MapleSlot<number>[];
  gaps: readonly number[] | null;
  min: number;
  max: number;
  type: MapleType;
}

/** A deep copy where `edit` may change the parts of one node. */
function corrupt(
  tree: MapleTree<number>,
  edit: (n: NodeParts, depth: number) => NodeParts,
): MapleTree<number> {
  const copy = (n: MapleNode<number>, depth: number): MapleNode<number> => {
    const slots = ma_is_leaf(n.type)
      ? n.slots.slice()
      : n.slots.map((_, i) => copy(mte_child(n, i), depth + 1));
    const parts = edit(
      { end: n.end, pivots: n.pivots, slots, gaps: n.gaps, min: n.min, max: n.max, type: n.type },
      depth,
    );
    return new MapleNode(
      n.id,
      n.type,
      parts.end,
      parts.pivots,
      parts.slots,
      parts.gaps,
      n.gapOffset,
    );
  };
  return { ...tree, root: tree.root === null ? null : copy(tree.root, 1) };
}

describe('mt_validate', () => {
  const tree = grow(300);

  it('passes a good tree', () => {
    expect(() => mt_validate(tree)).not.toThrow();
  });

  it('catches a wrong gap in a parent', () => {
    const bad = corrupt(tree, (n, d) =>
      d === 1 && n.gaps ? { ...n, gaps: n.gaps.map((g, i) => (i === 0 ? g + 1 : g)) } : n,
    );
    expect(() => mt_validate(bad)).toThrow(/gap 0/);
  });

  it('catches two NULL slots in a row', () => {
    const bad = corrupt(tree, (n) =>
      ma_is_leaf(n.type) && n.min === 0
        ? { ...n, slots: n.slots.map((s, i) => (i === 2 ? null : s)) }
        : n,
    );
    expect(() => mt_validate(bad)).toThrow(/sequential NULLs|gap/);
  });

  it('catches a pivot out of order', () => {
    const bad = corrupt(tree, (n) =>
      ma_is_leaf(n.type) && n.min === 0
        ? { ...n, pivots: n.pivots.map((p, i) => (i === 2 ? 1 : p)) }
        : n,
    );
    expect(() => mt_validate(bad)).toThrow(/pivot|follow/);
  });

  it('catches an insufficient node', () => {
    const bad = corrupt(tree, (n) =>
      ma_is_leaf(n.type) && n.min === 0
        ? {
            ...n,
            end: 2,
            pivots: [n.pivots[0], n.pivots[1], n.max, n.min],
            slots: n.slots.slice(0, 3),
          }
        : n,
    );
    expect(() => mt_validate(bad)).toThrow(/insufficient/);
  });

  it('catches a wrong height', () => {
    expect(() => mt_validate({ ...tree, ma_flags: tree.ma_flags + 4 })).toThrow(/leaf at depth/);
  });
});
