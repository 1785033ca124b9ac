// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Stores that replace the whole root: into an empty tree or one that keeps a
 * single index-0 entry in the root pointer (height 0), and stores over the
 * whole index space.
 */
import { type MapleSlot, maple_leaf_64 } from './node';
import { masAlloc, masNewNode, mas_set_root } from './replace';
import { type MaState, ma_active, ma_start } from './state';
import { ULONG_MAX } from './u64';

// lib/maple_tree.c: mas_root_expand() (Linux 6.18)
// Turn the root pointer into a leaf holding the old index-0 entry (if any)
// and the new range, with NULLs around them.
export function mas_root_expand<T>(mas: MaState<T>, entry: T): void {
  const contents = mas.tree.rootEntry;
  const alloc = masAlloc(mas);
  alloc.by = 'mas_root_expand';
  const pivots: number[] = [];
  const slots: MapleSlot<T>[] = [];

  if (mas.index) {
    if (contents !== null) {
      // The old entry covers [0, 0]; the kernel leaves pivot[0] at zero.
      slots.push(contents);
      pivots.push(0);
    }
    if (contents === null || mas.index > 1) {
      slots.push(null);
      pivots.push(mas.index - 1);
    }
  }
  mas.offset = slots.length;
  slots.push(entry);
  pivots.push(mas.last);
  if (mas.last !== ULONG_MAX) {
    slots.push(null);
    pivots.push(ULONG_MAX);
  }
  const node = masNewNode(mas, maple_leaf_64, 0, pivots, slots, null, 0);
  mas.node = node;
  mas.status = ma_active;
  mas.depth = 1;
  mas_set_root(mas, node, null);
}

// lib/maple_tree.c: mas_store_root() (Linux 6.18)
// There is no root node: assign the root pointer or expand into a node.
export function mas_store_root<T>(mas: MaState<T>, entry: T | null): void {
  if (entry === null) {
    if (!mas.index && mas.tree.rootEntry !== null) mas_set_root(mas, null, null);
  } else if (mas.last !== 0 || mas.index !== 0) {
    mas_root_expand(mas, entry);
  } else {
    // (The kernel also expands for entries whose low bits are '10', which
    // it reserves; our entries are never encoded pointers.)
    mas_set_root(mas, null, entry);
    mas.status = ma_start;
  }
}

// lib/maple_tree.c: mas_new_root() (Linux 6.18)
// A store over [0, ULONG_MAX]: one leaf with one slot, or an empty tree for
// NULL. The old tree is dropped whole (mte_destroy_walk()).
export function mas_new_root<T>(mas: MaState<T>, entry: T | null): void {
  if (mas.index || mas.last !== ULONG_MAX)
    throw new Error('BUG: mas_new_root() on a partial range');
  const alloc = masAlloc(mas);
  alloc.by = 'mas_new_root';
  if (entry === null) {
    mas.depth = 0;
    mas_set_root(mas, null, null);
    mas.status = ma_start;
    return;
  }
  const node = masNewNode(mas, maple_leaf_64, 0, [mas.last], [entry], null, 0);
  mas.node = node;
  mas.status = ma_active;
  mas.depth = 1;
  mas_set_root(mas, node, null);
}
