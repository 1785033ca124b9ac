// SPDX-License-Identifier: GPL-2.0-or-later
// The typed events of a write: what was walked, the store type the kernel
// chooses, the nodes built, replaced and freed, splits, rebalances and
// height changes; and nothing at all when tracing is off.
import { describe, expect, it } from 'vitest';
import {
  MA_STATE,
  MTREE_INIT,
  MT_FLAGS_ALLOC_RANGE,
  collectTrace,
  forEachNode,
  mas_store_gfp,
  mt_height,
  mtree_store_range,
  replayMapleCase,
  type MapleTraceEvent,
  type MapleTree,
  type StoreType,
} from './index';
import type { MapleNode } from './node';
import { masTraceFreed } from './replace';
import { xorshift } from '../../testing/xorshift';

function nodeIds<T>(tree: MapleTree<T>): Set<number> {
  const out = new Set<number>();
  forEachNode(tree.root, (n) => out.add(n.id));
  return out;
}

/** Store and return the events with the old and new versions. */
function traced(
  tree: MapleTree<number>,
  first: number,
  last: number,
  entry: number | null,
): { events: MapleTraceEvent[]; before: MapleTree<number>; after: MapleTree<number> } {
  const events: MapleTraceEvent[] = [];
  const after = mtree_store_range(tree, first, last, entry, collectTrace(events));
  return { events, before: tree, after };
}

function storeType(events: MapleTraceEvent[]): StoreType | undefined {
  const e = events.find((x) => x.kind === 'store_type');
  return e?.kind === 'store_type' ? e.storeType : undefined;
}

/** Created, freed and kept nodes add up to both versions. */
function expectBookkeeping(
  events: MapleTraceEvent[],
  before: MapleTree<number>,
  after: MapleTree<number>,
) {
  const created = new Set(events.flatMap((e) => (e.kind === 'node_created' ? [e.nodeId] : [])));
  const freed = new Set(events.flatMap((e) => (e.kind === 'node_freed' ? [e.nodeId] : [])));
  const old = nodeIds(before);
  const now = nodeIds(after);
  for (const id of now) expect(created.has(id) || old.has(id)).toBe(true);
  for (const id of old) expect(freed.has(id)).toBe(!now.has(id));
  // Nodes built and dropped within the write (a middle split level that a
  // push replaced) are not in either version.
  for (const id of created) if (!now.has(id)) expect(old.has(id)).toBe(false);
  const end = events[events.length - 1];
  expect(end.kind).toBe('write_end');
  if (end.kind === 'write_end') {
    expect(end.created).toBe(created.size);
    expect(end.freed).toBe(freed.size);
    expect(end.rootId).toBe(after.root === null ? null : after.root.id);
  }
}

function grow(n: number): MapleTree<number> {
  let tree: MapleTree<number> = MTREE_INIT();
  for (let k = 0; k < n; k++)
    tree = mtree_store_range(tree, 2 * k * 0x1000, 2 * k * 0x1000 + 0xfff, k + 1);
  return tree;
}

describe('maple write trace', () => {
  it('reports a new root on the first store', () => {
    const { events, before, after } = traced(MTREE_INIT(), 0x1000, 0x1fff, 1);
    expect(events[0]).toEqual({
      kind: 'write_begin',
      op: 'store',
      index: 0x1000,
      last: 0x1fff,
      isNull: false,
    });
    expect(storeType(events)).toBe('wr_store_root');
    expect(events.some((e) => e.kind === 'height_change' && e.from === 0 && e.to === 1)).toBe(true);
    const created = events.find((e) => e.kind === 'node_created');
    expect(created).toMatchObject({ kind: 'node_created', type: 'leaf_64', by: 'mas_root_expand' });
    expectBookkeeping(events, before, after);
  });

  it('walks, picks wr_exact_fit and copies the path on a replace', () => {
    const tree = grow(200);
    const { events, before, after } = traced(tree, 100 * 0x2000, 100 * 0x2000 + 0xfff, 7777);
    expect(storeType(events)).toBe('wr_exact_fit');
    const walks = events.filter((e) => e.kind === 'walk');
    expect(walks.length).toBe(mt_height(after));
    expect(walks[0]).toMatchObject({ nodeId: before.root?.id, depth: 1, side: 'write' });
    const replaced = events.filter((e) => e.kind === 'node_replaced');
    expect(replaced.length).toBe(walks.length);
    expectBookkeeping(events, before, after);
  });

  it('names the kernel store types of RCU mode', () => {
    const tree = grow(200);
    // A new VMA in the middle of a hole: two more slots in the leaf.
    expect(storeType(traced(tree, 0x1000 * 401, 0x1000 * 401 + 0x7ff, 1).events)).toBe(
      'wr_node_store',
    );
    // Growing a VMA into part of the hole after it: one boundary moves.
    expect(storeType(traced(tree, 0, 0x17ff, 1).events)).toBe('wr_slot_store');
    // Outside RCU mode the same write at the end of a leaf appends.
    const plain = grow(3);
    const noRcu = { ...plain, ma_flags: (plain.ma_flags & ~0x2) | MT_FLAGS_ALLOC_RANGE };
    expect(storeType(traced(noRcu, 0x100000, 0x100fff, 9).events)).toBe('wr_append');
    expect(storeType(traced(plain, 0x100000, 0x100fff, 9).events)).toBe('wr_node_store');
  });

  it('reports splits and the height change when the root splits', () => {
    let tree = grow(7);
    let events: MapleTraceEvent[] = [];
    for (let k = 7; k < 9; k++) {
      const step = traced(tree, 2 * k * 0x1000, 2 * k * 0x1000 + 0xfff, k + 1);
      events = step.events;
      expectBookkeeping(step.events, step.before, step.after);
      tree = step.after;
    }
    expect(storeType(events)).toBe('wr_split_store');
    const split = events.find((e) => e.kind === 'split');
    expect(split).toMatchObject({ kind: 'split', by: 'mas_split', depth: 1 });
    expect(events.some((e) => e.kind === 'height_change' && e.from === 1 && e.to === 2)).toBe(true);
  });

  it('reports a spanning store and the rebalancing climb', () => {
    const tree = grow(600);
    const { events, before, after } = traced(tree, 0x10000, 0x1f0fff, null);
    expect(storeType(events)).toBe('wr_spanning_store');
    const span = events.find((e) => e.kind === 'spanning_store');
    expect(span).toMatchObject({ kind: 'spanning_store' });
    expect(events.some((e) => e.kind === 'walk' && e.side === 'left')).toBe(true);
    expect(events.some((e) => e.kind === 'walk' && e.side === 'right')).toBe(true);
    expect(events.filter((e) => e.kind === 'node_freed').length).toBeGreaterThan(10);
    expectBookkeeping(events, before, after);
  });

  it('reports a rebalance when a leaf runs low', () => {
    // The first 13 operations of the golden case span-n0010; its 14th store
    // leaves the first leaf with too few slots.
    const ops = [
      [0x7f2007ce6000, 0x7f2007cf5fff, 1],
      [0x7f2007cf6000, 0x7f2007d16fff, 2],
      [0x7f2007c87000, 0x7f2007c8bfff, 3],
      [0x7f2007d19000, 0x7f2007d58fff, 4],
      [0x7f2007c62000, 0x7f2007c66fff, 5],
      [0x7f2007c5e000, 0x7f2007c5efff, 6],
      [0x7f2007d18000, 0x7f2007d18fff, 7],
      [0x7f2007c8c000, 0x7f2007ccbfff, 8],
      [0x7f2007cdc000, 0x7f2007ce3fff, 9],
      [0x7f2007c67000, 0x7f2007c86fff, 10],
      [0x7f2007cf4000, 0x7f2007d18fff, null],
      [0x7f2007cf5000, 0x7f2007cfcfff, 11],
      [0x7f2007cff000, 0x7f2007cfffff, 12],
    ] as const;
    let tree: MapleTree<number> = MTREE_INIT();
    for (const [a, b, id] of ops) tree = mtree_store_range(tree, a, b, id);
    const { events, before, after } = traced(tree, 0x7f2007c65000, 0x7f2007ce3fff, 13);
    expect(storeType(events)).toBe('wr_rebalance');
    expect(events.some((e) => e.kind === 'rebalance' && e.by === 'mas_rebalance')).toBe(true);
    expectBookkeeping(events, before, after);
    // The case file agrees with the replay of the same operations.
    const text = ops
      .map(([a, b, id]) =>
        id === null
          ? `store_null 0x${a.toString(16)} 0x${b.toString(16)}`
          : `store 0x${a.toString(16)} 0x${b.toString(16)} ${id}`,
      )
      .join('\n');
    const replayed = replayMapleCase(`${text}\nstore 0x7f2007c65000 0x7f2007ce3fff 13\ndump\n`);
    expect(replayed.ok && replayed.lines.length).toBe(1);
  });

  it("frees a one-leaf store's path in the order a walk of the dead nodes finds it", () => {
    // masTraceFreedPath() reports the write walk's path; masTraceFreed()
    // walks the old version's dead part. They must agree, event for event.
    const next = xorshift(99);
    let tree = grow(600);
    const seen = new Set<StoreType>();
    for (let k = 0; k < 3_000; k++) {
      const first = next(1_300) * 0x1000 + (next(2) ? 0x800 : 0);
      const last = first + next(3) * 0x1000 + 0x7ff;
      const entry = next(4) === 0 ? null : k + 1;
      const { events, before, after } = traced(tree, first, last, entry);
      expectBookkeeping(events, before, after);
      const type = storeType(events);
      // (A store of what is already there changes nothing and frees nothing.)
      if (after === before) continue;
      if (
        type === 'wr_exact_fit' ||
        type === 'wr_append' ||
        type === 'wr_slot_store' ||
        type === 'wr_node_store'
      ) {
        seen.add(type);
        const createdIds = new Set(
          events.flatMap((e) => (e.kind === 'node_created' ? [e.nodeId] : [])),
        );
        const created: MapleNode<number>[] = [];
        forEachNode(after.root, (n) => {
          if (createdIds.has(n.id)) created.push(n);
        });
        const walked: number[] = [];
        masTraceFreed(before, created, (e) => {
          if (e.kind === 'node_freed') walked.push(e.nodeId);
        });
        expect(events.flatMap((e) => (e.kind === 'node_freed' ? [e.nodeId] : []))).toEqual(walked);
      }
      tree = after;
    }
    expect([...seen].sort()).toEqual(['wr_exact_fit', 'wr_node_store', 'wr_slot_store']);
  });

  it('costs nothing when off: no sink, no events', () => {
    const tree = grow(50);
    const mas = MA_STATE(tree, 0x1000, 0x1fff);
    expect(mas.trace).toBeNull();
    expect(mas_store_gfp(mas, 5)).toBe(0);
    expect(mas.alloc).toBeNull();
  });
});
