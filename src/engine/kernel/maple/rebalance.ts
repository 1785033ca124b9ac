// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Rebalancing: a node that would hold too little (fewer than mt_min_slots)
 * is combined with a neighbour and the data is cut again, level by level up
 * to the root, which may shrink the tree. The same climb finishes a spanning
 * store. The kernel builds the new subtree beside the old one (struct
 * maple_subtree_state) and swaps it in with one pointer store; so do we.
 */
import {
  type MapleBigNode,
  mab_mas_cp,
  mab_set_b_end,
  mab_shift_right,
  mabZero,
  mas_mab_cp,
  mas_mab_to_node,
} from './big-node';
import { type MapleNode, ma_is_leaf, mt_min_slots, mt_slots } from './node';
import { masAlloc, mas_replace_node } from './replace';
import {
  type MaState,
  MA_STATE,
  masTemp,
  masAssign,
  masClone,
  ma_none,
  mas_ascend,
  mas_data_end,
  mas_descend,
  mas_is_root_limits,
  mas_mn,
  mas_mt_height,
  mas_next_sibling,
  mas_node_or_none,
  mas_prev_sibling,
  mte_is_root,
} from './state';
import { type MaWrState, MA_WR_STATE, mas_wr_node_walk } from './store-type';
import { MTREE_INIT } from './tree';
import { ULONG_MAX } from './u64';

/** struct maple_subtree_state */
export interface MapleSubtreeState<T> {
  /** Original left side of subtree */
  orig_l: MaState<T>;
  /** Original right side of subtree */
  orig_r: MaState<T>;
  /** New left side of subtree */
  l: MaState<T>;
  /** New middle of subtree (rare) */
  m: MaState<T>;
  /** New right side of subtree */
  r: MaState<T>;
  bn: MapleBigNode<T>;
}

// lib/maple_tree.c: mast_rebalance_next() (Linux 6.18)
function mast_rebalance_next<T>(mast: MapleSubtreeState<T>): void {
  const b_end = mast.bn.b_end;
  mas_mab_cp(mast.orig_r, 0, mt_slots[mas_mn(mast.orig_r).type], mast.bn, b_end);
  mast.orig_r.last = mast.orig_r.max;
}

// lib/maple_tree.c: mast_rebalance_prev() (Linux 6.18)
function mast_rebalance_prev<T>(mast: MapleSubtreeState<T>): void {
  const end = mas_data_end(mast.orig_l) + 1;
  const b_end = mast.bn.b_end;
  mab_shift_right(mast.bn, end);
  mas_mab_cp(mast.orig_l, 0, end - 1, mast.bn, 0);
  mast.l.min = mast.orig_l.min;
  mast.orig_l.index = mast.orig_l.min;
  mast.bn.b_end = end + b_end;
  mast.l.offset += end;
}

// lib/maple_tree.c: mast_spanning_rebalance() (Linux 6.18)
// Pull in the nearest neighbour at the same level, favouring the right.
function mast_spanning_rebalance<T>(mast: MapleSubtreeState<T>): boolean {
  const r_tmp = masClone(mast.orig_r);
  const l_tmp = masClone(mast.orig_l);
  const trace = masAlloc(mast.orig_l).trace;
  const from = mas_mn(mast.orig_l).id;
  let depth = 0;
  do {
    mas_ascend(mast.orig_r);
    mas_ascend(mast.orig_l);
    depth++;
    if (mast.orig_r.offset < mas_data_end(mast.orig_r)) {
      mast.orig_r.offset++;
      do {
        mas_descend(mast.orig_r);
        mast.orig_r.offset = 0;
      } while (--depth);
      mast_rebalance_next(mast);
      masAssign(mast.orig_l, l_tmp);
      if (trace !== null)
        trace({
          kind: 'rebalance',
          by: 'mast_spanning_rebalance',
          nodeId: from,
          neighbourId: mas_mn(mast.orig_r).id,
          direction: 'next',
        });
      return true;
    } else if (mast.orig_l.offset !== 0) {
      mast.orig_l.offset--;
      do {
        mas_descend(mast.orig_l);
        mast.orig_l.offset = mas_data_end(mast.orig_l);
      } while (--depth);
      mast_rebalance_prev(mast);
      masAssign(mast.orig_r, r_tmp);
      if (trace !== null)
        trace({
          kind: 'rebalance',
          by: 'mast_spanning_rebalance',
          nodeId: from,
          neighbourId: mas_mn(mast.orig_l).id,
          direction: 'prev',
        });
      return true;
    }
  } while (!mte_is_root(mast.orig_r, mas_mn(mast.orig_r)));

  masAssign(mast.orig_r, r_tmp);
  masAssign(mast.orig_l, l_tmp);
  return false;
}

// lib/maple_tree.c: mast_ascend() (Linux 6.18)
// Ascend both original sides, with offsets at the data now in the new nodes.
const ascendWr = MA_WR_STATE<unknown>(MA_STATE(MTREE_INIT(), 0, 0), null);

function mast_ascend<T>(mast: MapleSubtreeState<T>): void {
  // The kernel's wr_mas is on the stack; mas_wr_node_walk() only needs its
  // fields for the duration of this call.
  const wr_mas = ascendWr as MaWrState<T>;
  wr_mas.mas = mast.orig_r;
  mas_ascend(mast.orig_l);
  mas_ascend(mast.orig_r);

  mast.orig_r.offset = 0;
  mast.orig_r.index = mast.r.max;
  /* last should be larger than or equal to index */
  if (mast.orig_r.last < mast.orig_r.index) mast.orig_r.last = mast.orig_r.index;
  wr_mas.type = mas_mn(mast.orig_r).type;
  mas_wr_node_walk(wr_mas);
  /* Set up the left side of things */
  mast.orig_l.offset = 0;
  mast.orig_l.index = mast.l.min;
  wr_mas.mas = mast.orig_l;
  wr_mas.type = mas_mn(mast.orig_l).type;
  mas_wr_node_walk(wr_mas);
  mast.bn.type = wr_mas.type;
  wr_mas.node = null;
  wr_mas.pivots = wr_mas.slots = [];
}

// lib/maple_tree.c: mast_cp_to_nodes() (Linux 6.18)
// Cut the big node at split (and mid_split) into the new left, middle and
// right nodes.
function mast_cp_to_nodes<T>(
  mast: MapleSubtreeState<T>,
  right: boolean,
  middle: boolean,
  split: number,
  mid_split: number,
): void {
  const bn = mast.bn;
  const type = bn.type;
  let new_lmax = true;

  if (split === bn.b_end) {
    mast.l.max = mast.orig_r.max;
    new_lmax = false;
  }
  const left = mab_mas_cp(bn, 0, split, mast.l, new_lmax, type, mast.orig_l.min);
  if (!new_lmax && left.max !== mast.l.max) throw new Error('BUG: left node max mismatch');
  mas_node_or_none(mast.l, left);

  if (middle) {
    const mid = mab_mas_cp(bn, 1 + split, mid_split, mast.m, true, type, bn.pivot[split] + 1);
    mas_node_or_none(mast.m, mid);
    split = mid_split;
  } else {
    mas_node_or_none(mast.m, null);
  }

  mast.r.max = mast.orig_r.max;
  if (right) {
    const node = mab_mas_cp(bn, 1 + split, bn.b_end, mast.r, false, type, bn.pivot[split] + 1);
    if (node.max !== mast.r.max) throw new Error('BUG: right node max mismatch');
    mas_node_or_none(mast.r, node);
  } else {
    mas_node_or_none(mast.r, null);
  }
}

// lib/maple_tree.c: mast_combine_cp_left() (Linux 6.18)
function mast_combine_cp_left<T>(mast: MapleSubtreeState<T>): void {
  const l_slot = mast.orig_l.offset;
  if (!l_slot) return;
  mas_mab_cp(mast.orig_l, 0, l_slot - 1, mast.bn, 0);
}

// lib/maple_tree.c: mast_combine_cp_right() (Linux 6.18)
function mast_combine_cp_right<T>(mast: MapleSubtreeState<T>): void {
  if (mast.bn.pivot[mast.bn.b_end - 1] >= mast.orig_r.max) return;
  mas_mab_cp(
    mast.orig_r,
    mast.orig_r.offset + 1,
    mt_slots[mas_mn(mast.orig_r).type],
    mast.bn,
    mast.bn.b_end,
  );
  mast.orig_r.last = mast.orig_r.max;
}

// lib/maple_tree.c: mast_sufficient() (Linux 6.18)
function mast_sufficient<T>(mast: MapleSubtreeState<T>): boolean {
  return mast.bn.b_end > mt_min_slots[mas_mn(mast.orig_l).type];
}

// lib/maple_tree.c: mast_overflow() (Linux 6.18)
function mast_overflow<T>(mast: MapleSubtreeState<T>): boolean {
  return mast.bn.b_end >= mt_slots[mas_mn(mast.orig_l).type];
}

// lib/maple_tree.c: mas_spanning_rebalance() (Linux 6.18)
// Cut the big node into up to three nodes, go up a level, gather the parent's
// other children around them, and repeat for `count` levels or until the
// data fits a root. orig_l and orig_r follow the old nodes being replaced.
export function mas_spanning_rebalance<T>(
  mas: MaState<T>,
  mast: MapleSubtreeState<T>,
  count: number,
): void {
  const alloc = masAlloc(mas);
  const trace = alloc.trace;
  const savedBy = alloc.by;
  alloc.by = 'mas_spanning_rebalance';
  const l_mas = masTemp(mas, mas.index, mas.index);
  const r_mas = masTemp(mas, mas.index, mas.last);
  const m_mas = masTemp(mas, mas.index, mas.index);
  l_mas.status = r_mas.status = m_mas.status = ma_none;
  mast.l = l_mas;
  mast.m = m_mas;
  mast.r = r_mas;
  const out = { split: 0, mid_split: 0, right: false, middle: false };
  let level = 0;
  let final: MapleNode<T>;

  /* Check if this is not root and has sufficient data.  */
  if (
    (mast.orig_l.min !== 0 || mast.orig_r.max !== ULONG_MAX) &&
    mast.bn.b_end <= mt_min_slots[mast.bn.type]
  )
    mast_spanning_rebalance(mast);

  l_mas.depth = 0;
  new_root: {
    while (count-- !== 0) {
      mast.bn.b_end--;
      mast.bn.type = mas_mn(mast.orig_l).type;
      mas_mab_to_node(mast.bn, out);
      const oldL = mas_mn(mast.orig_l);
      const oldR = mas_mn(mast.orig_r);
      mast_cp_to_nodes(mast, out.right, out.middle, out.split, out.mid_split);
      const left = mas_mn(l_mas);
      const middle = m_mas.status === ma_none ? null : mas_mn(m_mas);
      const right = r_mas.status === ma_none ? null : mas_mn(r_mas);
      level++;
      if (trace !== null && right !== null)
        trace({
          kind: 'split',
          by: 'mas_spanning_rebalance',
          depth: level,
          oldIds: oldL === oldR ? [oldL.id] : [oldL.id, oldR.id],
          leftId: left.id,
          middleId: middle === null ? null : middle.id,
          rightId: right.id,
          split: out.split,
          midSplit: out.mid_split,
        });

      /* Copy data from next level in the tree to mast.bn for the next iteration */
      mabZero(mast.bn);
      mast.bn.type = left.type;
      l_mas.depth++;

      /* Root already stored in l.node. */
      if (mas_is_root_limits(mast.l)) {
        final = left;
        break new_root;
      }

      mast_ascend(mast);
      mast_combine_cp_left(mast);
      l_mas.offset = mast.bn.b_end;
      mab_set_b_end(mast.bn, l_mas, left);
      mab_set_b_end(mast.bn, m_mas, middle);
      mab_set_b_end(mast.bn, r_mas, right);

      /* Copy anything necessary out of the right node. */
      mast_combine_cp_right(mast);
      mast.orig_l.last = mast.orig_l.max;

      if (mast_sufficient(mast)) continue;
      if (mast_overflow(mast)) continue;
      /* May be a new root stored in mast.bn */
      if (mas_is_root_limits(mast.orig_l)) break;
      mast_spanning_rebalance(mast);
      /* rebalancing from other nodes may require another loop. */
      if (!count) count++;
    }

    l_mas.depth++;
    final = mab_mas_cp(
      mast.bn,
      0,
      mt_slots[mast.bn.type] - 1,
      l_mas,
      true,
      mas_mn(mast.orig_l).type,
      mast.orig_l.min,
    );
    if (mas_mn(mast.orig_l) !== mas_mn(mast.orig_r))
      throw new Error('BUG: spanning rebalance ended on two nodes');
  }

  if (mas_is_root_limits(mast.l)) {
    while (!mte_is_root(mast.orig_l, mas_mn(mast.orig_l))) mast_ascend(mast);
  }

  const old_enode = mas_mn(mast.orig_l);
  mas.depth = l_mas.depth;
  mas.node = final;
  mas.min = l_mas.min;
  mas.max = l_mas.max;
  mas.offset = l_mas.offset;
  // mas_wmb_replace(): swap the subtree in, then fix the gaps above it.
  mas_replace_node(mas, old_enode, final, !ma_is_leaf(final.type));
  alloc.by = savedBy;
}

// lib/maple_tree.c: mas_rebalance() (Linux 6.18)
// Rebalance an insufficient node against the node to its right if there is
// one, else against the one to its left.
export function mas_rebalance<T>(mas: MaState<T>, bn: MapleBigNode<T>): void {
  const empty_count = mas_mt_height(mas);
  const b_end = ++bn.b_end;
  const l_mas = masClone(mas);
  const r_mas = masClone(mas);
  const node = mas_mn(mas);
  const mast: MapleSubtreeState<T> = {
    orig_l: l_mas,
    orig_r: r_mas,
    l: l_mas,
    m: l_mas,
    r: r_mas,
    bn,
  };
  bn.type = node.type;
  const trace = masAlloc(mas).trace;

  if (mas_next_sibling(r_mas)) {
    mas_mab_cp(r_mas, 0, mt_slots[mas_mn(r_mas).type], bn, b_end);
    r_mas.last = r_mas.index = r_mas.max;
    if (trace !== null)
      trace({
        kind: 'rebalance',
        by: 'mas_rebalance',
        nodeId: node.id,
        neighbourId: mas_mn(r_mas).id,
        direction: 'next',
      });
  } else {
    mas_prev_sibling(l_mas);
    const shift = mas_data_end(l_mas) + 1;
    mab_shift_right(bn, shift);
    mas.offset += shift;
    mas_mab_cp(l_mas, 0, shift - 1, bn, 0);
    bn.b_end = shift + b_end;
    l_mas.index = l_mas.last = l_mas.min;
    if (trace !== null)
      trace({
        kind: 'rebalance',
        by: 'mas_rebalance',
        nodeId: node.id,
        neighbourId: mas_mn(l_mas).id,
        direction: 'prev',
      });
  }
  mas_spanning_rebalance(mas, mast, empty_count);
}
