// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct maple_big_node: the scratch space the slow write paths (split,
 * rebalance, spanning store) gather data in before cutting it into nodes.
 * It holds up to two nodes' worth plus the new range. Its unused pivots are
 * zero, and the copy loops stop at a zero pivot, exactly as the kernel's
 * memset() + copy do.
 */
import { ma_max_gap, mas_max_gap } from './gap';
import {
  type MapleNode,
  type MapleSlot,
  type MapleType,
  MAPLE_RANGE64_SLOTS,
  MAPLE_ARANGE64_SLOTS,
  ma_is_leaf,
  mt_min_slots,
  mt_pivots,
  mt_slots,
  maple_leaf_64,
  mtNumbers,
  mtSlots,
} from './node';
import { masNewNode } from './replace';
import { mtScratch } from './scratch';
import { type MaState, mas_mn, mas_safe_pivot } from './state';
import type { MaWrState } from './store-type';
import { mt_is_alloc } from './tree';

export const MAPLE_BIG_NODE_SLOTS = MAPLE_RANGE64_SLOTS * 2 + 2;
export const MAPLE_BIG_NODE_GAPS = MAPLE_ARANGE64_SLOTS * 2 + 1;

export interface MapleBigNode<T> {
  pivot: Float64Array;
  slot: MapleSlot<T>[];
  gap: Float64Array;
  b_end: number;
  type: MapleType;
}

function mabNew<T>(): MapleBigNode<T> {
  return {
    pivot: new Float64Array(MAPLE_BIG_NODE_SLOTS),
    slot: mtSlots<T>(MAPLE_BIG_NODE_SLOTS),
    // The kernel overlays gap[] on the top of slot[]; leaves never read it
    // back, so a separate array of the full size behaves the same.
    gap: new Float64Array(MAPLE_BIG_NODE_SLOTS),
    b_end: 0,
    type: maple_leaf_64,
  };
}

/**
 * memset() of a big node. Only the pivots need it: the copy loops stop at a
 * zero pivot, and no slot or gap is read before it is written.
 */
export function mabZero<T>(bn: MapleBigNode<T>): void {
  // A loop, not fill(): TypedArray fill() is a C++ builtin the optimizer
  // does not inline, entered through the runtime on every big node.
  const pivot = bn.pivot;
  for (let i = 0; i < pivot.length; i++) pivot[i] = 0;
  bn.b_end = 0;
}

/** A zeroed big node: the kernel's is on the stack, ours is reused. */
export function mabGet<T>(): MapleBigNode<T> {
  const bn = (mtScratch.bn ?? mabNew<T>()) as MapleBigNode<T>;
  mtScratch.bn = null;
  mabZero(bn);
  bn.type = maple_leaf_64;
  return bn;
}

/** Give a big node back for the next write. */
export function mabPut<T>(bn: MapleBigNode<T>): void {
  mtScratch.bn = bn as MapleBigNode<unknown>;
}

// lib/maple_tree.c: mab_shift_right() (Linux 6.18)
// Shift the data right; does not clean out the old data or set b_end.
export function mab_shift_right<T>(bn: MapleBigNode<T>, shift: number): void {
  const size = bn.b_end;
  bn.pivot.copyWithin(shift, 0, size);
  // The kernel's memmove(); copyWithin() on an ordinary array is the slow
  // generic builtin, so the slots move in a loop, from the top down.
  const slot = bn.slot;
  for (let i = size - 1; i >= 0; i--) slot[i + shift] = slot[i];
  if (bn.type === 3) bn.gap.copyWithin(shift, 0, size);
}

// lib/maple_tree.c: mab_middle_node() (Linux 6.18)
// Whether the data needs three nodes (the rare 3-way split).
export function mab_middle_node<T>(
  bn: MapleBigNode<T>,
  split: number,
  slot_count: number,
): boolean {
  const size = bn.b_end;
  if (size >= 2 * slot_count) return true;
  if (bn.slot[split] === null && size >= 2 * slot_count - 1) return true;
  return false;
}

// lib/maple_tree.c: mab_no_null_split() (Linux 6.18)
// A node may not end on a NULL (gap tracking keeps NULLs together), so move
// a split that lands on one: right if the right side stays sufficient.
export function mab_no_null_split<T>(
  bn: MapleBigNode<T>,
  split: number,
  slot_count: number,
): number {
  if (bn.slot[split] === null) {
    if (split < slot_count - 1 && bn.b_end - split > mt_min_slots[bn.type]) split++;
    else split--;
  }
  return split;
}

// lib/maple_tree.c: mab_calc_split() (Linux 6.18)
// The split offset (last slot of the left node), and in mid the second one
// when three nodes are needed (else 0).
export function mab_calc_split<T>(bn: MapleBigNode<T>, mid: { split: number }): number {
  const b_end = bn.b_end;
  let split = Math.floor(b_end / 2); /* Assume equal split. */
  const slot_count = mt_slots[bn.type];

  /*
   * The 3-way split: a store over the end of one full node and the start of
   * the next leaves more than two nodes can hold.
   */
  if (mab_middle_node(bn, split, slot_count)) {
    split = Math.floor(b_end / 3);
    mid.split = split * 2;
  } else {
    mid.split = 0;
  }

  /* Avoid ending a node on a NULL entry */
  split = mab_no_null_split(bn, split, slot_count);
  if (mid.split) mid.split = mab_no_null_split(bn, mid.split, slot_count);
  return split;
}

// lib/maple_tree.c: mas_mab_cp() (Linux 6.18)
// Copy slots mas_start..mas_end (inclusive, clipped at the end of the data)
// of mas.node into the big node at mab_start; b_end becomes the next free slot.
export function mas_mab_cp<T>(
  mas: MaState<T>,
  mas_start: number,
  mas_end: number,
  bn: MapleBigNode<T>,
  mab_start: number,
): void {
  const node = mas_mn(mas);
  const type = node.type;
  const pivots = node.pivots;
  let i = mas_start;
  let j = mab_start;
  if (mas_start > node.end) throw new Error(`BUG: mas_mab_cp() past the end of node ${node.id}`);

  complete: {
    if (!i) {
      bn.pivot[j] = pivots[i++];
      if (i > mas_end) break complete;
      j++;
    }
    const piv_end = Math.min(mas_end, mt_pivots[type]);
    // Past the node's end the kernel reads zeroed pivots: the loop stops
    // there. Inside it a pivot is never 0 (only pivot 0 can be, for [0, 0]).
    const data_end = piv_end <= node.end ? piv_end : node.end + 1;
    const max = mas.max;
    const bpiv = bn.pivot;
    for (; i < data_end; i++, j++) {
      const piv = pivots[i];
      bpiv[j] = piv;
      if (max === piv) break complete;
    }
    if (i < piv_end) {
      bpiv[j] = 0;
    } else if (i <= mas_end) bpiv[j] = mas_safe_pivot(mas, pivots, i, type);
  }

  bn.b_end = ++j;
  j -= mab_start;
  const slots = node.slots;
  for (let k = 0; k < j; k++) bn.slot[mab_start + k] = slots[mas_start + k];
  if (!ma_is_leaf(type) && mt_is_alloc(mas.tree)) {
    const gaps = node.gaps as readonly number[];
    for (let k = 0; k < j; k++) bn.gap[mab_start + k] = gaps[mas_start + k];
  }
}

// lib/maple_tree.c: mab_mas_cp() (Linux 6.18)
// Copy big node slots mab_start..mab_end (inclusive, stopping at a zero
// pivot) into a new node of `type` covering from `min`; it becomes mas.node.
// With new_max, mas.max becomes the last copied pivot. (The kernel fills a
// node allocated earlier and leaves mas.min to its callers, some of which set
// it after the copy; ours needs the range to build the node.)
export function mab_mas_cp<T>(
  bn: MapleBigNode<T>,
  mab_start: number,
  mab_end: number,
  mas: MaState<T>,
  new_max: boolean,
  type: MapleType,
  min: number,
): MapleNode<T> {
  if (mab_end - mab_start > mt_pivots[type]) mab_end--;

  let i = mab_start;
  // (A pivot of 0 can only be the first: the range [0, 0].)
  do i++;
  while (i <= mab_end && bn.pivot[i]);

  const count = i - mab_start;
  const end = count - 1;
  const pivots = mtNumbers(count + 1);
  for (let j = 0; j < count; j++) pivots[j] = bn.pivot[mab_start + j];
  // The slots are one run of the big node's: slice() copies it in one go.
  const slots = bn.slot.slice(mab_start, i);
  pivots[count] = min;
  if (new_max) mas.max = bn.pivot[i - 1];

  let gaps: number[] | null = null;
  let gapOffset = 0;
  if (!ma_is_leaf(type) && mt_is_alloc(mas.tree)) {
    gaps = mtNumbers(count);
    for (let j = 0; j < count; j++) gaps[j] = bn.gap[mab_start + j];
    gapOffset = mabMetaGap(gaps, end);
  }
  const node = masNewNode(mas, type, min, pivots, slots, gaps, gapOffset);
  mas.node = node;
  mas.min = min;
  return node;
}

/**
 * The meta.gap mab_mas_cp() gives a node it fills: the highest offset of the
 * largest gap, as ma_max_gap() finds it, but 0 when every gap is 0 (its
 * scan starts from offset 0, ma_max_gap()'s from the end).
 */
export function mabMetaGap(gaps: readonly number[], end: number): number {
  const offset = ma_max_gap(gaps, end);
  return gaps[offset] > 0 ? offset : 0;
}

// lib/maple_tree.c: mab_set_b_end() (Linux 6.18)
// Append a new child (with its range end and gap); NULL appends nothing.
export function mab_set_b_end<T>(
  bn: MapleBigNode<T>,
  mas: MaState<T>,
  entry: MapleNode<T> | null,
): void {
  if (entry === null) return;
  bn.slot[bn.b_end] = entry;
  if (mt_is_alloc(mas.tree)) bn.gap[bn.b_end] = mas_max_gap(entry);
  bn.pivot[bn.b_end++] = mas.max;
}

// lib/maple_tree.c: mas_mab_to_node() (Linux 6.18)
// How the big node divides: one node when it fits, else at mab_calc_split().
// The kernel allocates the nodes here; ours are built when they are filled.
export function mas_mab_to_node<T>(
  bn: MapleBigNode<T>,
  out: { split: number; mid_split: number; right: boolean; middle: boolean },
): void {
  const slot_count = mt_slots[bn.type];
  out.right = false;
  out.middle = false;
  out.mid_split = 0;
  if (bn.b_end < slot_count) {
    out.split = bn.b_end;
  } else {
    const mid = { split: 0 };
    out.split = mab_calc_split(bn, mid);
    out.mid_split = mid.split;
    out.right = true;
  }
  if (out.mid_split) out.middle = true;
}

// lib/maple_tree.c: mas_store_b_node() (Linux 6.18)
// Copy the leaf into the big node with the new range written over it; the
// data after the write is copied from offset_end on. b_end ends as the last
// used offset.
export function mas_store_b_node<T>(
  wr_mas: MaWrState<T>,
  bn: MapleBigNode<T>,
  offset_end: number,
): void {
  const mas = wr_mas.mas;
  bn.type = wr_mas.type;
  let b_end = 0;
  const slot = mas.offset;
  /* Possible underflow of piv will wrap back to 0 before use. */
  let piv: number;
  if (slot) {
    /* Copy start data up to insert. */
    mas_mab_cp(mas, 0, slot - 1, bn, 0);
    b_end = bn.b_end;
    piv = bn.pivot[b_end - 1];
  } else {
    piv = mas.min - 1;
  }

  if (piv + 1 < mas.index) {
    /* Handle range starting after old range */
    bn.slot[b_end] = wr_mas.content;
    if (wr_mas.content === null) bn.gap[b_end] = mas.index - 1 - piv;
    bn.pivot[b_end++] = mas.index - 1;
  }

  /* Store the new entry. */
  mas.offset = b_end;
  bn.slot[b_end] = wr_mas.entry;
  bn.pivot[b_end] = mas.last;

  /* Appended. */
  if (mas.last >= mas.max) {
    bn.b_end = b_end;
    return;
  }

  /* Handle new range ending before old range ends */
  piv = mas_safe_pivot(mas, wr_mas.pivots, offset_end, wr_mas.type);
  if (piv > mas.last) {
    if (offset_end !== slot) wr_mas.content = wr_mas.slots[offset_end];
    bn.slot[++b_end] = wr_mas.content;
    if (wr_mas.content === null) bn.gap[b_end] = piv - mas.last + 1;
    bn.pivot[b_end] = piv;
  }

  const next = offset_end + 1;
  if (next > mas.end) {
    bn.b_end = b_end;
    return;
  }
  /* Copy end data to the end of the node. */
  mas_mab_cp(mas, next, mas.end + 1, bn, b_end + 1);
  bn.b_end--;
}
