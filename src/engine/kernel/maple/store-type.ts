// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The write walk and the choice of how to write (enum store_type). The walk
 * goes down to the leaf that holds mas.index, unless the range crosses a node
 * boundary on the way (a spanning store). At the leaf, a store of NULL first
 * grows to swallow neighbouring NULLs, then the number of slots the leaf will
 * hold (new_end) picks the store type.
 */
import {
  type MapleNode,
  type MapleSlot,
  type MapleType,
  ma_is_dense,
  ma_is_leaf,
  maple_leaf_64,
  mt_min_slots,
  mt_slots,
} from './node';
import {
  type MaState,
  mas_is_none,
  mas_is_ptr,
  mas_is_active,
  mas_is_start,
  mas_is_paused,
  mas_is_overflow,
  mas_is_underflow,
  masKnowParent,
  mas_mn,
  mas_mt_height,
  mas_reset,
  mas_safe_min,
  mas_start,
  mte_is_root,
} from './state';
import { type StoreType, traceWalk } from './trace';
import { mt_in_rcu } from './tree';
import { ULONG_MAX } from './u64';

/** lib/maple_tree.c: MA_STATE_BULK (bulk insert mode, used by mas_expected_entries()). */
export const MA_STATE_BULK = 1;

/** struct ma_wr_state */
export interface MaWrState<T> {
  mas: MaState<T>;
  /** Decoded mas->node */
  node: MapleNode<T> | null;
  /** range min */
  r_min: number;
  /** range max */
  r_max: number;
  /** mas->node type */
  type: MapleType;
  /** The offset where the write ends */
  offset_end: number;
  /** mas->node->pivots */
  pivots: readonly number[];
  /** The pivot at the offset end */
  end_piv: number;
  /** mas->node->slots */
  slots: readonly MapleSlot<T>[];
  /** The entry to write */
  entry: T | null;
  /** The existing entry that is being overwritten */
  content: MapleSlot<T>;
}

const NO_PIVOTS: readonly number[] = [];
const NO_SLOTS: readonly never[] = [];

// include/linux/maple_tree.h: MA_WR_STATE() (Linux 6.18)
export function MA_WR_STATE<T>(mas: MaState<T>, entry: T | null): MaWrState<T> {
  return {
    mas,
    node: null,
    r_min: 0,
    r_max: 0,
    type: maple_leaf_64,
    offset_end: 0,
    pivots: NO_PIVOTS,
    end_piv: 0,
    slots: NO_SLOTS,
    entry,
    content: null,
  };
}

// lib/maple_tree.c: mas_wr_node_walk() (Linux 6.18)
// Find the offset of mas.index in the node, starting at mas.offset.
export function mas_wr_node_walk<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  if (ma_is_dense(wr_mas.type)) throw new Error('BUG: dense nodes are not modelled');
  const node = mas_mn(mas);
  wr_mas.node = node;
  const pivots = node.pivots;
  wr_mas.pivots = pivots;
  const count = (mas.end = node.end);
  let offset = mas.offset;
  while (offset < count && mas.index > pivots[offset]) offset++;
  wr_mas.r_max = offset < count ? pivots[offset] : mas.max;
  wr_mas.r_min = mas_safe_min(mas, pivots, offset);
  wr_mas.offset_end = mas.offset = offset;
}

// lib/maple_tree.c: mas_is_span_wr() (Linux 6.18)
// Spanning writes start in one node and end in another, or write NULL into
// the last slot of a leaf that is not the rightmost (a leaf may not end on a
// NULL, so the NULL has to merge with the next leaf's start).
export function mas_is_span_wr<T>(wr_mas: MaWrState<T>): boolean {
  let max = wr_mas.r_max;
  const last = wr_mas.mas.last;
  /* Contained in this pivot, fast path */
  if (last < max) return false;
  if (ma_is_leaf(wr_mas.type)) {
    max = wr_mas.mas.max;
    if (last < max) return false;
  }
  if (last === max) {
    if (wr_mas.entry !== null || last === ULONG_MAX) return false;
  }
  return true;
}

// lib/maple_tree.c: mas_wr_walk_descend() (Linux 6.18)
export function mas_wr_walk_descend<T>(wr_mas: MaWrState<T>): void {
  wr_mas.type = mas_mn(wr_mas.mas).type;
  mas_wr_node_walk(wr_mas);
  wr_mas.slots = (wr_mas.node as MapleNode<T>).slots;
}

// lib/maple_tree.c: mas_wr_walk_traverse() (Linux 6.18)
export function mas_wr_walk_traverse<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  mas.max = wr_mas.r_max;
  mas.min = wr_mas.r_min;
  mas.node = wr_mas.content as MapleNode<T>;
  mas.offset = 0;
  mas.depth++;
}

// lib/maple_tree.c: mas_wr_walk() (Linux 6.18)
// Returns false on a spanning write. Records the path for the copy-up.
export function mas_wr_walk<T>(wr_mas: MaWrState<T>): boolean {
  // mas_wr_walk_descend(), mas_is_span_wr() and mas_wr_walk_traverse() for
  // each level, kept in locals: this walk is on the path of every store.
  const mas = wr_mas.mas;
  const alloc = mas.alloc;
  const index = mas.index;
  const last = mas.last;
  const entry = wr_mas.entry;
  let node = mas_mn(mas);
  let min = mas.min;
  let max = mas.max;
  let offset = mas.offset;
  let depth = mas.depth;
  let span: boolean;
  for (;;) {
    if (ma_is_dense(node.type)) throw new Error('BUG: dense nodes are not modelled');
    const pivots = node.pivots;
    const end = node.end;
    // The kernel scans from the first pivot; a write beyond the last one
    // (every store that extends the top of the tree) lands in the last
    // slot, and is sent there without the scan.
    if (offset < end && index > pivots[end - 1]) offset = end;
    else while (offset < end && index > pivots[offset]) offset++;
    const r_max = offset < end ? pivots[offset] : max;
    const leaf = ma_is_leaf(node.type);
    if (alloc !== null) {
      alloc.pathNodes[depth] = node;
      alloc.pathOffsets[depth] = offset;
      alloc.pathDepth = depth;
      if (alloc.trace !== null)
        traceWalk(alloc.trace, node.id, depth, offset, min, max, 'write', r_max);
    }
    /* mas_is_span_wr() */
    if (last < r_max) span = false;
    else if (leaf && last < max) span = false;
    else if (last === (leaf ? max : r_max) && (entry !== null || last === ULONG_MAX)) span = false;
    else span = true;
    if (span || leaf) {
      wr_mas.type = node.type;
      wr_mas.node = node;
      wr_mas.pivots = pivots;
      wr_mas.slots = node.slots;
      wr_mas.r_max = r_max;
      wr_mas.r_min = offset ? pivots[offset - 1] + 1 : min;
      wr_mas.offset_end = offset;
      mas.node = node;
      mas.min = min;
      mas.max = max;
      mas.offset = offset;
      mas.end = end;
      mas.depth = depth;
      if (span) return false;
      wr_mas.content = node.slots[offset];
      return true;
    }
    /* mas_wr_walk_traverse() */
    min = offset ? pivots[offset - 1] + 1 : min;
    max = r_max;
    node = node.slots[offset] as MapleNode<T>;
    offset = 0;
    depth++;
  }
}

// lib/maple_tree.c: mas_wr_walk_index() (Linux 6.18)
// Walk to the leaf of mas.index, ignoring spans (both sides of a spanning store).
export function mas_wr_walk_index<T>(wr_mas: MaWrState<T>, side: 'left' | 'right'): void {
  const mas = wr_mas.mas;
  const alloc = mas.alloc;
  for (;;) {
    mas_wr_walk_descend(wr_mas);
    if (alloc !== null && alloc.trace !== null) {
      const node = wr_mas.node as MapleNode<T>;
      traceWalk(alloc.trace, node.id, mas.depth, mas.offset, mas.min, mas.max, side, undefined);
    }
    wr_mas.content = wr_mas.slots[mas.offset];
    if (ma_is_leaf(wr_mas.type)) return;
    if (alloc !== null)
      masKnowParent(alloc, wr_mas.content as MapleNode<T>, wr_mas.node as MapleNode<T>, mas.offset);
    mas_wr_walk_traverse(wr_mas);
  }
}

// lib/maple_tree.c: mas_wr_end_piv() (Linux 6.18)
export function mas_wr_end_piv<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  while (wr_mas.offset_end < mas.end && mas.last > wr_mas.pivots[wr_mas.offset_end])
    wr_mas.offset_end++;
  if (wr_mas.offset_end < mas.end) wr_mas.end_piv = wr_mas.pivots[wr_mas.offset_end];
  else wr_mas.end_piv = mas.max;
}

// lib/maple_tree.c: mas_wr_extend_null() (Linux 6.18)
// A NULL store takes in the NULL ranges it touches on either side, so that
// two NULL slots are never adjacent.
export function mas_wr_extend_null<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  if (wr_mas.slots[wr_mas.offset_end] === null) {
    /* If this one is null, the next and prev are not */
    mas.last = wr_mas.end_piv;
  } else {
    /* Check next slot(s) if we are overwriting the end */
    if (
      mas.last === wr_mas.end_piv &&
      mas.end !== wr_mas.offset_end &&
      wr_mas.slots[wr_mas.offset_end + 1] === null
    ) {
      wr_mas.offset_end++;
      if (wr_mas.offset_end === mas.end) mas.last = mas.max;
      else mas.last = wr_mas.pivots[wr_mas.offset_end];
      wr_mas.end_piv = mas.last;
    }
  }

  if (wr_mas.content === null) {
    /* If this one is null, the next and prev are not */
    mas.index = wr_mas.r_min;
  } else {
    /* Check prev slot if we are overwriting the start */
    if (mas.index === wr_mas.r_min && mas.offset && wr_mas.slots[mas.offset - 1] === null) {
      mas.offset--;
      wr_mas.r_min = mas.index = mas_safe_min(mas, wr_mas.pivots, mas.offset);
      wr_mas.r_max = wr_mas.pivots[mas.offset];
    }
  }
}

// lib/maple_tree.c: mas_wr_new_end() (Linux 6.18)
// The end offset the leaf would have after the write.
export function mas_wr_new_end<T>(wr_mas: MaWrState<T>): number {
  const mas = wr_mas.mas;
  let new_end = mas.end + 2;
  new_end -= wr_mas.offset_end - mas.offset;
  if (wr_mas.r_min === mas.index) new_end--;
  if (wr_mas.end_piv === mas.last) new_end--;
  return new_end;
}

// lib/maple_tree.c: mas_wr_store_type() (Linux 6.18)
export function mas_wr_store_type<T>(wr_mas: MaWrState<T>): StoreType {
  const mas = wr_mas.mas;
  if (mas_is_none(mas) || mas_is_ptr(mas)) return 'wr_store_root';
  if (!mas_wr_walk(wr_mas)) return 'wr_spanning_store';

  /* At this point, we are at the leaf node that needs to be altered. */
  mas_wr_end_piv(wr_mas);
  if (wr_mas.entry === null) mas_wr_extend_null(wr_mas);

  if (wr_mas.r_min === mas.index && wr_mas.r_max === mas.last) return 'wr_exact_fit';
  if (!mas.index && mas.last === ULONG_MAX) return 'wr_new_root';

  const new_end = mas_wr_new_end(wr_mas);
  /* Potential spanning rebalance collapsing a node */
  if (new_end < mt_min_slots[wr_mas.type]) {
    if (!mte_is_root(mas, mas_mn(mas)) && !(mas.mas_flags & MA_STATE_BULK)) return 'wr_rebalance';
    return 'wr_node_store';
  }
  if (new_end >= mt_slots[wr_mas.type]) return 'wr_split_store';
  if (!mt_in_rcu(mas.tree) && mas.offset === mas.end) return 'wr_append';
  if (new_end === mas.end && (!mt_in_rcu(mas.tree) || wr_mas.offset_end - mas.offset === 1))
    return 'wr_slot_store';
  return 'wr_node_store';
}

// lib/maple_tree.c: mas_prealloc_calc() (Linux 6.18)
// How many nodes the kernel preallocates for the chosen store type (shown in
// traces; our nodes are built on demand).
export function mas_prealloc_calc<T>(mas: MaState<T>): number {
  const height = mas_mt_height(mas);
  switch (mas.store_type) {
    case 'wr_invalid':
      return height * 3 + 1;
    case 'wr_new_root':
      return 1;
    case 'wr_store_root':
      // (An entry with the low bits '10' also needs a node; ours are never encoded.)
      return mas.last !== 0 || mas.index !== 0 ? 1 : 0;
    case 'wr_spanning_store':
      return height * 3 + 1;
    case 'wr_split_store':
      return height * 2 + 1;
    case 'wr_rebalance':
      return height * 2 - 1;
    case 'wr_node_store':
      return mt_in_rcu(mas.tree) ? 1 : 0;
    case 'wr_append':
    case 'wr_exact_fit':
    case 'wr_slot_store':
      return 0;
  }
}

// lib/maple_tree.c: mas_wr_prealloc_setup() (Linux 6.18)
export function mas_wr_prealloc_setup<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  reset: {
    if (!mas_is_active(mas)) {
      if (mas_is_start(mas)) {
        wr_mas.content = mas_start(mas);
        return;
      }
      if (mas_is_paused(mas) || mas_is_none(mas) || mas_is_overflow(mas) || mas_is_underflow(mas))
        break reset;
    }
    /*
     * A less strict version of mas_is_span_wr() where we allow spanning
     * writes within this node.
     */
    if (mas.last > mas.max) break reset;
    if (wr_mas.entry !== null) {
      wr_mas.content = mas_start(mas);
      return;
    }
    if (ma_is_leaf(mas_mn(mas).type) && mas.last === mas.max) break reset;
    wr_mas.content = mas_start(mas);
    return;
  }
  mas_reset(mas);
  wr_mas.content = mas_start(mas);
}
