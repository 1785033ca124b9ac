// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The objects every write reuses where the kernel has them on the stack or
 * in its per-CPU caches: the write's allocation (MasAlloc, with its path
 * record and temporary states), its ma_wr_state, the big node of a split or
 * rebalance, the mtree_*() calls' ma_state, and the leaf the last write
 * rewrote. They live in one holder, replaced (with new objects) every
 * MT_SCRATCH_RENEW writes.
 *
 * Why: V8 stores a pointer into an object of its old generation through a
 * write barrier that takes a slow call when the pointer is to a young
 * object, and the nodes a run builds are young for a while (the whole tree,
 * when a run builds one). A scratch object reused for ever is soon old, so
 * a write paid the call for each node it recorded in it: a fifth of a write
 * on a young one-leaf tree. Replaced before it can live through two
 * young-generation collections, the holder and its objects stay young, and
 * stores into them take no call. A replaced object is only ever dropped: no
 * write is in progress when the holder changes, and nothing else keeps one.
 */
import type { MapleBigNode } from './big-node';
import type { MapleNode } from './node';
import type { MasAlloc, MaState } from './state';
import type { MaWrState } from './store-type';

/** Writes between two renewals of the scratch holder. */
export const MT_SCRATCH_RENEW = 4096;

export interface MtScratch {
  /** The allocation of the last write, for the next (null while one is in use). */
  alloc: MasAlloc<unknown> | null;
  /** The write state of the last write, for the next (null while one is in use). */
  wr: MaWrState<unknown> | null;
  /** The big node of the last split or rebalance, for the next. */
  bn: MapleBigNode<unknown> | null;
  /** The mtree_*() calls' state; made on first use after each renewal. */
  mtree: MaState<unknown> | null;
  /** mtWrittenLeaf(): the leaf the last write rewrote, if it rewrote one. */
  leaf: MapleNode<unknown> | null;
  /** Writes ended since the holder was made. */
  writes: number;
}

function mtScratchNew(leaf: MapleNode<unknown> | null): MtScratch {
  return { alloc: null, wr: null, bn: null, mtree: null, leaf, writes: 0 };
}

/** The current holder: read it afresh each time, it changes. */
export let mtScratch: MtScratch = mtScratchNew(null);

/** A write ended (masAllocEnd()): every MT_SCRATCH_RENEW-th, a new holder. */
export function mtScratchWriteEnd(): void {
  if (++mtScratch.writes >= MT_SCRATCH_RENEW) mtScratch = mtScratchNew(mtScratch.leaf);
}
