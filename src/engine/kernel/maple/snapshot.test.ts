// SPDX-License-Identifier: GPL-2.0-or-later
// Versions are immutable: a write never changes a node an older version can
// reach, every version keeps its own root, and unchanged nodes are shared
// (same object, same id) with the version before.
import { describe, expect, it } from 'vitest';
import {
  MA_STATE,
  MTREE_INIT,
  ma_is_leaf,
  mas_erase,
  mas_store_gfp,
  mt_dump_json,
  mt_height,
  mt_validate,
  mte_child,
  mtree_erase,
  mtree_load,
  mtree_store_range,
  type MapleNode,
  type MapleTree,
} from './index';
import { xorshift } from '../../testing/xorshift';

function nodesOf<T>(tree: MapleTree<T>): MapleNode<T>[] {
  const out: MapleNode<T>[] = [];
  const walk = (n: MapleNode<T>): void => {
    out.push(n);
    if (!ma_is_leaf(n.type)) for (let i = 0; i <= n.end; i++) walk(mte_child(n, i));
  };
  if (tree.root !== null) walk(tree.root);
  return out;
}

/** A deterministic mix of stores, NULL stores and erases over 600 pages. */
function* history(steps: number): Generator<MapleTree<number>> {
  let tree: MapleTree<number> = MTREE_INIT();
  const rnd = xorshift(12345);
  yield tree;
  for (let i = 0; i < steps; i++) {
    const a = rnd(600) * 0x1000;
    const b = a + (1 + rnd(rnd(10) === 0 ? 60 : 4)) * 0x1000 - 1;
    const kind = rnd(10);
    if (kind < 6) tree = mtree_store_range(tree, a, b, i + 1);
    else if (kind < 8) tree = mtree_store_range(tree, a, b, null);
    else tree = mtree_erase(tree, a).tree;
    yield tree;
  }
}

describe('maple tree versions', () => {
  it('never change once published', () => {
    const versions: MapleTree<number>[] = [];
    const dumps: string[] = [];
    for (const tree of history(1500)) {
      versions.push(tree);
      dumps.push(mt_dump_json(tree, versions.length));
    }
    versions.forEach((tree, i) => {
      expect(mt_dump_json(tree, i + 1)).toBe(dumps[i]);
      mt_validate(tree);
    });
  });

  it('share every node a write did not touch, keeping its id', () => {
    let prev: MapleTree<number> | null = null;
    for (const tree of history(1500)) {
      const ids = new Set<number>();
      const prevNodes = new Map<number, MapleNode<number>>();
      if (prev !== null) for (const n of nodesOf(prev)) prevNodes.set(n.id, n);
      for (const n of nodesOf(tree)) {
        expect(ids.has(n.id)).toBe(false);
        ids.add(n.id);
        const old = prevNodes.get(n.id);
        if (old !== undefined) {
          // Same id means the same object: nodes are never rewritten.
          expect(n).toBe(old);
        } else if (prev !== null) {
          // A node the write built: its id is new in this history.
          expect(n.id).toBeGreaterThanOrEqual(prev.nextNodeId);
        }
        expect(n.id).toBeLessThan(tree.nextNodeId);
      }
      prev = tree;
    }
  });

  it('copy only the path from the root to a changed leaf', () => {
    let tree: MapleTree<number> = MTREE_INIT();
    for (let k = 0; k < 2000; k++)
      tree = mtree_store_range(tree, 2 * k * 0x1000, 2 * k * 0x1000 + 0xfff, k + 1);
    const height = tree.ma_flags >> 2;
    const next = mtree_store_range(tree, 0x1000 * 801, 0x1000 * 801 + 0xfff, 9999);
    const before = new Set(nodesOf(tree));
    const fresh = nodesOf(next).filter((n) => !before.has(n));
    expect(fresh.length).toBe(height & 0x1f);
    expect(mtree_load(tree, 0x1000 * 801)).toBeNull();
    expect(mtree_load(next, 0x1000 * 801)).toBe(9999);
  });

  it('let a sequence write its unpublished nodes in place, and no others', () => {
    // The run publishes a version every few writes (a step keeps it); the
    // writes between may change what they built since (mutableFrom).
    let persistent: MapleTree<number> = MTREE_INIT();
    let inPlace: MapleTree<number> = MTREE_INIT();
    let mutableFrom = inPlace.nextNodeId;
    const published: { tree: MapleTree<number>; dump: string }[] = [];
    const rnd = xorshift(777);
    let writtenInPlace = 0;
    let sameHandle = 0;
    for (let i = 0; i < 3000; i++) {
      const a = rnd(900) * 0x1000;
      const b = a + (1 + rnd(rnd(10) === 0 ? 40 : 3)) * 0x1000 - 1;
      const entry = rnd(4) === 0 ? null : i + 1;
      persistent = mtree_store_range(persistent, a, b, entry);
      const was = inPlace;
      const before = inPlace.nextNodeId;
      inPlace = mtree_store_range(inPlace, a, b, entry, null, mutableFrom);
      if (inPlace.nextNodeId - before < mt_height(inPlace)) writtenInPlace++;
      if (inPlace === was) {
        // A write in place that built nothing keeps the handle; a published
        // one only when nothing changed.
        sameHandle++;
        const last = published.at(-1);
        if (last?.tree === was) expect(mt_dump_json(was, -1)).toBe(last.dump);
      }
      if (rnd(3) === 0) {
        published.push({ tree: inPlace, dump: mt_dump_json(inPlace, -1) });
        mutableFrom = inPlace.nextNodeId;
      }
      // The same contents and shape as immutable writes give.
      expect(mt_dump_json(inPlace, i).replace(/"id":\d+,?/g, '')).toBe(
        mt_dump_json(persistent, i).replace(/"id":\d+,?/g, ''),
      );
    }
    expect(writtenInPlace).toBeGreaterThan(500);
    expect(sameHandle).toBeGreaterThan(100);
    // Every published version is as it was when it was published.
    for (const p of published) {
      expect(mt_dump_json(p.tree, -1)).toBe(p.dump);
      mt_validate(p.tree);
    }
    mt_validate(inPlace);
  });

  it('keep the old version when a state writes', () => {
    const t0 = mtree_store_range(MTREE_INIT<string>(), 0x1000, 0x1fff, 'a');
    const mas = MA_STATE(t0, 0x3000, 0x3fff);
    expect(mas_store_gfp(mas, 'b')).toBe(0);
    const t1 = mas.tree;
    expect(t1).not.toBe(t0);
    expect(mtree_load(t0, 0x3000)).toBeNull();
    expect(mtree_load(t1, 0x3000)).toBe('b');
    const erase = MA_STATE(t1, 0x1800, 0x1800);
    expect(mas_erase(erase)).toBe('a');
    // As in the kernel, the state ends on the NULL range the erase left
    // (mas_wr_extend_null() joined the NULLs on both sides).
    expect([erase.index, erase.last]).toEqual([0, 0x2fff]);
    expect(mtree_load(erase.tree, 0x1000)).toBeNull();
    expect(mtree_load(t1, 0x1000)).toBe('a');
  });
});
