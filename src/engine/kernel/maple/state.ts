// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * struct ma_state: a cursor over one version of the tree. Reads move it;
 * writes build a new version and swap it into `mas.tree`, as the kernel's
 * rcu_assign_pointer() swaps the root of the one tree it has.
 *
 * The kernel climbs the tree through each node's parent pointer. A node here
 * can sit in many versions at once, so it has no parent pointer: mas_ascend()
 * finds the parent by walking down from the root of `mas.tree` towards the
 * node's minimum (at most MAPLE_HEIGHT_MAX short steps; trees here are at
 * most 4 or 5 levels high).
 */
import {
  type MapleNode,
  type MapleType,
  mt_pivots,
  ma_is_leaf,
  mte_child,
  MAPLE_NODE_SLOTS,
} from './node';
import { type MapleTree, mt_height } from './tree';
import type { MapleTraceSink, StoreType } from './trace';
import { ULONG_MAX } from './u64';

/** enum maple_status */
export const ma_active = 0;
export const ma_start = 1;
export const ma_root = 2;
export const ma_none = 3;
export const ma_pause = 4;
export const ma_overflow = 5;
export const ma_underflow = 6;
export const ma_error = 7;
export type MapleStatus = 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7;

export const EINVAL = 22;
export const EBUSY = 16;
export const EEXIST = 17;

/**
 * The nodes a write builds come from here, like the kernel's mas->alloc;
 * copies of a state (l_mas = *mas) share it. It also carries the trace sink
 * and the path the write walk took.
 */
export interface MasAlloc<T> {
  /** The version the write started from. */
  before: MapleTree<T>;
  nextNodeId: number;
  /** Nodes built by this write, kept only when tracing. */
  created: MapleNode<T>[] | null;
  trace: MapleTraceSink | null;
  /** The kernel function now building nodes (for node_created events). */
  by: string;
  /** The write walk's nodes by depth (1 = root) and the offsets it took. */
  pathNodes: (MapleNode<T> | null)[];
  pathOffsets: number[];
  /** The deepest depth recorded in pathNodes. */
  pathDepth: number;
  /**
   * Parent links the write has stepped down (child, parent, slot), newest
   * last, in a ring of MAS_KNOWN entries: they stand in for the kernel's
   * parent pointers when the slow paths climb back up.
   */
  knownChild: (MapleNode<T> | null)[];
  knownParent: (MapleNode<T> | null)[];
  knownOffset: number[];
  knownCount: number;
  /** Scratch states (the kernel's on-stack `struct ma_state`s), reused. */
  temps: MaState<T>[];
  tempCount: number;
  /**
   * Nodes with an id in [mutableFrom, mutableBelow) were built by earlier
   * writes of the caller's sequence and no published version reaches them:
   * this write may change them in place (masMayWrite()).
   */
  mutableFrom: number;
  mutableBelow: number;
}

/** Size of the ring of parent links a write remembers. */
export const MAS_KNOWN = 16;

/** Remember that `child` hangs in slot `offset` of `parent` (during a write). */
export function masKnowParent<T>(
  alloc: MasAlloc<T>,
  child: MapleNode<T>,
  parent: MapleNode<T>,
  offset: number,
): void {
  const i = alloc.knownCount++ % MAS_KNOWN;
  alloc.knownChild[i] = child;
  alloc.knownParent[i] = parent;
  alloc.knownOffset[i] = offset;
}

export interface MaState<T> {
  /** The tree we're operating in (replaced by every write). */
  tree: MapleTree<T>;
  /** The index we're operating on - range start. */
  index: number;
  /** The last index we're operating on - range end. */
  last: number;
  /** The node containing this entry. */
  node: MapleNode<T> | null;
  /** The minimum index of this node - implied pivot min. */
  min: number;
  /** The maximum index of this node - implied pivot max. */
  max: number;
  /** Nodes for this write (null outside a write). */
  alloc: MasAlloc<T> | null;
  status: MapleStatus;
  /** The errno of ma_error (the kernel encodes it in mas->node). */
  err: number;
  depth: number;
  offset: number;
  mas_flags: number;
  /** The end of the node. */
  end: number;
  /** The type of store needed for this operation. */
  store_type: StoreType;
  /** Where write events go; null means no tracing. */
  trace: MapleTraceSink | null;
  /**
   * The first node id of the caller's unpublished writes: nodes built since
   * then that no kept version can reach, which a write may change in place
   * as the kernel changes its own nodes (Infinity: none; ignored when
   * tracing, whose events describe every copy).
   */
  mutableFrom: number;
}

// include/linux/maple_tree.h: MA_STATE() (Linux 6.18)
export function MA_STATE<T>(
  tree: MapleTree<T>,
  first: number,
  end: number,
  trace: MapleTraceSink | null = null,
): MaState<T> {
  return {
    tree,
    index: first,
    last: end,
    node: null,
    min: 0,
    max: ULONG_MAX,
    alloc: null,
    status: ma_start,
    err: 0,
    depth: 0,
    offset: 0,
    mas_flags: 0,
    end: 0,
    store_type: 'wr_invalid',
    trace,
    mutableFrom: Infinity,
  };
}

/**
 * MA_STATE() into an existing state: every field as MA_STATE() sets it. A
 * caller that looks up many times keeps one state, as the kernel keeps its
 * on the stack: a new object per lookup costs V8 a boxed number for each
 * index field above 2^31 (every user address), which the collector then
 * sweeps.
 */
export function masReinit<T>(
  mas: MaState<T>,
  tree: MapleTree<T>,
  first: number,
  end: number,
): MaState<T> {
  mas.tree = tree;
  mas.index = first;
  mas.last = end;
  mas.node = null;
  mas.min = 0;
  mas.max = ULONG_MAX;
  mas.alloc = null;
  mas.status = ma_start;
  mas.err = 0;
  mas.depth = 0;
  mas.offset = 0;
  mas.mas_flags = 0;
  mas.end = 0;
  mas.store_type = 'wr_invalid';
  mas.trace = null;
  mas.mutableFrom = Infinity;
  return mas;
}

/** C struct assignment `*dst = *src` between two states. */
export function masAssign<T>(dst: MaState<T>, src: MaState<T>): void {
  dst.tree = src.tree;
  dst.index = src.index;
  dst.last = src.last;
  dst.node = src.node;
  dst.min = src.min;
  dst.max = src.max;
  dst.alloc = src.alloc;
  dst.status = src.status;
  dst.err = src.err;
  dst.depth = src.depth;
  dst.offset = src.offset;
  dst.mas_flags = src.mas_flags;
  dst.end = src.end;
  dst.store_type = src.store_type;
  dst.trace = src.trace;
  dst.mutableFrom = src.mutableFrom;
}

/**
 * `MA_STATE(name, mas->tree, index, last)` inside a write: a scratch state
 * that lives until the write ends, sharing the write's allocation.
 */
export function masTemp<T>(mas: MaState<T>, index: number, last: number): MaState<T> {
  const alloc = mas.alloc;
  const t = masTempTake(mas, index, last);
  if (alloc === null) return t;
  masReinit(t, mas.tree, index, last);
  t.alloc = alloc;
  t.trace = mas.trace;
  return t;
}

/**
 * The next scratch state of the write, as the last write left it (a new
 * one, outside a write): masTemp() and masClone() fill in every field.
 */
function masTempTake<T>(mas: MaState<T>, index: number, last: number): MaState<T> {
  const alloc = mas.alloc;
  if (alloc === null) return MA_STATE(mas.tree, index, last, mas.trace);
  let t = alloc.temps[alloc.tempCount];
  if (t === undefined) {
    t = MA_STATE(mas.tree, index, last);
    alloc.temps.push(t);
  }
  alloc.tempCount++;
  return t;
}

/** `struct ma_state copy = *src;` */
export function masClone<T>(src: MaState<T>): MaState<T> {
  // No need to clear the scratch state first: every field is copied.
  const dst = masTempTake(src, src.index, src.last);
  masAssign(dst, src);
  return dst;
}

// include/linux/maple_tree.h: mas_reset() (Linux 6.18)
export function mas_reset<T>(mas: MaState<T>): void {
  mas.status = ma_start;
  mas.node = null;
}

// include/linux/maple_tree.h: __mas_set_range() (Linux 6.18)
export function __mas_set_range<T>(mas: MaState<T>, start: number, last: number): void {
  mas.index = start;
  mas.last = last;
}

// include/linux/maple_tree.h: mas_set_range() (Linux 6.18)
export function mas_set_range<T>(mas: MaState<T>, start: number, last: number): void {
  mas_reset(mas);
  __mas_set_range(mas, start, last);
}

// include/linux/maple_tree.h: mas_set() (Linux 6.18)
export function mas_set<T>(mas: MaState<T>, index: number): void {
  mas_set_range(mas, index, index);
}

// include/linux/maple_tree.h: mas_pause() (Linux 6.18)
export function mas_pause<T>(mas: MaState<T>): void {
  mas.status = ma_pause;
  mas.node = null;
}

export function mas_is_active<T>(mas: MaState<T>): boolean {
  return mas.status === ma_active;
}
export function mas_is_start<T>(mas: MaState<T>): boolean {
  return mas.status === ma_start;
}
export function mas_is_ptr<T>(mas: MaState<T>): boolean {
  return mas.status === ma_root;
}
export function mas_is_none<T>(mas: MaState<T>): boolean {
  return mas.status === ma_none;
}
export function mas_is_paused<T>(mas: MaState<T>): boolean {
  return mas.status === ma_pause;
}
export function mas_is_overflow<T>(mas: MaState<T>): boolean {
  return mas.status === ma_overflow;
}
export function mas_is_underflow<T>(mas: MaState<T>): boolean {
  return mas.status === ma_underflow;
}
export function mas_is_err<T>(mas: MaState<T>): boolean {
  return mas.status === ma_error;
}

// lib/maple_tree.c: mas_set_err() (Linux 6.18)
export function mas_set_err<T>(mas: MaState<T>, err: number): void {
  mas.err = err;
  mas.status = ma_error;
}

// lib/maple_tree.c: mas_mt_height() (Linux 6.18)
export function mas_mt_height<T>(mas: MaState<T>): number {
  return mt_height(mas.tree);
}

// lib/maple_tree.c: mas_is_root_limits() (Linux 6.18)
export function mas_is_root_limits<T>(mas: MaState<T>): boolean {
  return mas.min === 0 && mas.max === ULONG_MAX;
}

// lib/maple_tree.c: mte_is_root() (Linux 6.18)
// The kernel tests the root bit of the node's parent pointer; a node here is
// the root of the version `mas.tree` when that version points at it.
export function mte_is_root<T>(mas: MaState<T>, node: MapleNode<T>): boolean {
  return node === mas.tree.root;
}

/** The state's node, asserted present (the kernel would dereference it). */
export function mas_mn<T>(mas: MaState<T>): MapleNode<T> {
  const node = mas.node;
  if (node === null) throw new Error('BUG: maple state has no node');
  return node;
}

// lib/maple_tree.c: mas_safe_pivot() (Linux 6.18)
// Past the end of a node's data the kernel reads zeroed pivots (ours keep
// the node's min in the last element, which is past the end too).
export function mas_safe_pivot<T>(
  mas: MaState<T>,
  pivots: readonly number[],
  piv: number,
  type: MapleType,
): number {
  if (piv >= mt_pivots[type]) return mas.max;
  return piv < pivots.length - 1 ? pivots[piv] : 0;
}

// lib/maple_tree.c: mas_safe_min() (Linux 6.18)
export function mas_safe_min<T>(
  mas: MaState<T>,
  pivots: readonly number[],
  offset: number,
): number {
  if (offset) return pivots[offset - 1] + 1;
  return mas.min;
}

// lib/maple_tree.c: mas_data_end() (Linux 6.18)
export function mas_data_end<T>(mas: MaState<T>): number {
  return mas_mn(mas).end;
}

// lib/maple_tree.c: mas_start() (Linux 6.18)
// Returns the root entry of a single-entry tree when index 0 is asked for.
export function mas_start<T>(mas: MaState<T>): T | null {
  if (mas.status === ma_start) {
    mas.min = 0;
    mas.max = ULONG_MAX;
    mas.depth = 0;
    const root = mas.tree.root;
    /* Tree with nodes */
    if (root !== null) {
      mas.depth = 1;
      mas.status = ma_active;
      mas.node = root;
      mas.offset = 0;
      return null;
    }
    mas.node = null;
    /* empty tree */
    if (mas.tree.rootEntry === null) {
      mas.status = ma_none;
      mas.offset = MAPLE_NODE_SLOTS;
      return null;
    }
    /* Single entry tree */
    mas.status = ma_root;
    mas.offset = MAPLE_NODE_SLOTS;
    if (mas.index > 0) return null;
    return mas.tree.rootEntry;
  }
  return null;
}

// lib/maple_tree.c: mas_descend() (Linux 6.18)
export function mas_descend<T>(mas: MaState<T>): void {
  const node = mas_mn(mas);
  const pivots = node.pivots;
  if (mas.offset) mas.min = pivots[mas.offset - 1] + 1;
  mas.max = mas_safe_pivot(mas, pivots, mas.offset, node.type);
  const child = mte_child(node, mas.offset);
  mas.node = child;
  const alloc = mas.alloc;
  if (alloc !== null && alloc.before === mas.tree) masKnowParent(alloc, child, node, mas.offset);
}

/** The slot of the parent found by the last mtParent() call. */
let mtParentOffset = 0;

/**
 * The parent of `node` in mas.tree (null for the root), the kernel's
 * mte_parent(); the slot that holds the node, mte_parent_slot(), is left in
 * mtParentOffset. During a write, nodes on the path the write walked come
 * from the recorded path; others are found by walking down from the root
 * towards the node's minimum.
 */
function mtParent<T>(mas: MaState<T>, node: MapleNode<T>): MapleNode<T> | null {
  const tree = mas.tree;
  const root = tree.root;
  if (root === null || root === node) {
    mtParentOffset = 0;
    return null;
  }
  const alloc = mas.alloc;
  const known = alloc !== null && alloc.before === tree;
  if (known) {
    for (let d = alloc.pathDepth; d >= 2; d--) {
      if (alloc.pathNodes[d] === node) {
        mtParentOffset = alloc.pathOffsets[d - 1];
        return alloc.pathNodes[d - 1];
      }
    }
    const count = alloc.knownCount;
    const stop = count > MAS_KNOWN ? count - MAS_KNOWN : 0;
    for (let k = count - 1; k >= stop; k--) {
      const i = k % MAS_KNOWN;
      if (alloc.knownChild[i] === node) {
        mtParentOffset = alloc.knownOffset[i];
        return alloc.knownParent[i];
      }
    }
  }
  const key = node.min;
  let p: MapleNode<T> = root;
  for (;;) {
    const pivots = p.pivots;
    const end = p.end;
    let off = 0;
    while (off < end && pivots[off] < key) off++;
    const child: MapleNode<T> = mte_child(p, off);
    if (child === node) {
      mtParentOffset = off;
      if (known) masKnowParent(alloc, node, p, off);
      return p;
    }
    if (ma_is_leaf(p.type) || child === null || ma_is_leaf(child.type))
      throw new Error(`BUG: node ${node.id} is not in this tree`);
    p = child;
  }
}

// lib/maple_tree.c: mte_parent_slot() (Linux 6.18)
export function mte_parent_slot<T>(mas: MaState<T>, node: MapleNode<T>): number {
  mtParent(mas, node);
  return mtParentOffset;
}

// lib/maple_tree.c: mas_ascend() (Linux 6.18)
// Walk up a level, setting min and max to the parent's range.
export function mas_ascend<T>(mas: MaState<T>): number {
  const parent = mtParent(mas, mas_mn(mas));
  if (parent === null) {
    mas.offset = 0;
    return 0;
  }
  mas.offset = mtParentOffset;
  masAscendTo(mas, parent);
  return 0;
}

/** mas_ascend()'s move, once the parent is known: the state takes its range. */
function masAscendTo<T>(mas: MaState<T>, parent: MapleNode<T>): void {
  mas.node = parent;
  mas.min = parent.min;
  mas.max = parent.max;
}

// lib/maple_tree.c: mas_prev_sibling() (Linux 6.18)
// The kernel reads the parent pointer twice (mte_parent_slot(), then
// mas_ascend()); here both come from one mtParent() lookup.
export function mas_prev_sibling<T>(mas: MaState<T>): boolean {
  const node = mas_mn(mas);
  if (mte_is_root(mas, node)) return false;
  const parent = mtParent(mas, node) as MapleNode<T>;
  const p_slot = mtParentOffset;
  if (!p_slot) return false;
  masAscendTo(mas, parent);
  mas.offset = p_slot - 1;
  mas_descend(mas);
  return true;
}

/**
 * Whether mas.node has a sibling on the `left` (else right) under the same
 * parent: what mas_prev_sibling() / mas_next_sibling() would find, asked
 * without moving the state.
 */
export function masHasSibling<T>(mas: MaState<T>, left: boolean): boolean {
  const node = mas_mn(mas);
  if (mte_is_root(mas, node)) return false;
  const parent = mtParent(mas, node) as MapleNode<T>;
  return left ? mtParentOffset > 0 : mtParentOffset < parent.end;
}

// lib/maple_tree.c: mas_next_sibling() (Linux 6.18)
// The kernel ascends in a copy of the state (`parent = *mas`) and copies it
// back only when there is a next sibling; the copy differs from mas only in
// node, min, max and offset, so those are checked first and then set.
export function mas_next_sibling<T>(mas: MaState<T>): boolean {
  const node = mas_mn(mas);
  if (mte_is_root(mas, node)) return false;
  const parent = mtParent(mas, node) as MapleNode<T>;
  const offset = mtParentOffset + 1;
  if (offset > parent.end) return false;
  // *mas = parent, ascended
  masAscendTo(mas, parent);
  mas.offset = offset;
  mas_descend(mas);
  return true;
}

// lib/maple_tree.c: mas_node_or_none() (Linux 6.18)
export function mas_node_or_none<T>(mas: MaState<T>, node: MapleNode<T> | null): void {
  if (node !== null) {
    mas.node = node;
    mas.status = ma_active;
  } else {
    mas.node = null;
    mas.status = ma_none;
  }
}
