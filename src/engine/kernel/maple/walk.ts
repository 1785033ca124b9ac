// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Lookups: walk from the root to the leaf slot that holds an index.
 */
import { type MapleNode, ma_is_leaf, mte_child, mte_entry } from './node';
import {
  type MaState,
  MA_STATE,
  ma_none,
  ma_start,
  mas_is_none,
  mas_is_ptr,
  mas_is_start,
  mas_is_active,
  mas_mn,
  mas_start,
} from './state';
import type { MapleTree } from './tree';
import { ULONG_MAX } from './u64';

// lib/maple_tree.c: mtree_range_walk() (Linux 6.18)
// Walk down from mas.node to the leaf slot of mas.index; the state ends on
// the leaf with index/last set to the slot's range.
export function mtree_range_walk<T>(mas: MaState<T>): T | null {
  let next: MapleNode<T> = mas_mn(mas);
  let min = mas.min;
  let max = mas.max;
  const index = mas.index;
  for (;;) {
    const node = next;
    const pivots = node.pivots;
    const end = node.end;
    const prev_min = min;
    const prev_max = max;
    let offset: number;
    if (pivots[0] >= index) {
      offset = 0;
      max = pivots[0];
    } else {
      offset = 1;
      while (offset < end) {
        if (pivots[offset] >= index) {
          max = pivots[offset];
          break;
        }
        offset++;
      }
      min = pivots[offset - 1] + 1;
    }
    if (ma_is_leaf(node.type)) {
      mas.end = end;
      mas.offset = offset;
      mas.index = min;
      mas.last = max;
      mas.min = prev_min;
      mas.max = prev_max;
      mas.node = node;
      return mte_entry(node, offset);
    }
    next = mte_child(node, offset);
  }
}

// lib/maple_tree.c: mas_state_walk() (Linux 6.18)
export function mas_state_walk<T>(mas: MaState<T>): T | null {
  const entry = mas_start(mas);
  if (mas_is_none(mas)) return null;
  if (mas_is_ptr(mas)) return entry;
  return mtree_range_walk(mas);
}

// lib/maple_tree.c: mas_walk() (Linux 6.18)
// Search for mas.index; index and last become the range of what is there
// (an entry or NULL).
export function mas_walk<T>(mas: MaState<T>): T | null {
  if (!mas_is_active(mas) || !mas_is_start(mas)) mas.status = ma_start;
  const entry = mas_state_walk(mas);
  if (mas_is_none(mas)) {
    mas.index = 0;
    mas.last = ULONG_MAX;
  } else if (mas_is_ptr(mas)) {
    if (!mas.index) {
      mas.last = 0;
      return entry;
    }
    mas.index = 1;
    mas.last = ULONG_MAX;
    mas.status = ma_none;
    return null;
  }
  return entry;
}

// lib/maple_tree.c: mtree_lookup_walk() (Linux 6.18)
// The quick lookup: no state kept, and the node's implied max lets the scan
// stop at the last pivot.
export function mtree_lookup_walk<T>(root: MapleNode<T>, index: number): T | null {
  let node = root;
  for (;;) {
    const pivots = node.pivots;
    const end = node.end;
    let offset = 0;
    while (offset < end && pivots[offset] < index) offset++;
    if (ma_is_leaf(node.type)) return mte_entry(node, offset);
    node = mte_child(node, offset);
  }
}

// lib/maple_tree.c: mtree_load() (Linux 6.18)
// The entry at index, or null.
export function mtree_load<T>(mt: MapleTree<T>, index: number): T | null {
  const root = mt.root;
  if (root === null) return index === 0 ? mt.rootEntry : null;
  return mtree_lookup_walk(root, index);
}

/** A fresh state's walk: the entry at index and the range it covers. */
export function mtWalkRange<T>(
  mt: MapleTree<T>,
  index: number,
): { entry: T | null; index: number; last: number } {
  const mas = MA_STATE(mt, index, index);
  const entry = mas_walk(mas);
  return { entry, index: mas.index, last: mas.last };
}
