// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Gap upkeep for allocation-range trees (MT_FLAGS_ALLOC_RANGE): each
 * maple_arange_64 slot records the largest run of NULL indices in any leaf
 * below it, and meta.gap names the slot with the largest of them, so that
 * get_unmapped_area() can skip whole subtrees that have no room.
 */
import { type MapleNode, ma_is_leaf } from './node';
import { ULONG_MAX } from './u64';

// lib/maple_tree.c: mas_leaf_max_gap() (Linux 6.18)
// The largest NULL range in a leaf. Two NULLs are never adjacent, and the
// last slot of a leaf can only be NULL in the rightmost leaf, which is the
// only place the kernel looks at it.
export function mas_leaf_max_gap<T>(node: MapleNode<T>): number {
  const pivots = node.pivots;
  const slots = node.slots;
  const end = node.end;
  // The node's max and min (MapleNode.max, MapleNode.min).
  const max = pivots[end];
  const min = pivots[end + 1];
  let max_gap = 0;
  let i: number;

  if (slots[0] === null) {
    max_gap = pivots[0] - min + 1;
    i = 2;
  } else {
    i = 1;
  }

  /* reduce max_piv as the special case is checked before the loop */
  const max_piv = end - 1;
  if (max_piv < 0) {
    // The kernel computes this with an unsigned char that wraps; a
    // single-slot leaf only occurs as the root, which keeps no gap.
    throw new Error(`BUG: mas_leaf_max_gap() on single-slot leaf ${node.id}`);
  }
  /* Check end implied pivot which can only be a gap on the right most node. */
  if (max === ULONG_MAX && slots[end] === null) {
    const gap = ULONG_MAX - pivots[max_piv];
    if (gap > max_gap) max_gap = gap;
    if (max_gap > pivots[max_piv] - min) return max_gap;
  }
  // Every gap the loop below can find lies within (pivots[0],
  // pivots[max_piv]]: a first gap at least that large already wins, as the
  // check above lets the last one win. (The leftmost leaf of a tree whose
  // user space starts high, as an mm's does, always begins with one.)
  if (max_gap >= pivots[max_piv] - pivots[0]) return max_gap;

  for (; i <= max_piv; i++) {
    /* data == no gap. */
    if (slots[i] !== null) continue;
    const gap = pivots[i] - pivots[i - 1];
    if (gap > max_gap) max_gap = gap;
    /* There cannot be two gaps in a row. */
    i++;
  }
  return max_gap;
}

// lib/maple_tree.c: ma_max_gap() (Linux 6.18)
// Scans down from the end: the highest offset wins a tie, and the end when
// every gap is zero. Returns the offset (the kernel's *off); the gap is
// gaps[offset] (0 when every gap is).
export function ma_max_gap(gaps: readonly number[], end: number): number {
  let offset = end;
  let max_gap = 0;
  for (let i = end; i >= 0; i--) {
    const gap = gaps[i];
    if (gap > max_gap) {
      max_gap = gap;
      offset = i;
    }
  }
  return offset;
}

// lib/maple_tree.c: mas_max_gap() (Linux 6.18)
export function mas_max_gap<T>(node: MapleNode<T>): number {
  if (ma_is_leaf(node.type)) return mas_leaf_max_gap(node);
  const gaps = node.gaps;
  if (gaps === null) throw new Error(`BUG: mas_max_gap() on gapless node ${node.id}`);
  return gaps[node.gapOffset];
}
