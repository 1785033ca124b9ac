// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Storing a range: the entry points (mas_store_gfp(), mas_store(),
 * mas_store_prealloc(), mas_erase()) and the leaf-level store types. Each
 * write starts from the version in mas.tree and leaves the new version there.
 *
 * The kernel changes a leaf in place for wr_exact_fit, wr_append and
 * wr_slot_store (readers in RCU mode see one word change at a time) and
 * copies it for wr_node_store. A store here builds a new leaf, since an old
 * version may still be on screen, unless no published version reaches the
 * leaf (MaState.mutableFrom: an exact fit's slot, or a node store's arrays,
 * change in place); the store type is still chosen as the kernel chooses
 * it, and the leaf holds exactly what the kernel's would.
 */
import { type MapleBigNode, mabGet, mabPut, mas_store_b_node } from './big-node';
import {
  type MapleNode,
  type MapleSlot,
  MT_OWNS_GAPS,
  MT_OWNS_PIVOTS,
  mtNumbers,
  mtSetEnd,
  mtSlots,
  mtWriteInPlace,
} from './node';
import { mas_rebalance } from './rebalance';
import { mtScratch } from './scratch';
import {
  masAlloc,
  masAllocBegin,
  masAllocEnd,
  masMayWrite,
  masNewNode,
  masRewritesOneLeaf,
  masTraceFreed,
  masTraceFreedPath,
  mas_replace_node,
  mas_set_root,
} from './replace';
import { mas_new_root, mas_store_root } from './root';
import { mas_wr_spanning_store } from './spanning';
import { mas_split } from './split';
import { traceStoreType, traceWriteBegin, traceWriteEnd } from './trace';
import {
  type MaState,
  EINVAL,
  ma_start,
  mas_is_active,
  mas_is_start,
  mas_mn,
  mas_reset,
} from './state';
import {
  type MaWrState,
  MA_WR_STATE,
  mas_prealloc_calc,
  mas_wr_new_end,
  mas_wr_prealloc_setup,
  mas_wr_store_type,
} from './store-type';
import { type MapleTree, MTREE_INIT, mt_height } from './tree';
import { MA_STATE, masReinit } from './state';
import { u64_is_index } from './u64';
import { mas_state_walk } from './walk';

/** The leaf being written, asserted present. */
function wrLeaf<T>(wr_mas: MaWrState<T>): MapleNode<T> {
  const node = wr_mas.node;
  if (node === null) throw new Error('BUG: leaf store without a leaf');
  return node;
}

// lib/maple_tree.c: mas_wr_store_entry() wr_exact_fit case (Linux 6.18)
// The range is exactly one slot: only the slot changes.
function mas_wr_exact_fit<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  const old = wrLeaf(wr_mas);
  if (old.slots[mas.offset] === wr_mas.entry) return;
  const alloc = masAlloc(mas);
  /* The gaps only change if a NULL appears or goes. */
  const gapChanged = (wr_mas.entry === null) !== (wr_mas.content === null);
  if (masMayWrite(alloc, old)) {
    // The kernel's own exact fit: one slot of an unpublished leaf, then
    // mas_update_gap() when a NULL came or went.
    mtWriteInPlace(old, mas.offset, wr_mas.entry, old.gaps, old.gapOffset);
    if (gapChanged) mas_replace_node(mas, old, old, true);
    else mas_set_root(mas, mas.tree.root, null, mt_height(mas.tree));
    return;
  }
  alloc.by = 'mas_wr_exact_fit';
  const slots = old.slots.slice();
  slots[mas.offset] = wr_mas.entry;
  // The copy shares the old leaf's pivots.
  const leaf = masNewNode(
    mas,
    old.type,
    old.min,
    old.pivots as number[],
    slots,
    null,
    0,
    MT_OWNS_GAPS,
  );
  mas.node = leaf;
  mas_replace_node(mas, old, leaf, gapChanged);
}

// lib/maple_tree.c: mas_wr_append() (Linux 6.18)
// The write is in the last slot and needs one or two more slots: the kernel
// fills them past the end without moving anything (not in RCU mode).
function mas_wr_append<T>(wr_mas: MaWrState<T>, new_end: number): void {
  const mas = wr_mas.mas;
  const old = wrLeaf(wr_mas);
  masAlloc(mas).by = 'mas_wr_append';
  const end = mas.end;
  const pivots = mtNumbers(new_end + 2);
  const slots = mtSlots<T>(new_end + 1);
  for (let i = 0; i <= end; i++) {
    pivots[i] = old.pivots[i];
    slots[i] = old.slots[i];
  }
  /* The implied max moves to the new end. */
  pivots[new_end] = pivots[end];
  pivots[new_end + 1] = old.min;

  if (new_end === end + 1) {
    if (mas.last === wr_mas.r_max) {
      /* Append to end of range */
      slots[new_end] = wr_mas.entry;
      pivots[end] = mas.index - 1;
      mas.offset = new_end;
    } else {
      /* Append to start of range */
      slots[new_end] = wr_mas.content;
      pivots[end] = mas.last;
      slots[end] = wr_mas.entry;
    }
  } else {
    /* Append to the range without touching any boundaries. */
    slots[new_end] = wr_mas.content;
    pivots[end + 1] = mas.last;
    slots[end + 1] = wr_mas.entry;
    pivots[end] = mas.index - 1;
    mas.offset = end + 1;
  }
  const leaf = masNewNode(mas, old.type, old.min, pivots, slots, null, 0);
  mas.node = leaf;
  mas_replace_node(mas, old, leaf, wr_mas.content === null || wr_mas.entry === null);
  mas.end = new_end;
}

// lib/maple_tree.c: mas_wr_slot_store() (Linux 6.18)
// The write moves one boundary (or, outside RCU mode, two) and the number of
// slots stays the same.
function mas_wr_slot_store<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  const old = wrLeaf(wr_mas);
  masAlloc(mas).by = 'mas_wr_slot_store';
  const offset = mas.offset;
  const pivots = old.pivots.slice();
  const slots = old.slots.slice();
  let gap = slots[offset] === null || slots[offset + 1] === null;

  if (wr_mas.offset_end - offset === 1) {
    if (mas.index === wr_mas.r_min) {
      /* Overwriting the range and a part of the next one */
      slots[offset] = wr_mas.entry;
      pivots[offset] = mas.last;
    } else {
      /* Overwriting a part of the range and the next one */
      slots[offset + 1] = wr_mas.entry;
      pivots[offset] = mas.index - 1;
      mas.offset++;
    }
  } else {
    /* Expand the range, only partially overwriting the previous and next ranges */
    gap ||= slots[offset + 2] === null;
    slots[offset + 1] = wr_mas.entry;
    pivots[offset] = mas.index - 1;
    pivots[offset + 1] = mas.last;
    mas.offset++;
  }
  const leaf = masNewNode(mas, old.type, old.min, pivots, slots, null, 0);
  mas.node = leaf;
  /* Only update gap when the new entry is empty or there was an empty entry. */
  mas_replace_node(mas, old, leaf, wr_mas.entry === null || gap);
}

// lib/maple_tree.c: mas_wr_node_store() (Linux 6.18)
// Rewrite the leaf: the slots before the write, what is left of the range
// the write starts in, the new range, then the slots after it.
function mas_wr_node_store<T>(wr_mas: MaWrState<T>, new_end: number): void {
  const mas = wr_mas.mas;
  const old = wrLeaf(wr_mas);
  const alloc = masAlloc(mas);
  alloc.by = 'mas_wr_node_store';
  let offset_end = wr_mas.offset_end;

  if (mas.last === wr_mas.end_piv) offset_end++; /* don't copy this offset */

  if (masMayWrite(alloc, old) && (old.owns & MT_OWNS_PIVOTS) !== 0) {
    masNodeStoreInPlace(wr_mas, old, offset_end, new_end);
    return;
  }
  const src_pivots = old.pivots;
  const src_slots = old.slots;

  const pivots = mtNumbers(new_end + 2);
  const slots = mtSlots<T>(new_end + 1);
  let d = 0;
  /* Copy from start to insert point */
  for (let i = 0; i < mas.offset; i++, d++) {
    pivots[d] = src_pivots[i];
    slots[d] = src_slots[i];
  }
  /* Handle insert of new range starting after old range */
  if (wr_mas.r_min < mas.index) {
    slots[d] = wr_mas.content;
    pivots[d++] = mas.index - 1;
    mas.offset++;
  }
  /* Store the new entry and range end. */
  slots[d] = wr_mas.entry;
  pivots[d++] = mas.last;

  /* Unless this range wrote to the end of the node, copy the rest. */
  if (offset_end <= mas.end) {
    for (let i = offset_end; i <= mas.end; i++, d++) {
      pivots[d] = src_pivots[i];
      slots[d] = src_slots[i];
    }
  }
  if (d !== new_end + 1) throw new Error('BUG: mas_wr_node_store() new_end mismatch');
  pivots[d] = old.min;
  const leaf = masNewNode(mas, old.type, old.min, pivots, slots, null, 0);
  mas.node = leaf;
  mas_replace_node(mas, old, leaf, true);
  mas.end = new_end;
}

/**
 * mas_wr_node_store() on a leaf no published version reaches: the same
 * contents, moved within the leaf's own arrays as the kernel's memcpy()s
 * would fill a fresh node, since nobody can see the old ones. The kernel
 * copies to a new node in RCU mode only for its readers; the leaf keeps its
 * range, so only the gaps above may change.
 */
function masNodeStoreInPlace<T>(
  wr_mas: MaWrState<T>,
  leaf: MapleNode<T>,
  offset_end: number,
  new_end: number,
): void {
  const mas = wr_mas.mas;
  const end = mas.end;
  const pivots = leaf.pivots as number[];
  const slots = leaf.slots as MapleSlot<T>[];
  const min = pivots[end + 1];
  const split = wr_mas.r_min < mas.index;
  /* Where the rest of the old slots goes, after the one or two new ones. */
  const shift = mas.offset + (split ? 2 : 1) - offset_end;
  /* Grow first, one at a time at the end, so the arrays stay packed. */
  while (slots.length <= new_end) {
    slots.push(null);
    pivots.push(0);
  }
  if (shift > 0) {
    for (let i = end; i >= offset_end; i--) {
      pivots[i + shift] = pivots[i];
      slots[i + shift] = slots[i];
    }
  } else if (shift < 0) {
    for (let i = offset_end; i <= end; i++) {
      pivots[i + shift] = pivots[i];
      slots[i + shift] = slots[i];
    }
  }
  let d = mas.offset;
  if (split) {
    slots[d] = wr_mas.content;
    pivots[d++] = mas.index - 1;
    mas.offset++;
  }
  slots[d] = wr_mas.entry;
  pivots[d] = mas.last;
  if (d + Math.max(end - offset_end + 1, 0) !== new_end)
    throw new Error('BUG: mas_wr_node_store() new_end mismatch');
  // Shrink by pop(), which the optimizer inlines; a store to `length` is a
  // call into the runtime (JSArray::SetLength) on every shrinking write.
  while (slots.length > new_end + 1) {
    slots.pop();
    pivots.pop();
  }
  pivots[new_end + 1] = min;
  mtSetEnd(leaf, new_end);
  mas.node = leaf;
  mas_replace_node(mas, leaf, leaf, true);
  mas.end = new_end;
}

// lib/maple_tree.c: mas_commit_b_node() (Linux 6.18)
function mas_commit_b_node<T>(wr_mas: MaWrState<T>, bn: MapleBigNode<T>): void {
  const type = wr_mas.mas.store_type;
  if (type !== 'wr_rebalance' && type !== 'wr_split_store')
    throw new Error(`BUG: mas_commit_b_node() with ${type}`);
  if (type === 'wr_rebalance') mas_rebalance(wr_mas.mas, bn);
  else mas_split(wr_mas.mas, bn);
}

// lib/maple_tree.c: mas_wr_bnode() (Linux 6.18)
// Slow path for a modification: split or rebalance through a big node.
function mas_wr_bnode<T>(wr_mas: MaWrState<T>): void {
  const bn = mabGet<T>();
  mas_store_b_node(wr_mas, bn, wr_mas.offset_end);
  mas_commit_b_node(wr_mas, bn);
  mabPut(bn);
}

// lib/maple_tree.c: mas_wr_store_entry() (Linux 6.18)
export function mas_wr_store_entry<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  const new_end = mas_wr_new_end(wr_mas);
  switch (mas.store_type) {
    case 'wr_invalid':
      throw new Error('BUG: wr_invalid store');
    case 'wr_new_root':
      mas_new_root(mas, wr_mas.entry);
      break;
    case 'wr_store_root':
      mas_store_root(mas, wr_mas.entry);
      break;
    case 'wr_exact_fit':
      mas_wr_exact_fit(wr_mas);
      break;
    case 'wr_append':
      mas_wr_append(wr_mas, new_end);
      break;
    case 'wr_slot_store':
      mas_wr_slot_store(wr_mas);
      break;
    case 'wr_node_store':
      mas_wr_node_store(wr_mas, new_end);
      break;
    case 'wr_spanning_store':
      mas_wr_spanning_store(wr_mas);
      break;
    case 'wr_split_store':
    case 'wr_rebalance':
      mas_wr_bnode(wr_mas);
      break;
  }
}

// lib/maple_tree.c: mas_wr_preallocate() (Linux 6.18)
// Walk and choose the store type. The kernel also allocates
// mas_prealloc_calc() nodes here; ours are built as they are needed.
function mas_wr_preallocate<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  mas_wr_prealloc_setup(wr_mas);
  mas.store_type = mas_wr_store_type(wr_mas);
  const alloc = masAlloc(mas);
  if (alloc.trace !== null) {
    const leaf = mas.store_type !== 'wr_store_root' && mas.node !== null;
    traceStoreType(
      alloc.trace,
      mas.store_type,
      mas.index,
      mas.last,
      leaf ? mas_mn(mas).id : null,
      mas.offset,
      wr_mas.offset_end,
      mas.end,
      leaf ? mas_wr_new_end(wr_mas) : 0,
    );
  }
}

/** Begin a write on mas.tree. */
function masWriteBegin<T>(mas: MaState<T>, op: 'store' | 'erase', entry: T | null): void {
  // A write always walks from the root of the version it changes; the
  // kernel may resume a walk it already did, which reaches the same leaf.
  mas_reset(mas);
  masAllocBegin(mas);
  if (mas.trace !== null) traceWriteBegin(mas.trace, op, mas.index, mas.last, entry === null);
}

// lib/maple_tree.c: mas_destroy() (Linux 6.18)
// End the write: drop the allocation, report what left the tree, and leave
// the state to walk afresh in the new version.
export function mas_destroy<T>(mas: MaState<T>): void {
  const alloc = mas.alloc;
  if (alloc === null) return;
  mas.alloc = null;
  mas.status = ma_start;
  mas.node = null;
  const trace = alloc.trace;
  if (trace === null) {
    masAllocEnd(alloc);
    return;
  }
  let freed = 0;
  if (mas.tree !== alloc.before) {
    freed = masTraceFreedPath(alloc, mas.store_type, trace);
    if (freed < 0) freed = masTraceFreed(alloc.before, alloc.created ?? [], trace);
  }
  traceWriteEnd(
    trace,
    mas.store_type,
    mas.tree.root === null ? null : mas.tree.root.id,
    mas.depth,
    alloc.created === null ? 0 : alloc.created.length,
    freed,
  );
  masAllocEnd(alloc);
}

/**
 * The leaf of the new version that the last write rewrote, holding the
 * range it stored, or null when the write was not a one-leaf store (a
 * split, rebalance, spanning store or new root). A caller that looks up
 * next to what it wrote can start from it.
 */
export function mtWrittenLeaf<T>(): MapleNode<T> | null {
  return mtScratch.leaf as MapleNode<T> | null;
}

/**
 * The body of every write: walk, choose the store type, store. (The kernel's
 * ma_wr_state lives on the stack; ours is reused between writes.)
 */
function masWrite<T>(mas: MaState<T>, op: 'store' | 'erase', entry: T | null): MapleSlot<T> {
  masWriteBegin(mas, op, entry);
  const spare = mtScratch.wr as MaWrState<T> | null;
  mtScratch.wr = null;
  const wr_mas = spare ?? MA_WR_STATE(mas, entry);
  wr_mas.mas = mas;
  wr_mas.entry = entry;
  wr_mas.content = null;
  mas_wr_preallocate(wr_mas);
  const content = wr_mas.content;
  mas_wr_store_entry(wr_mas);
  mtScratch.leaf = masRewritesOneLeaf(mas.store_type) ? mas.node : null;
  // Drop the references to this version before the next write, and give
  // the state back before mas_destroy() ends the write (mtScratchWriteEnd()).
  wr_mas.node = null;
  wr_mas.content = null;
  wr_mas.entry = null;
  wr_mas.pivots = wr_mas.slots = NO_DATA;
  mtScratch.wr = wr_mas as MaWrState<unknown>;
  mas_destroy(mas);
  return content;
}

const NO_DATA: readonly never[] = [];

/** A kernel WARN: index > last, or an index outside the encoding (u64.ts). */
function masCheckRange<T>(mas: MaState<T>): boolean {
  return mas.index <= mas.last && u64_is_index(mas.index) && u64_is_index(mas.last);
}

// lib/maple_tree.c: mas_store_gfp() (Linux 6.18)
// Store entry (or NULL) over [mas.index, mas.last]; mas.tree becomes the new
// version. Returns 0, or -EINVAL for a range with index > last. Memory
// allocation cannot fail here, so there is no -ENOMEM.
export function mas_store_gfp<T>(mas: MaState<T>, entry: T | null): number {
  if (!masCheckRange(mas)) return -EINVAL;
  masWrite(mas, 'store', entry);
  return 0;
}

// lib/maple_tree.c: mas_store() (Linux 6.18)
// As mas_store_gfp(); returns the entry that was at mas.index (the first
// entry the store overwrote), or null.
export function mas_store<T>(mas: MaState<T>, entry: T | null): T | null {
  if (!masCheckRange(mas)) throw new RangeError('mas_store(): index > last');
  const content = masWrite(mas, 'store', entry);
  return content as T | null;
}

// lib/maple_tree.c: mas_preallocate() (Linux 6.18)
// Nothing to reserve (nodes cannot run out); kept so that callers read like
// the kernel's vma_iter_prealloc() + vma_iter_store().
export function mas_preallocate<T>(mas: MaState<T>, entry: T | null): number {
  void entry;
  if (!masCheckRange(mas)) return -EINVAL;
  return 0;
}

// lib/maple_tree.c: mas_store_prealloc() (Linux 6.18)
// The store after mas_preallocate(): the same tree results as mas_store_gfp().
export function mas_store_prealloc<T>(mas: MaState<T>, entry: T | null): void {
  if (!masCheckRange(mas)) throw new RangeError('mas_store_prealloc(): index > last');
  masWrite(mas, 'store', entry);
}

// lib/maple_tree.c: mas_erase() (Linux 6.18)
// Find the range that holds mas.index and store NULL over all of it. Returns
// the erased entry (null if the index was in a NULL range, and then nothing
// is written); index and last become the range.
export function mas_erase<T>(mas: MaState<T>): T | null {
  if (!mas_is_active(mas) || !mas_is_start(mas)) mas.status = ma_start;
  const entry = mas_state_walk(mas);
  if (entry === null) return null;
  const index = mas.index;
  const last = mas.last;
  /* Must reset to ensure spanning writes of last slot are detected */
  mas.index = index;
  mas.last = last;
  masWrite(mas, 'erase', null);
  return entry;
}

/**
 * The state of the mtree_*() calls, which the kernel declares on the stack
 * (MA_STATE()): one object each call starts afresh (masReinit()), as every
 * write of the engine comes through here, kept with the scratch objects
 * (scratch.ts) so that it stays young. No write starts another.
 */
function mtreeState<T>(): MaState<T> {
  return (mtScratch.mtree ??= MA_STATE(MTREE_INIT(), 0, 0)) as MaState<T>;
}

// lib/maple_tree.c: mtree_store_range() (Linux 6.18)
// The tree-level store: a fresh state, mas_store_gfp(), the new version.
// `mutableFrom`: the first node id no published version holds, for a caller
// whose versions in between are never kept (MaState.mutableFrom).
export function mtree_store_range<T>(
  mt: MapleTree<T>,
  index: number,
  last: number,
  entry: T | null,
  trace: MaState<T>['trace'] = null,
  mutableFrom = Infinity,
): MapleTree<T> {
  const mas = masReinit(mtreeState<T>(), mt, index, last);
  mas.trace = trace;
  mas.mutableFrom = mutableFrom;
  if (mas_store_gfp(mas, entry) !== 0) throw new RangeError('mtree_store_range(): index > last');
  return mas.tree;
}

// lib/maple_tree.c: mtree_store() (Linux 6.18)
export function mtree_store<T>(
  mt: MapleTree<T>,
  index: number,
  entry: T | null,
  trace: MaState<T>['trace'] = null,
): MapleTree<T> {
  return mtree_store_range(mt, index, index, entry, trace);
}

// lib/maple_tree.c: mtree_erase() (Linux 6.18)
// Erase the range holding index; the new version and the erased entry.
export function mtree_erase<T>(
  mt: MapleTree<T>,
  index: number,
  trace: MaState<T>['trace'] = null,
): { tree: MapleTree<T>; entry: T | null } {
  const mas = masReinit(mtreeState<T>(), mt, index, index);
  mas.trace = trace;
  const entry = mas_erase(mas);
  return { tree: mas.tree, entry };
}

/** The number of nodes the kernel would preallocate for this store (for views). */
export function mtPreallocCount<T>(
  mt: MapleTree<T>,
  index: number,
  last: number,
  entry: T | null,
): number {
  const mas = MA_STATE(mt, index, last);
  masAllocBegin(mas);
  const wr_mas = MA_WR_STATE(mas, entry);
  mas_wr_prealloc_setup(wr_mas);
  mas.store_type = mas_wr_store_type(wr_mas);
  const count = mas_prealloc_calc(mas);
  mas.alloc = null;
  return count;
}
