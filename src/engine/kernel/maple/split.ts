// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Splitting a node that the write overfills. The maple tree splits upwards:
 * only at the leaf does it know how much room the write needs (a range can
 * replace many entries or turn one into three). At each level it first tries
 * to push data into a sibling with room ("pushing left/right", as a B* tree
 * does); failing that it cuts the data in two and carries both halves up to
 * the parent, which may split in turn, up to a new root.
 */
import {
  type MapleBigNode,
  mab_calc_split,
  mab_mas_cp,
  mab_no_null_split,
  mab_set_b_end,
  mab_shift_right,
  mabMetaGap,
  mabZero,
  mas_mab_cp,
} from './big-node';
import { mas_max_gap } from './gap';
import {
  type MapleNode,
  ma_is_leaf,
  maple_arange_64,
  maple_range_64,
  mt_slots,
  mtNumbers,
  mtSlots,
} from './node';
import { masAlloc, masNewNode, mas_replace_node } from './replace';
import type { MapleSubtreeState } from './rebalance';
import {
  type MaState,
  masTemp,
  masAssign,
  masClone,
  masHasSibling,
  mas_ascend,
  mas_data_end,
  mas_mn,
  mas_mt_height,
  mas_next_sibling,
  mas_prev_sibling,
  mte_is_root,
  mte_parent_slot,
} from './state';
import { mt_is_alloc } from './tree';
import { ULONG_MAX } from './u64';

// lib/maple_tree.c: mas_split_final_node() (Linux 6.18)
// The data fits one node: build the ancestor that replaces mas.node (a new
// root, of the internal type, when mas.node is the root).
function mas_split_final_node<T>(
  mast: MapleSubtreeState<T>,
  mas: MaState<T>,
  height: number,
): void {
  const node = mas_mn(mas);
  if (mte_is_root(mas, node)) {
    mast.bn.type = mt_is_alloc(mas.tree) ? maple_arange_64 : maple_range_64;
    mas.depth = height;
  }
  mab_mas_cp(mast.bn, 0, mt_slots[mast.bn.type] - 1, mast.l, true, mast.bn.type, mas.min);
  mas.offset = mast.bn.b_end - 1;
}

// lib/maple_tree.c: mast_fill_bnode() (Linux 6.18)
// Go up to the parent and gather its children around the new left and right
// nodes, skipping the `skip` old children they replace. (mas is already on
// the parent unless it was the root, so `ascended` says whether to copy
// the parent's other children: see masSplitFillFinal().)
function mast_fill_bnode<T>(
  mast: MapleSubtreeState<T>,
  mas: MaState<T>,
  skip: number,
  ascended: boolean,
): void {
  const bn = mast.bn;
  let cp = ascended;
  mabZero(bn);

  if (cp && mast.l.offset) mas_mab_cp(mas, 0, mast.l.offset - 1, bn, 0);
  const split = bn.b_end;
  mab_set_b_end(bn, mast.l, mast.l.node);
  mast.r.offset = bn.b_end;
  mab_set_b_end(bn, mast.r, mast.r.node);
  if (bn.pivot[bn.b_end - 1] === mas.max) cp = false;
  if (cp) mas_mab_cp(mas, split + skip, mt_slots[mas_mn(mas).type] - 1, bn, bn.b_end);
  bn.b_end--;
  bn.type = mas_mn(mas).type;
}

// Simulator-only: lib/maple_tree.c's mast_fill_bnode() followed by
// mas_split_final_node() (Linux 6.18), in one step where it can be.
// When the parent's data fits one node, the kernel still gathers it into the
// big node (mast_fill_bnode()) and copies it out again (mab_mas_cp() in
// mas_split_final_node()). The node that results is the parent's slots
// before mast.l's, the new left and right nodes, and the parent's slots
// after the `skip` old children: it is built here straight from the parent,
// as mab_mas_cp() would build it. Returns false, with the big node filled
// as mast_fill_bnode() fills it, when the data does not fit.
function masSplitFillFinal<T>(
  mast: MapleSubtreeState<T>,
  mas: MaState<T>,
  skip: number,
  height: number,
): boolean {
  const l = mast.l;
  const r = mast.r;
  const isRoot = mte_is_root(mas, mas_mn(mas));
  // mast_fill_bnode(): the kernel also sets mas.offset to the parent's own
  // slot here; nothing reads it before it is set again.
  if (!isRoot) mas_ascend(mas);
  const parent = mas_mn(mas);
  const head = isRoot ? 0 : l.offset;
  const tail = !isRoot && r.max !== mas.max;
  const tailStart = head + skip;
  const count = head + 2 + (tail ? parent.end - tailStart + 1 : 0);
  if (r.node === null || l.node === null || count > mt_slots[parent.type]) {
    mast_fill_bnode(mast, mas, skip, !isRoot);
    return false;
  }
  // mas_split_final_node(): a new root is of the internal type.
  const alloc_range = mt_is_alloc(mas.tree);
  let type = parent.type;
  if (isRoot) {
    type = alloc_range ? maple_arange_64 : maple_range_64;
    mas.depth = height;
  }
  const pivots = mtNumbers(count + 1);
  const slots = mtSlots<T>(count);
  const gaps = alloc_range ? mtNumbers(count) : null;
  const ppiv = parent.pivots;
  const pslots = parent.slots;
  const pgaps = parent.gaps;
  let d = 0;
  for (; d < head; d++) {
    pivots[d] = ppiv[d];
    slots[d] = pslots[d];
    if (gaps !== null) gaps[d] = (pgaps as readonly number[])[d];
  }
  // mab_set_b_end() for the new left and right nodes.
  slots[d] = l.node;
  if (gaps !== null) gaps[d] = mas_max_gap(l.node);
  pivots[d++] = l.max;
  r.offset = d;
  slots[d] = r.node;
  if (gaps !== null) gaps[d] = mas_max_gap(r.node);
  pivots[d++] = r.max;
  if (tail) {
    for (let i = tailStart; i <= parent.end; i++, d++) {
      pivots[d] = ppiv[i];
      slots[d] = pslots[i];
      if (gaps !== null) gaps[d] = (pgaps as readonly number[])[i];
    }
  }
  const min = mas.min;
  pivots[count] = min;
  // meta.gap as mab_mas_cp() sets it.
  const gapOffset = gaps !== null ? mabMetaGap(gaps, count - 1) : 0;
  l.max = pivots[count - 1];
  l.node = masNewNode(l, type, min, pivots, slots, gaps, gapOffset);
  l.min = min;
  mas.offset = count - 2;
  return true;
}

// lib/maple_tree.c: mast_split_data() (Linux 6.18)
// Cut the big node after `split` into the new left and right nodes.
function mast_split_data<T>(mast: MapleSubtreeState<T>, mas: MaState<T>, split: number): void {
  const bn = mast.bn;
  mab_mas_cp(bn, 0, split, mast.l, true, bn.type, mast.l.min);
  const right = mab_mas_cp(bn, split + 1, bn.b_end, mast.r, false, bn.type, bn.pivot[split] + 1);
  if (right.max !== mast.r.max) throw new Error('BUG: split right node max mismatch');
  mast.l.offset = mte_parent_slot(mas, mas_mn(mas));
  mast.l.max = bn.pivot[split];
  mast.r.min = mast.l.max + 1;
}

// lib/maple_tree.c: mas_push_data() (Linux 6.18)
// Instead of splitting, share the data with the left (or right) sibling if
// the two fit in two nodes; the parent then only needs its two slots
// rewritten, which stops the split from climbing (keeps the tree low).
function mas_push_data<T>(
  mas: MaState<T>,
  height: number,
  mast: MapleSubtreeState<T>,
  left: boolean,
): boolean {
  const bn = mast.bn;
  let slot_total = bn.b_end;
  // The kernel copies the state first; most pushes fail for want of a
  // sibling (at either end of a level), so that is checked before the copy.
  if (!masHasSibling(mas, left)) return false;
  const tmp_mas = masClone(mas);
  tmp_mas.depth = mast.l.depth;

  if (left && !mas_prev_sibling(tmp_mas)) return false;
  else if (!left && !mas_next_sibling(tmp_mas)) return false;

  const end = mas_data_end(tmp_mas);
  slot_total += end;
  let space = 2 * mt_slots[mas_mn(mas).type] - 2;
  /* -2 instead of -1 to ensure there isn't a triple split */
  if (ma_is_leaf(bn.type)) space--;
  if (mas.max === ULONG_MAX) space--;
  if (slot_total >= space) return false;

  const node = mas_mn(mas);
  const sibling = mas_mn(tmp_mas);
  /* Get the data; Fill mast.bn */
  bn.b_end++;
  if (left) {
    mab_shift_right(bn, end + 1);
    mas_mab_cp(tmp_mas, 0, end, bn, 0);
    bn.b_end = slot_total + 1;
  } else {
    mas_mab_cp(tmp_mas, 0, end, bn, bn.b_end);
  }

  /* Configure mast for splitting of mast.bn */
  let split = mt_slots[bn.type] - 2;
  if (left) {
    /*  Switch mas to prev node  */
    masAssign(mas, tmp_mas);
    /* Start using mast.l for the left side. */
    masAssign(mast.l, tmp_mas);
  } else {
    masAssign(mast.r, tmp_mas);
    split = slot_total - split;
  }
  split = mab_no_null_split(bn, split, mt_slots[bn.type]);

  mast_split_data(mast, mas, split);
  const trace = masAlloc(mas).trace;
  if (trace !== null)
    trace({
      kind: 'push',
      direction: left ? 'left' : 'right',
      nodeId: node.id,
      siblingId: sibling.id,
      leftId: mas_mn(mast.l).id,
      rightId: mas_mn(mast.r).id,
      split,
    });
  if (!masSplitFillFinal(mast, mas, 2, height + 1)) mas_split_final_node(mast, mas, height + 1);
  return true;
}

// lib/maple_tree.c: mas_split() (Linux 6.18)
// Split data that is too big for one node into two, level by level upwards.
export function mas_split<T>(mas: MaState<T>, bn: MapleBigNode<T>): void {
  const alloc = masAlloc(mas);
  const savedBy = alloc.by;
  alloc.by = 'mas_split';
  const trace = alloc.trace;
  let height = 0;
  const mid = { split: 0 };

  const l_mas = masTemp(mas, mas.index, mas.last);
  const r_mas = masTemp(mas, mas.index, mas.last);
  mas.depth = mas_mt_height(mas);
  // The kernel keeps the previous level's halves in prev_l_mas/prev_r_mas
  // for mast_split_data() to point their children's parent pointers at the
  // new nodes (mas_set_split_parent()). Nodes here have no parent pointer,
  // so nothing reads them and they are not kept.
  const mast: MapleSubtreeState<T> = {
    orig_l: l_mas,
    orig_r: r_mas,
    l: l_mas,
    m: l_mas,
    r: r_mas,
    bn,
  };

  while (height++ <= mas.depth) {
    if (mt_slots[bn.type] > bn.b_end) {
      mas_split_final_node(mast, mas, height);
      break;
    }

    masAssign(l_mas, mas);
    masAssign(r_mas, mas);
    /*
     * Another way that 'jitter' is avoided is to terminate a split up early
     * if the left or right node has space to spare: push the data there.
     */
    if (mas_push_data(mas, height, mast, true)) break;
    if (mas_push_data(mas, height, mast, false)) break;

    const old = mas_mn(mas);
    const split = mab_calc_split(bn, mid);
    mast_split_data(mast, mas, split);
    if (trace !== null)
      trace({
        kind: 'split',
        by: 'mas_split',
        depth: height,
        oldIds: [old.id],
        leftId: mas_mn(mast.l).id,
        middleId: null,
        rightId: mas_mn(mast.r).id,
        split,
        midSplit: 0,
      });
    /* Usually correct, mab_mas_cp in the above call overwrites r.max. */
    mast.r.max = mas.max;
    // The next level's first step: its data fits one node (the final node)
    // or it is split in turn.
    if (masSplitFillFinal(mast, mas, 1, height + 1)) break;
  }

  /* Set the original node as dead */
  const old = mas_mn(mas);
  const fresh = mas_mn(l_mas) as MapleNode<T>;
  mas.node = fresh;
  // mas_wmb_replace()
  mas_replace_node(mas, old, fresh, !ma_is_leaf(fresh.type));
  alloc.by = savedBy;
}
