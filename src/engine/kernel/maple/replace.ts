// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Putting new nodes into the tree. In RCU mode the kernel builds a
 * replacement node (or subtree) off to the side and then makes it visible
 * with one pointer store in the parent, or in the tree for a new root. A
 * version here is immutable all the way up, so that one store becomes a copy
 * of every ancestor (a path copy): each copy differs from its original only
 * in the one child slot and in the gaps mas_update_gap() would have changed.
 */
import { mas_max_gap, ma_max_gap } from './gap';
import {
  MapleNode,
  type MapleSlot,
  ma_is_leaf,
  maple_type_name,
  mte_child,
  newNode,
  mtWriteInPlace,
  MAPLE_HEIGHT_MAX,
  MT_OWNS_ALL,
  MT_OWNS_GAPS,
} from './node';
import { mtScratch, mtScratchWriteEnd } from './scratch';
import { type MasAlloc, type MaState, MAS_KNOWN } from './state';
import {
  type MapleTraceSink,
  type MapleTypeName,
  type StoreType,
  traceGapUpdate,
  traceNodeCreated,
  traceNodeFreed,
  traceNodeReplaced,
  traceRootSet,
} from './trace';
import {
  type MapleTree,
  mt_height,
  mt_is_alloc,
  MT_FLAGS_HEIGHT_MASK,
  MT_FLAGS_HEIGHT_OFFSET,
} from './tree';

const EMPTY_TREE: MapleTree<unknown> = {
  ma_flags: 0,
  root: null,
  rootEntry: null,
  nextNodeId: 0,
};

/**
 * n copies of `value`, built by push() so that the array is packed (new
 * Array(n) makes a holey one, which every read must check for holes).
 */
function mtPacked<V>(n: number, value: V): V[] {
  const a: V[] = [];
  for (let i = 0; i < n; i++) a.push(value);
  return a;
}

/** Start a write: the state gets its allocation (mas_node_count()/mas_alloc_nodes()). */
export function masAllocBegin<T>(mas: MaState<T>): MasAlloc<T> {
  let alloc = mtScratch.alloc as MasAlloc<T> | null;
  mtScratch.alloc = null;
  if (alloc === null) {
    alloc = {
      before: mas.tree,
      nextNodeId: 0,
      created: null,
      trace: null,
      by: '',
      pathNodes: mtPacked<MapleNode<T> | null>(8, null),
      pathOffsets: mtPacked(8, 0),
      pathDepth: 0,
      knownChild: mtPacked<MapleNode<T> | null>(MAS_KNOWN, null),
      knownParent: mtPacked<MapleNode<T> | null>(MAS_KNOWN, null),
      knownOffset: mtPacked(MAS_KNOWN, 0),
      knownCount: 0,
      temps: [],
      tempCount: 0,
      mutableFrom: Infinity,
      mutableBelow: 0,
    };
  }
  alloc.before = mas.tree;
  alloc.nextNodeId = mas.tree.nextNodeId;
  alloc.created = mas.trace !== null ? [] : null;
  alloc.trace = mas.trace;
  alloc.by = 'mas_store';
  alloc.pathDepth = 0;
  alloc.knownCount = 0;
  // A traced write reports each node it copies; it never writes in place.
  alloc.mutableFrom = mas.trace === null ? mas.mutableFrom : Infinity;
  alloc.mutableBelow = mas.tree.nextNodeId;
  mas.alloc = alloc;
  return alloc;
}

/** The write is over: its allocation goes back to the pool (mas_destroy()). */
export function masAllocEnd<T>(alloc: MasAlloc<T>): void {
  // Drop the references so old versions can be collected.
  alloc.before = EMPTY_TREE as MapleTree<T>;
  for (let d = alloc.pathDepth; d >= 0; d--) alloc.pathNodes[d] = null;
  for (let k = Math.min(alloc.knownCount, MAS_KNOWN) - 1; k >= 0; k--) {
    alloc.knownChild[k] = null;
    alloc.knownParent[k] = null;
  }
  for (let k = 0; k < alloc.tempCount; k++) {
    const t = alloc.temps[k];
    t.node = null;
    t.tree = EMPTY_TREE as MapleTree<T>;
    t.alloc = null;
    t.trace = null;
  }
  alloc.tempCount = 0;
  alloc.created = null;
  alloc.trace = null;
  mtScratch.alloc = alloc as MasAlloc<unknown>;
  mtScratchWriteEnd();
}

/**
 * Whether this write may change `node` in place: an earlier write of the
 * caller's sequence built it and no published version reaches it (see
 * MaState.mutableFrom). The kernel writes a leaf's slot or a parent's child
 * pointer and gaps in place (mas_wr_exact_fit(), mas_put_in_tree(),
 * mas_update_gap()); the model does so only where no kept version can see
 * it, and never to a node this write built, so each store path reads as
 * before.
 */
export function masMayWrite<T>(alloc: MasAlloc<T>, node: MapleNode<T>): boolean {
  return node.id >= alloc.mutableFrom && node.id < alloc.mutableBelow;
}

/** The state's allocation, asserted present: nodes are only built in writes. */
export function masAlloc<T>(mas: MaState<T>): MasAlloc<T> {
  const alloc = mas.alloc;
  if (alloc === null) throw new Error('BUG: maple write without allocation');
  return alloc;
}

/** Build a node for this write and report it when tracing. */
export function masNewNode<T>(
  mas: MaState<T>,
  type: MapleNode<T>['type'],
  min: number,
  pivots: number[],
  slots: MapleSlot<T>[],
  gaps: number[] | null,
  gapOffset: number,
  owns = MT_OWNS_ALL,
): MapleNode<T> {
  const alloc = masAlloc(mas);
  const node = newNode(alloc, type, min, pivots, slots, gaps, gapOffset, owns);
  if (alloc.trace !== null) {
    traceNodeCreated(
      alloc.trace,
      node.id,
      maple_type_name[type] as MapleTypeName,
      node.min,
      node.max,
      node.end,
      alloc.by,
    );
  }
  return node;
}

/** The number of levels below and including `node`. */
function mtNodeHeight<T>(node: MapleNode<T>): number {
  let height = 1;
  let n = node;
  while (!ma_is_leaf(n.type)) {
    n = mte_child(n, 0);
    height++;
  }
  return height;
}

// lib/maple_tree.c: mas_set_height() + rcu_assign_pointer(mt->ma_root) (Linux 6.18)
// Publish a new version whose root is `root` (a node), `rootEntry` (the
// index-0 entry kept in the root pointer) or neither (empty).
export function mas_set_root<T>(
  mas: MaState<T>,
  root: MapleNode<T> | null,
  rootEntry: T | null,
  knownHeight = -1,
): void {
  const old = mas.tree;
  const alloc = masAlloc(mas);
  const height = knownHeight >= 0 ? knownHeight : root === null ? 0 : mtNodeHeight(root);
  if (height > MAPLE_HEIGHT_MAX) throw new Error('BUG: maple tree too high');
  const ma_flags = (old.ma_flags & ~MT_FLAGS_HEIGHT_MASK) | (height << MT_FLAGS_HEIGHT_OFFSET);
  if (
    root === old.root &&
    rootEntry === old.rootEntry &&
    ma_flags === old.ma_flags &&
    alloc.nextNodeId === old.nextNodeId &&
    alloc.trace === null
  ) {
    // A write in place that built no node: the version it changed is one
    // no one has seen (a published version's nodes are never written in
    // place, and its root would be one of them), so it stays the handle.
    mas.depth = height;
    return;
  }
  const tree: MapleTree<T> = { ma_flags, root, rootEntry, nextNodeId: alloc.nextNodeId };
  mas.tree = tree;
  mas.depth = height;
  if (alloc.trace !== null) {
    const from = mt_height(old);
    if (from !== height) alloc.trace({ kind: 'height_change', from, to: height });
    traceRootSet(alloc.trace, root === null ? null : root.id, rootEntry !== null, height);
  }
}

/**
 * The ancestors of `node` in the current version, root first, and the slot
 * each uses to reach the next. The write walk recorded them when `node` is on
 * its path (pathNodes[1 .. depth - 1]); else they are found from the root and
 * recorded the same way. Returns the node's depth.
 */
function masPathTo<T>(mas: MaState<T>, node: MapleNode<T>): number {
  const alloc = masAlloc(mas);
  if (alloc.before === mas.tree) {
    for (let d = alloc.pathDepth; d >= 1; d--) if (alloc.pathNodes[d] === node) return d;
  }
  const nodes = alloc.pathNodes;
  const offsets = alloc.pathOffsets;
  let depth = 1;
  let p = mas.tree.root;
  const key = node.min;
  while (p !== null && p !== node) {
    if (ma_is_leaf(p.type)) throw new Error(`BUG: node ${node.id} is not in the tree`);
    let off = 0;
    while (off < p.end && p.pivots[off] < key) off++;
    nodes[depth] = p;
    offsets[depth] = off;
    depth++;
    p = mte_child(p, off);
  }
  if (p === null) throw new Error(`BUG: node ${node.id} is not in the tree`);
  nodes[depth] = p;
  alloc.pathDepth = depth;
  return depth;
}

// lib/maple_tree.c: mas_put_in_tree() / mas_replace_node() / mas_wmb_replace() (Linux 6.18)
// Make `fresh` take the place of `old` and copy the ancestors. With
// `updateGap`, the gaps above are brought up to date as mas_update_gap()
// and mas_parent_gap() do it, so meta.gap moves exactly as in the kernel.
export function mas_replace_node<T>(
  mas: MaState<T>,
  old: MapleNode<T>,
  fresh: MapleNode<T>,
  updateGap: boolean,
): void {
  const alloc = masAlloc(mas);
  const trace = alloc.trace;
  if (trace !== null && old.min === fresh.min && old.max === fresh.max)
    traceNodeReplaced(trace, old.id, fresh.id, alloc.by);
  if (old === mas.tree.root) {
    mas_set_root(mas, fresh, null);
    return;
  }
  const depth = masPathTo(mas, old);
  const nodes = alloc.pathNodes;
  const offsets = alloc.pathOffsets;

  const savedBy = alloc.by;
  alloc.by = 'mas_put_in_tree';
  let child = fresh;
  let propagate = updateGap && mt_is_alloc(mas.tree);
  // mas_update_gap(): the gap the parent should record for the new child.
  let gap = propagate ? mas_max_gap(fresh) : 0;
  let root: MapleNode<T> | null = null;
  for (let k = depth - 1; k >= 1; k--) {
    const parent = nodes[k] as MapleNode<T>;
    const offset = offsets[k];
    let gaps = parent.gaps;
    let gapOffset = parent.gapOffset;
    const inPlace = masMayWrite(alloc, parent);
    if (propagate && gaps !== null) {
      // mas_parent_gap(): one level of the climb.
      const meta_offset = gapOffset;
      const meta_gap = gaps[meta_offset];
      if (gaps[offset] === gap) {
        propagate = false;
      } else {
        // The kernel's in-place gap store: into the node's own gaps, else
        // into a copy (which the node then owns, if it is written in place).
        const newGaps = inPlace && parent.ownsGaps ? (gaps as number[]) : gaps.slice();
        newGaps[offset] = gap;
        gaps = newGaps;
        if (meta_gap === gap) {
          propagate = false;
        } else if (offset !== meta_offset) {
          if (meta_gap > gap) propagate = false;
          else gapOffset = offset;
        } else if (gap < meta_gap) {
          gapOffset = ma_max_gap(newGaps, parent.end);
          gap = newGaps[gapOffset];
        }
      }
    }
    if (inPlace) {
      // Not yet published: the child pointer and gaps change in place, and
      // the ancestors, built by the same writes, already lead here.
      mtWriteInPlace(parent, offset, child, gaps, gapOffset);
      if (!propagate) {
        root = mas.tree.root;
        break;
      }
      child = parent;
      continue;
    }
    const slots = parent.slots.slice();
    slots[offset] = child;
    // The copy shares the original's pivots, and its gaps unless they
    // changed: a shared array is copied only if a later write changes it.
    const gapsChanged = gaps !== parent.gaps;
    const owns = gapsChanged ? MT_OWNS_GAPS : 0;
    const copy =
      trace === null
        ? new MapleNode<T>(
            alloc.nextNodeId++,
            parent.type,
            parent.end,
            parent.pivots,
            slots,
            gaps,
            gapOffset,
            owns,
          )
        : masNewNode(
            mas,
            parent.type,
            parent.min,
            parent.pivots as number[],
            slots,
            gaps as number[] | null,
            gapOffset,
            owns,
          );
    if (trace !== null) {
      traceNodeReplaced(trace, parent.id, copy.id, alloc.by);
      if (gapsChanged)
        traceGapUpdate(trace, copy.id, offset, (gaps as number[])[offset], gapOffset);
    }
    child = copy;
  }
  alloc.by = savedBy;
  // A copy of the old root, or the root itself changed in place: the
  // height is unchanged.
  mas_set_root(mas, root ?? child, null, mt_height(mas.tree));
}

/**
 * The ids of the nodes a traced write keeps (the children of the nodes it
 * built), as an open-addressing set: a slot holds an id only while its stamp
 * is the current write's, so a new write empties the set by bumping the
 * stamp. A scan of the children list for each node of the old version was
 * quadratic in the path's fan-out.
 */
let keptIds = new Float64Array(256);
let keptStamps = new Uint32Array(256);
let keptStamp = 0;

/** A slot of `keptIds` for `id`: where it is, or the empty one it would take. */
function keptSlot(id: number): number {
  const mask = keptIds.length - 1;
  let i = Math.imul(id | 0, 0x9e3779b1) >>> 0;
  for (;;) {
    i &= mask;
    if (keptStamps[i] !== keptStamp || keptIds[i] === id) return i;
    i++;
  }
}

/** Empties the set, sized for `count` ids (at most half full, so probes stay short). */
function keptReset(count: number): void {
  if (count * 2 > keptIds.length) {
    let size = keptIds.length;
    while (count * 2 > size) size *= 2;
    keptIds = new Float64Array(size);
    keptStamps = new Uint32Array(size);
    keptStamp = 0;
  }
  keptStamp = (keptStamp + 1) >>> 0;
  if (keptStamp === 0) {
    keptStamps.fill(0);
    keptStamp = 1;
  }
}

/**
 * Whether a store of this type rewrites one leaf (mas_wr_store_entry()'s
 * exact fit, append, slot store and node store): its new leaf takes the
 * old one's place (mas.node ends on it) and each ancestor is copied or
 * written in place, so the nodes it frees are its walk's path.
 */
export function masRewritesOneLeaf(storeType: StoreType): boolean {
  return (
    storeType === 'wr_exact_fit' ||
    storeType === 'wr_append' ||
    storeType === 'wr_slot_store' ||
    storeType === 'wr_node_store'
  );
}

/**
 * When tracing a store that rewrote one leaf (wr_exact_fit, wr_append,
 * wr_slot_store, wr_node_store): the nodes it freed are exactly the path
 * its walk took, root to leaf, each replaced by a copy (mas_replace_node());
 * they are reported in that order, which is the order masTraceFreed()'s walk
 * finds them in, without loading every child of the path to learn whether it
 * was kept. Returns how many, or -1 when the write was not such a store
 * (the caller then walks).
 */
export function masTraceFreedPath<T>(
  alloc: MasAlloc<T>,
  storeType: StoreType,
  trace: MapleTraceSink,
): number {
  if (!masRewritesOneLeaf(storeType)) return -1;
  const depth = alloc.pathDepth;
  const nodes = alloc.pathNodes;
  // One new node per level, and the walk's path still the old version's.
  const created = alloc.created;
  if (created === null || created.length !== depth || nodes[1] !== alloc.before.root) return -1;
  for (let d = 1; d <= depth; d++) traceNodeFreed(trace, (nodes[d] as MapleNode<T>).id);
  return depth;
}

/** Scratch stack of masTraceFreed(), reused by every traced write. */
const deadStack: (MapleNode<unknown> | null)[] = [];

/**
 * When tracing: every node of `before` that `after` no longer reaches,
 * reported to `trace` as node_freed; returns how many. A node survives
 * exactly when a node built by this write points at it (or it hangs below
 * one that does), so only the dead part of `before` is walked, as
 * mas_topiary_replace() and mte_destroy_walk() walk it. (No node of
 * `before` is one this write built: a version is never changed.)
 */
export function masTraceFreed<T>(
  before: MapleTree<T>,
  created: readonly MapleNode<T>[],
  trace: MapleTraceSink,
): number {
  const root = before.root;
  if (root === null) return 0;
  let children = 0;
  for (const node of created) if (!ma_is_leaf(node.type)) children += node.end + 1;
  keptReset(children);
  for (const node of created) {
    if (ma_is_leaf(node.type)) continue;
    for (let i = 0; i <= node.end; i++) {
      const id = mte_child(node, i).id;
      const at = keptSlot(id);
      keptIds[at] = id;
      keptStamps[at] = keptStamp;
    }
  }
  const stack = deadStack as (MapleNode<T> | null)[];
  let depth = 0;
  stack[depth++] = root;
  let freed = 0;
  while (depth > 0) {
    const node = stack[--depth] as MapleNode<T>;
    stack[depth] = null;
    if (keptStamps[keptSlot(node.id)] === keptStamp) continue;
    freed++;
    traceNodeFreed(trace, node.id);
    if (!ma_is_leaf(node.type))
      for (let i = node.end; i >= 0; i--) stack[depth++] = mte_child(node, i);
  }
  return freed;
}
