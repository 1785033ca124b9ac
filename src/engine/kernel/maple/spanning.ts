// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A store whose range starts in one node and ends in another (or writes NULL
 * to the end of a leaf). The write walk stopped at the first node where the
 * range crossed a slot boundary; from there one state walks down to the leaf
 * of the first index and another to the leaf just past the last, the data of
 * both leaves around the new range is combined in a big node, and the
 * rebalancing climb rebuilds every level above.
 *
 *   before:  [ A  B  C ][ D  E  F ]      store X over the end of B .. D
 *   after:   [ A  X'  E  F ]  or split again if it does not fit
 */
import { mabGet, mabPut, mas_mab_cp, mas_store_b_node } from './big-node';
import { type MapleSubtreeState, mas_spanning_rebalance } from './rebalance';
import { masAlloc } from './replace';
import { mas_new_root } from './root';
import { masClone, mas_mn, mas_mt_height, mas_set_range } from './state';
import { type MaWrState, MA_WR_STATE, mas_wr_walk_index } from './store-type';
import { ULONG_MAX } from './u64';

// lib/maple_tree.c: mas_extend_spanning_null() (Linux 6.18)
// Extend a store of NULL to include the NULLs around it.
function mas_extend_spanning_null<T>(l_wr_mas: MaWrState<T>, r_wr_mas: MaWrState<T>): void {
  const r_mas = r_wr_mas.mas;
  const l_mas = l_wr_mas.mas;
  const l_slot = l_mas.offset;

  if (l_wr_mas.content === null) l_mas.index = l_wr_mas.r_min;

  if (l_mas.index === l_wr_mas.r_min && l_slot && l_wr_mas.slots[l_slot - 1] === null) {
    if (l_slot > 1) l_mas.index = l_wr_mas.pivots[l_slot - 2] + 1;
    else l_mas.index = l_mas.min;
    l_mas.offset = l_slot - 1;
  }

  if (r_wr_mas.content === null) {
    if (r_mas.last < r_wr_mas.r_max) r_mas.last = r_wr_mas.r_max;
    r_mas.offset++;
  } else if (
    r_mas.last === r_wr_mas.r_max &&
    r_mas.last < r_mas.max &&
    r_wr_mas.slots[r_mas.offset + 1] === null
  ) {
    // Unreachable: the right side was walked to last + 1, so its slot ends
    // after last. (The kernel's call here passes mas_safe_pivot() its
    // arguments in the wrong order.)
    throw new Error('BUG: mas_extend_spanning_null() right-side extension');
  }
}

// lib/maple_tree.c: mas_wr_spanning_store() (Linux 6.18)
export function mas_wr_spanning_store<T>(wr_mas: MaWrState<T>): void {
  const mas = wr_mas.mas;
  const alloc = masAlloc(mas);
  alloc.by = 'mas_wr_spanning_store';

  if (!mas.index && mas.last === ULONG_MAX) {
    mas_new_root(mas, wr_mas.entry);
    return;
  }
  /* Rebalancing may add three entries per level plus a new root. */
  const height = mas_mt_height(mas);

  /*
   * Set up right side: walk to the slot after the store, to combine the
   * next node with the one that holds the start.
   */
  const r_mas = masClone(mas);
  const r_wr_mas = MA_WR_STATE(r_mas, wr_mas.entry);
  /* Avoid overflow, walk to next slot in the tree. */
  if (r_mas.last !== ULONG_MAX) r_mas.last++;
  r_mas.index = r_mas.last;
  mas_wr_walk_index(r_wr_mas, 'right');
  r_mas.last = r_mas.index = mas.last;

  /* Set up left side. */
  const l_mas = masClone(mas);
  const l_wr_mas = MA_WR_STATE(l_mas, wr_mas.entry);
  mas_wr_walk_index(l_wr_mas, 'left');

  if (wr_mas.entry === null) {
    mas_extend_spanning_null(l_wr_mas, r_wr_mas);
    mas.offset = l_mas.offset;
    mas.index = l_mas.index;
    mas.last = l_mas.last = r_mas.last;
  }

  if (alloc.trace !== null)
    alloc.trace({
      kind: 'spanning_store',
      leftLeafId: mas_mn(l_mas).id,
      rightLeafId: mas_mn(r_mas).id,
      index: l_mas.index,
      last: r_mas.last,
    });

  /* expanding NULLs may make this cover the entire range */
  if (!l_mas.index && r_mas.last === ULONG_MAX) {
    mas_set_range(mas, 0, ULONG_MAX);
    mas_new_root(mas, wr_mas.entry);
    return;
  }

  const bn = mabGet<T>();
  /* Copy l_mas and store the value in bn. */
  mas_store_b_node(l_wr_mas, bn, l_mas.end);
  /* Copy r_mas into bn if there is anything to copy. */
  if (r_mas.max > r_mas.last) mas_mab_cp(r_mas, r_mas.offset, r_mas.end, bn, bn.b_end + 1);
  else bn.b_end++;

  /* Stop spanning searches by searching for just index. */
  l_mas.index = l_mas.last = mas.index;

  const mast: MapleSubtreeState<T> = {
    orig_l: l_mas,
    orig_r: r_mas,
    l: l_mas,
    m: l_mas,
    r: r_mas,
    bn,
  };
  /* Combine l_mas and r_mas and split them up evenly again. */
  mas_spanning_rebalance(mas, mast, height + 1);
  mabPut(bn);
}
