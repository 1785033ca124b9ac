// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct maple_tree as an immutable value: every write returns a new tree that
 * shares each untouched node with the one before it, the way a write in RCU
 * mode publishes a new root while readers keep the old one.
 */
import type { MapleNode } from './node';

/** Track gaps in this tree (internal nodes are maple_arange_64). */
export const MT_FLAGS_ALLOC_RANGE = 0x01;
/** Operate in RCU mode. */
export const MT_FLAGS_USE_RCU = 0x02;
export const MT_FLAGS_HEIGHT_OFFSET = 0x02;
export const MT_FLAGS_HEIGHT_MASK = 0x7c;
export const MT_FLAGS_LOCK_MASK = 0x300;
export const MT_FLAGS_LOCK_IRQ = 0x100;
export const MT_FLAGS_LOCK_BH = 0x200;
export const MT_FLAGS_LOCK_EXTERN = 0x300;
/** include/linux/mm_types.h: the flags of mm->mm_mt. */
export const MM_MT_FLAGS = MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN | MT_FLAGS_USE_RCU;

export interface MapleTree<T> {
  /** The kernel's ma_flags: MT_FLAGS_* with the height in MT_FLAGS_HEIGHT_MASK. */
  readonly ma_flags: number;
  /** The root node; null when the tree is empty or holds only an index-0 entry. */
  readonly root: MapleNode<T> | null;
  /**
   * The single entry of a tree that holds only index 0: the kernel keeps it
   * in the root pointer itself (height 0). Null otherwise.
   */
  readonly rootEntry: T | null;
  /** Id the next created node takes; ids are never reused in a history. */
  readonly nextNodeId: number;
}

// include/linux/maple_tree.h: MTREE_INIT() (Linux 6.18)
export function MTREE_INIT<T>(flags: number = MM_MT_FLAGS): MapleTree<T> {
  return { ma_flags: flags & ~MT_FLAGS_HEIGHT_MASK, root: null, rootEntry: null, nextNodeId: 1 };
}

// include/linux/maple_tree.h: mt_height() (Linux 6.18)
export function mt_height<T>(mt: MapleTree<T>): number {
  return (mt.ma_flags & MT_FLAGS_HEIGHT_MASK) >> MT_FLAGS_HEIGHT_OFFSET;
}

// lib/maple_tree.c: mt_is_alloc() (Linux 6.18)
export function mt_is_alloc<T>(mt: MapleTree<T>): boolean {
  return (mt.ma_flags & MT_FLAGS_ALLOC_RANGE) !== 0;
}

// include/linux/maple_tree.h: mt_in_rcu() (Linux 6.18)
export function mt_in_rcu<T>(mt: MapleTree<T>): boolean {
  return (mt.ma_flags & MT_FLAGS_USE_RCU) !== 0;
}

// include/linux/maple_tree.h: mtree_empty() (Linux 6.18)
export function mtree_empty<T>(mt: MapleTree<T>): boolean {
  return mt.root === null && mt.rootEntry === null;
}

/** The same tree with RCU mode switched on or off (mt_set_in_rcu / mt_clear_in_rcu). */
export function mt_with_rcu<T>(mt: MapleTree<T>, on: boolean): MapleTree<T> {
  const flags = on ? mt.ma_flags | MT_FLAGS_USE_RCU : mt.ma_flags & ~MT_FLAGS_USE_RCU;
  return { ...mt, ma_flags: flags };
}
