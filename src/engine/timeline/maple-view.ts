// SPDX-License-Identifier: GPL-2.0-or-later
// mm->mm_mt at one step as plain data for the Maple tree view: every node in
// depth-first order (root first, so a subtree is a contiguous run), in typed
// arrays with one row of MAPLE_RANGE64_SLOTS columns per node, plus what the
// step did to it (maple-step.ts). Nothing here is a live object: it crosses
// the worker boundary as is, the arrays without a copy.
import type { MapleStepChanges } from '../kernel/trace/maple-step';
import { MapleNode, MAPLE_RANGE64_SLOTS, ma_is_leaf, maple_arange_64 } from '../kernel/maple/node';
import { mt_height } from '../kernel/maple/tree';
import type { MmState } from '../kernel/mm/mm-snapshot';
import type { Vma } from '../kernel/mm/mm_types';

/** Columns per node row: the most slots a node has (maple_range_64, maple_leaf_64). */
export const MAPLE_VIEW_STRIDE = MAPLE_RANGE64_SLOTS;

/** What the step did to a node, in rising order of precedence. */
export const NODE_UNCHANGED = 0;
export const NODE_WALKED = 1;
/** Changed in place by the kernel (mas_wr_exact_fit/append/slot_store, mas_put_in_tree). */
export const NODE_WRITTEN = 2;
/** Allocated by the kernel during the step (mas_wr_node_store, mas_split, ...). */
export const NODE_NEW = 3;

export interface MapleView {
  /** mt_height(). */
  height: number;
  /** The VMA id the root pointer holds directly (a single entry at index 0), or -1. */
  rootEntry: number;
  count: number;
  ids: Uint32Array;
  /** enum maple_type: 1 leaf_64, 2 range_64, 3 arange_64. */
  types: Uint8Array;
  depths: Uint8Array;
  /** Index of the parent node, -1 for the root. */
  parents: Int32Array;
  /** Index one past the node's last descendant: its subtree is [i, subtreeEnd[i]). */
  subtreeEnds: Uint32Array;
  /** ma_data_end(): the last used slot. */
  ends: Uint8Array;
  mins: Float64Array;
  maxs: Float64Array;
  /** pivot[k] at [i * STRIDE + k] for k < end (the node's max is `maxs[i]`). */
  pivots: Float64Array;
  /** Slot k at [i * STRIDE + k], k <= end: a leaf's VMA id (-1 NULL), an internal node's child index. */
  slots: Int32Array;
  /** maple_arange_64 gap[k] at [i * STRIDE + k] (0 elsewhere); the largest at `gapOffsets[i]`. */
  gaps: Float64Array;
  gapOffsets: Uint8Array;
  /** NODE_UNCHANGED, NODE_WALKED, NODE_WRITTEN or NODE_NEW. */
  status: Uint8Array;
  /** The kernel function that built or wrote the node ('' when unchanged). */
  by: string[];
  /** The step's changes as the engine recorded them (null when it did not write the tree). */
  changes: MapleStepChanges | null;
  /**
   * Set when `changes` are a whole call's, merged over steps `from + 1 ..
   * to` (maple-call.ts); absent for one step's.
   */
  call?: { from: number; to: number };
}

/** The arrays of a view, for a transfer list. */
export function mapleViewBuffers(v: MapleView): ArrayBuffer[] {
  return [
    v.ids,
    v.types,
    v.depths,
    v.parents,
    v.subtreeEnds,
    v.ends,
    v.mins,
    v.maxs,
    v.pivots,
    v.slots,
    v.gaps,
    v.gapOffsets,
    v.status,
  ].map((a) => a.buffer as ArrayBuffer);
}

function countNodes(node: MapleNode<Vma>): number {
  if (ma_is_leaf(node.type)) return 1;
  let n = 1;
  for (let i = 0; i <= node.end; i++) n += countNodes(node.slots[i] as MapleNode<Vma>);
  return n;
}

/** The tree of `mm` with `changes` (the step's record, if any) marked on its nodes. */
export function mapleView(mm: MmState, changes?: MapleStepChanges): MapleView {
  const root = mm.mt.root;
  const count = root === null ? 0 : countNodes(root);
  const S = MAPLE_VIEW_STRIDE;
  const v: MapleView = {
    height: mt_height(mm.mt),
    rootEntry: mm.mt.rootEntry !== null ? mm.mt.rootEntry.id : -1,
    count,
    ids: new Uint32Array(count),
    types: new Uint8Array(count),
    depths: new Uint8Array(count),
    parents: new Int32Array(count),
    subtreeEnds: new Uint32Array(count),
    ends: new Uint8Array(count),
    mins: new Float64Array(count),
    maxs: new Float64Array(count),
    pivots: new Float64Array(count * S),
    slots: new Int32Array(count * S).fill(-1),
    gaps: new Float64Array(count * S),
    gapOffsets: new Uint8Array(count),
    status: new Uint8Array(count),
    by: new Array<string>(count).fill(''),
    changes: changes ?? null,
  };
  const index = new Map<number, number>();
  let next = 0;
  const visit = (node: MapleNode<Vma>, depth: number, parent: number): number => {
    const i = next++;
    index.set(node.id, i);
    v.ids[i] = node.id;
    v.types[i] = node.type;
    v.depths[i] = depth;
    v.parents[i] = parent;
    v.ends[i] = node.end;
    v.mins[i] = node.min;
    v.maxs[i] = node.max;
    v.gapOffsets[i] = node.gapOffset;
    const base = i * S;
    for (let k = 0; k < node.end; k++) v.pivots[base + k] = node.pivots[k];
    if (node.type === maple_arange_64 && node.gaps !== null)
      for (let k = 0; k <= node.end; k++) v.gaps[base + k] = node.gaps[k];
    if (ma_is_leaf(node.type)) {
      for (let k = 0; k <= node.end; k++) {
        const entry = node.slots[k] as Vma | null;
        v.slots[base + k] = entry === null ? -1 : entry.id;
      }
    } else {
      for (let k = 0; k <= node.end; k++)
        v.slots[base + k] = visit(node.slots[k] as MapleNode<Vma>, depth + 1, i);
    }
    v.subtreeEnds[i] = next;
    return i;
  };
  if (root !== null) visit(root, 0, -1);

  if (changes) {
    const mark = (id: number, status: number, by: string): void => {
      const i = index.get(id);
      if (i === undefined || v.status[i] >= status) return;
      v.status[i] = status;
      v.by[i] = by;
    };
    for (const id of changes.walked) mark(id, NODE_WALKED, '');
    for (const c of changes.written) mark(c.id, NODE_WRITTEN, c.by);
    for (const c of changes.created) mark(c.id, NODE_NEW, c.by);
  }
  return v;
}
