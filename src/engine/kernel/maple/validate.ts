// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * mt_validate(): the kernel's consistency check of a whole tree. A broken
 * invariant is a kernel BUG (MT_BUG_ON / MAS_WARN_ON), so it throws.
 */
import {
  type MapleNode,
  ma_is_leaf,
  maple_arange_64,
  maple_leaf_64,
  maple_range_64,
  mt_min_slots,
  mt_slots,
  mte_child,
  mte_entry,
} from './node';
import { type MapleTree, mt_height, mt_is_alloc } from './tree';
import { ULONG_MAX, u64_to_hex } from './u64';

class MapleValidationError extends Error {}

function bug(node: MapleNode<unknown> | null, what: string): never {
  const where =
    node === null ? 'tree' : `node ${node.id} [${u64_to_hex(node.min)}, ${u64_to_hex(node.max)}]`;
  throw new MapleValidationError(`mt_validate: ${where}: ${what}`);
}

interface ValidateState {
  height: number;
  alloc: boolean;
  /** Whether the leaf slot before the current one (in index order) is NULL. */
  prevNull: boolean;
  /** The next index the in-order walk expects. */
  next: number;
}

// lib/maple_tree.c: mas_validate_limits(), mas_validate_child_slot(),
// mas_validate_gaps() and mt_validate_nulls() (Linux 6.18), for one subtree.
// Returns the subtree's largest NULL range.
function mtValidateNode<T>(
  node: MapleNode<T>,
  min: number,
  max: number,
  depth: number,
  st: ValidateState,
): number {
  const n = node as MapleNode<unknown>;
  if (node.min !== min || node.max !== max)
    bug(n, `range differs from the parent's slot [${u64_to_hex(min)}, ${u64_to_hex(max)}]`);
  const leaf = ma_is_leaf(node.type);
  if (leaf !== (depth === st.height)) bug(n, `leaf at depth ${depth} of ${st.height}`);
  if (leaf && node.type !== maple_leaf_64) bug(n, 'leaf of the wrong type');
  if (!leaf && node.type !== (st.alloc ? maple_arange_64 : maple_range_64))
    bug(n, 'internal node of the wrong type');
  const end = node.end;
  if (end < 0 || end >= mt_slots[node.type]) bug(n, `end ${end} out of range`);
  if (node.slots.length !== end + 1 || node.pivots.length !== end + 2)
    bug(n, 'slot or pivot count differs from end');
  if (end < mt_min_slots[node.type] && max !== ULONG_MAX && depth > 1)
    bug(n, `insufficient: end ${end} < ${mt_min_slots[node.type]}`);
  if (node.pivots[end] !== max) bug(n, 'last pivot is not the node max');

  let first = min;
  let maxGap = 0;
  for (let i = 0; i <= end; i++) {
    const last = node.pivots[i];
    if (last < first) bug(n, `pivot ${i} (${u64_to_hex(last)}) below its range start`);
    if (leaf) {
      if (first !== st.next) bug(n, `slot ${i} does not follow the previous leaf slot`);
      st.next = last + 1;
      const entry = mte_entry(node, i);
      if (entry === null) {
        if (st.prevNull) bug(n, `sequential NULLs end at slot ${i}`);
        const gap = last - first + 1;
        if (gap > maxGap) maxGap = gap;
      } else if (entry === undefined) {
        bug(n, `slot ${i} holds undefined`);
      }
      st.prevNull = entry === null;
    } else {
      const child = mte_child(node, i);
      if (child === null || typeof child !== 'object' || !('pivots' in child))
        bug(n, `internal node lacks child at ${i}`);
      const gap = mtValidateNode(child, first, last, depth + 1, st);
      if (node.gaps !== null) {
        if (node.gaps[i] !== gap)
          bug(n, `gap ${i} is ${u64_to_hex(node.gaps[i])}, child's largest is ${u64_to_hex(gap)}`);
      }
      if (gap > maxGap) maxGap = gap;
    }
    first = last + 1;
  }
  if (leaf) {
    if (node.gaps !== null) bug(n, 'leaf with gaps');
    // mas_is_span_wr() keeps a NULL out of the last slot of any leaf but the
    // rightmost one, and mas_leaf_max_gap() relies on it.
    if (max !== ULONG_MAX && mte_entry(node, end) === null) bug(n, 'leaf ends on a NULL');
  } else if (st.alloc) {
    const gaps = node.gaps;
    if (gaps === null || gaps.length !== end + 1) bug(n, 'arange node without its gaps');
    const off = node.gapOffset;
    if (off < 0 || off > end) bug(n, `gap offset ${off} is invalid`);
    if (gaps[off] !== maxGap) bug(n, `gap offset ${off} is not the largest gap`);
  } else if (node.gaps !== null) {
    bug(n, 'range_64 node with gaps');
  }
  return maxGap;
}

// lib/maple_tree.c: mt_validate() (Linux 6.18)
export function mt_validate<T>(mt: MapleTree<T>): void {
  const height = mt_height(mt);
  if (mt.root === null) {
    if (height !== 0) bug(null, `height ${height} without a root node`);
    return;
  }
  if (mt.rootEntry !== null) bug(null, 'both a root node and a root entry');
  if (height < 1) bug(null, 'root node with height 0');
  const st: ValidateState = { height, alloc: mt_is_alloc(mt), prevNull: false, next: 0 };
  mtValidateNode(mt.root, 0, ULONG_MAX, 1, st);
  if (st.next !== ULONG_MAX + 1) bug(null, 'leaves do not reach ULONG_MAX');
}
