// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Maple tree nodes as the 64-bit kernel lays them out (include/linux/
 * maple_tree.h), kept immutable: a node that a published tree can reach is
 * never written again, so every version of the tree shares all the nodes a
 * write did not touch, as RCU readers of the kernel's tree share them. (A
 * node no published tree reaches yet may be: mtWriteInPlace() and
 * mtSetEnd() below.)
 *
 * What we keep per node, and how it maps to the C:
 * - `type`: enum maple_type (the kernel encodes it in the node pointer).
 * - `pivots`: pivot[0 .. end-1] as in the node, followed by the node's max at
 *   [end]. The kernel writes that max into pivot[end] too whenever the node
 *   is not full ("the implied value"); for a full node it is only implied.
 *   Either way mas_safe_pivot(offset) is pivots[offset] for offset <= end.
 *   The node's min follows at [end + 1] (see `min` below).
 * - `slots`: slot[0 .. end]; entries (or NULL) in leaves, child nodes inside.
 * - `end`: ma_data_end(), the offset of the last used slot. The kernel keeps
 *   it in the metadata (struct maple_metadata.end) or derives it from the
 *   pivots of a full node.
 * - `gaps`, `gapOffset`: maple_arange_64's gap[] and meta.gap (the offset of
 *   the largest gap); null / 0 elsewhere.
 * - `min`, `max`: the range the parent gives the node. The kernel derives
 *   them while walking (mas->min, mas->max); a node's range never changes
 *   while it is in a tree, so we keep it for views and checks. They live in
 *   the pivots array: a number field above 2^31 would cost V8 a boxed heap
 *   number per node, and every write builds several nodes.
 * - `id`: a number assigned at creation. Views animate nodes by it.
 */

export const maple_dense = 0;
export const maple_leaf_64 = 1;
export const maple_range_64 = 2;
export const maple_arange_64 = 3;
/** enum maple_type */
export type MapleType = 0 | 1 | 2 | 3;

export const MAPLE_NODE_SLOTS = 31;
export const MAPLE_RANGE64_SLOTS = 16;
export const MAPLE_ARANGE64_SLOTS = 10;
export const MAPLE_HEIGHT_MAX = 31;

/** mt_slots[]: slots per node type. */
export const mt_slots: readonly number[] = [
  MAPLE_NODE_SLOTS,
  MAPLE_RANGE64_SLOTS,
  MAPLE_RANGE64_SLOTS,
  MAPLE_ARANGE64_SLOTS,
];
/** mt_pivots[]: pivots stored per node type (one fewer than slots). */
export const mt_pivots: readonly number[] = [
  0,
  MAPLE_RANGE64_SLOTS - 1,
  MAPLE_RANGE64_SLOTS - 1,
  MAPLE_ARANGE64_SLOTS - 1,
];
/**
 * mt_min_slots[]: below this many slots (as an end offset) a node that is not
 * the rightmost on its level is insufficient and gets rebalanced.
 */
export const mt_min_slots: readonly number[] = [
  MAPLE_NODE_SLOTS / 2,
  MAPLE_RANGE64_SLOTS / 2 - 2,
  MAPLE_RANGE64_SLOTS / 2 - 2,
  MAPLE_ARANGE64_SLOTS / 2 - 1,
];

/** The name the golden dumps and the kernel's mt_dump give each type. */
export const maple_type_name: readonly string[] = ['dense', 'leaf_64', 'range_64', 'arange_64'];

/** MapleNode.owns: the node's gaps are its alone. */
export const MT_OWNS_GAPS = 1;
/** MapleNode.owns: the node's pivots are its alone. */
export const MT_OWNS_PIVOTS = 2;
export const MT_OWNS_ALL = MT_OWNS_GAPS | MT_OWNS_PIVOTS;

/** A slot holds an entry (leaf), a child (internal node) or NULL. */
export type MapleSlot<T> = T | MapleNode<T> | null;

export class MapleNode<T> {
  constructor(
    readonly id: number,
    readonly type: MapleType,
    /** ma_data_end(): the offset of the last used slot. */
    readonly end: number,
    /** pivot[0 .. end-1], the node's max at [end], its min at [end + 1]. */
    readonly pivots: readonly number[],
    readonly slots: readonly MapleSlot<T>[],
    /** maple_arange_64 gap[]; null for other types. */
    readonly gaps: readonly number[] | null,
    /** meta.gap: the offset of the largest gap (0 for leaves). */
    readonly gapOffset: number,
    /**
     * Which of its arrays the node has alone (MT_OWNS_GAPS, MT_OWNS_PIVOTS):
     * a copy shares its original's pivots (mas_replace_node(), an exact fit)
     * and maybe its gaps, which an in-place write must leave alone.
     */
    readonly owns: number = MT_OWNS_ALL,
  ) {}

  /**
   * Whether `gaps` is this node's alone: false for a copy that shares its
   * original's, whose gaps an in-place write must then copy once before it
   * changes them (mtWriteInPlace()).
   */
  get ownsGaps(): boolean {
    return (this.owns & MT_OWNS_GAPS) !== 0;
  }

  /** The first index the node covers. */
  get min(): number {
    return this.pivots[this.end + 1];
  }

  /** The last index the node covers. */
  get max(): number {
    return this.pivots[this.end];
  }
}

// lib/maple_tree.c: ma_is_dense() (Linux 6.18)
export function ma_is_dense(type: MapleType): boolean {
  return type < maple_leaf_64;
}

// lib/maple_tree.c: ma_is_leaf() (Linux 6.18)
export function ma_is_leaf(type: MapleType): boolean {
  return type < maple_range_64;
}

// lib/maple_tree.c: mte_is_leaf() (Linux 6.18)
export function mte_is_leaf<T>(node: MapleNode<T>): boolean {
  return node.type < maple_range_64;
}

/** The child in slot `offset` of an internal node. */
export function mte_child<T>(node: MapleNode<T>, offset: number): MapleNode<T> {
  return node.slots[offset] as MapleNode<T>;
}

/** The entry (or NULL) in slot `offset` of a leaf. */
export function mte_entry<T>(node: MapleNode<T>, offset: number): T | null {
  return node.slots[offset] as T | null;
}

/**
 * Templates of every length a node array takes: NUMBERS[n] is n numbers
 * (0.5, so that they are packed doubles), NULLS[n] n NULL slots. Each is
 * cut from a longer one, which makes it exactly n long, with no spare room
 * for its clones to copy.
 */
const NUMBERS: number[][] = [];
const NULLS: null[][] = [];
{
  const numbers: number[] = [];
  const nulls: null[] = [];
  const most = 2 * MAPLE_RANGE64_SLOTS + 2;
  for (let i = 0; i < most; i++) {
    numbers.push(0.5);
    nulls.push(null);
  }
  for (let n = 0; n <= most; n++) {
    NUMBERS.push(numbers.slice(0, n));
    NULLS.push(nulls.slice(0, n));
  }
}

/**
 * A packed array of n numbers, n long, for the caller to fill. Nodes hold
 * many small arrays: cloned from a template of the size, each is exactly as
 * long as its node needs, where one grown by push() keeps spare room.
 * (slice() with no arguments is a plain clone the optimizer inlines.)
 */
export function mtNumbers(n: number): number[] {
  return NUMBERS[n].slice();
}

/** A packed array of n slots, all NULL, for the caller to fill. */
export function mtSlots<T>(n: number): MapleSlot<T>[] {
  return NULLS[n].slice();
}

/**
 * The node constructor. The kernel pops a zeroed node from the state's
 * preallocation (mas_pop_node()) and fills it in place; ours is filled before
 * it is frozen into the tree, and takes the next id of the write's history.
 * `pivots` ends with the node's max, and then its min when it is shared with
 * (or copied from) a node of the same range; else min is appended.
 */
export function newNode<T>(
  alloc: { nextNodeId: number; created: MapleNode<T>[] | null },
  type: MapleType,
  min: number,
  pivots: number[],
  slots: MapleSlot<T>[],
  gaps: number[] | null,
  gapOffset: number,
  owns = MT_OWNS_ALL,
): MapleNode<T> {
  const end = slots.length - 1;
  if (pivots.length === end + 1) pivots.push(min);
  else if (pivots.length !== end + 2 || pivots[end + 1] !== min)
    throw new Error('BUG: node pivots do not match its slots');
  const node = new MapleNode<T>(
    alloc.nextNodeId++,
    type,
    end,
    pivots,
    slots,
    gaps,
    gapOffset,
    owns,
  );
  if (alloc.created !== null) alloc.created.push(node);
  return node;
}

/**
 * Changes slot `offset` of a node no published version reaches yet (see
 * masMayWrite()), and its gaps when they changed: the model's one exception
 * to immutable nodes, where the kernel writes its node in place too. Gaps
 * come back either as the node's own array (MapleNode.ownsGaps), which the
 * caller may have changed in place, or as a new array the node now owns.
 */
export function mtWriteInPlace<T>(
  node: MapleNode<T>,
  offset: number,
  slot: MapleSlot<T>,
  gaps: readonly number[] | null,
  gapOffset: number,
): void {
  (node.slots as MapleSlot<T>[])[offset] = slot;
  if (gaps !== node.gaps || gapOffset !== node.gapOffset) {
    const writable = node as {
      gaps: readonly number[] | null;
      gapOffset: number;
      owns: number;
    };
    if (gaps !== node.gaps) writable.owns |= MT_OWNS_GAPS;
    writable.gaps = gaps;
    writable.gapOffset = gapOffset;
  }
}

/**
 * The new end of a leaf rewritten in place (masNodeStoreInPlace()), whose
 * arrays the caller has already refilled.
 */
export function mtSetEnd<T>(node: MapleNode<T>, end: number): void {
  (node as { end: number }).end = end;
}
