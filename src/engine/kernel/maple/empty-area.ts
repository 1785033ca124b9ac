// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Searching for a free range (the search get_unmapped_area() makes through
 * vm_unmapped_area()): the gaps kept in each maple_arange_64 slot let the walk
 * skip subtrees with no room, descending only where a large enough gap is.
 * mas_empty_area() finds the lowest fit, mas_empty_area_rev() the highest
 * (top-down mmap, the default).
 */
import { MAPLE_NODE_SLOTS, ma_is_dense, ma_is_leaf, mte_child, mte_entry } from './node';
import {
  type MaState,
  EBUSY,
  EINVAL,
  mas_ascend,
  mas_data_end,
  mas_is_err,
  mas_is_none,
  mas_is_ptr,
  mas_is_start,
  mas_mn,
  mas_safe_min,
  mas_safe_pivot,
  mas_set_err,
  mas_start,
  mte_is_root,
} from './state';
import { ULONG_MAX } from './u64';

/**
 * `last - first + 1` as an unsigned long: the whole space, 2^64, wraps to 0.
 * (With a [0, ULONG_MAX] window the kernel's mas_rev_awalk() therefore never
 * takes a slot that starts at 0; we do the same.)
 */
function u64_span(first: number, last: number): number {
  const span = last - first + 1;
  return span > ULONG_MAX ? 0 : span;
}

// lib/maple_tree.c: mas_rev_awalk() (Linux 6.18)
// In this node, find the highest slot with a gap of `size` inside
// [mas.index, mas.last] and descend into it. True when found in a leaf
// (gap.min/gap.max are then its range), false to go on (or on error).
function mas_rev_awalk<T>(
  mas: MaState<T>,
  size: number,
  gap_range: { min: number; max: number },
): boolean {
  if (mas_is_err(mas)) return true;
  const node = mas_mn(mas);
  const type = node.type;
  if (ma_is_dense(type)) throw new Error('BUG: dense nodes are not modelled');
  const pivots = node.pivots;
  const gaps = node.gaps;
  let offset = mas.offset;
  let min = mas_safe_min(mas, pivots, offset);
  let gap: number;
  /* Skip out of bounds. */
  while (mas.last < min) {
    if (offset === 0) throw new Error('BUG: mas_rev_awalk() ran below the node');
    min = mas_safe_min(mas, pivots, --offset);
  }

  let max = mas_safe_pivot(mas, pivots, offset, type);
  found: {
    while (mas.index <= max) {
      gap = 0;
      if (gaps !== null) gap = gaps[offset];
      else if (ma_is_leaf(type) && mte_entry(node, offset) === null) gap = max - min + 1;

      if (gap) {
        if (size <= gap && size <= u64_span(min, mas.last)) break found;
        if (gaps === null) {
          /* Skip the next slot, it cannot be a gap. */
          if (offset < 2) return mas_rev_awalk_ascend(mas);
          offset -= 2;
          max = pivots[offset];
          min = mas_safe_min(mas, pivots, offset);
          continue;
        }
      }
      if (!offset) return mas_rev_awalk_ascend(mas);
      offset--;
      max = min - 1;
      min = mas_safe_min(mas, pivots, offset);
    }
    mas_set_err(mas, -EBUSY);
    return false;
  }

  if (mas.index > max || size - 1 > max - mas.index) {
    /* no_space */
    mas_set_err(mas, -EBUSY);
    return false;
  }
  if (ma_is_leaf(type)) {
    mas.offset = offset;
    gap_range.min = min;
    gap_range.max = min + gap - 1;
    return true;
  }
  /* descend, only happens under lock. */
  mas.node = mte_child(node, offset);
  mas.min = min;
  mas.max = max;
  mas.offset = mas_data_end(mas);
  return false;
}

/** mas_rev_awalk()'s `ascend:` exit: go on above, or no space at the root. */
function mas_rev_awalk_ascend<T>(mas: MaState<T>): boolean {
  if (!mte_is_root(mas, mas_mn(mas))) return false;
  mas_set_err(mas, -EBUSY);
  return false;
}

// lib/maple_tree.c: mas_anode_descend() (Linux 6.18)
// In this node, find the lowest slot with a gap of `size` inside
// [mas.index, mas.last]; descend into it, or report it found in a leaf.
function mas_anode_descend<T>(mas: MaState<T>, size: number): boolean {
  const node = mas_mn(mas);
  const type = node.type;
  if (ma_is_dense(type)) throw new Error('BUG: dense nodes are not modelled');
  const pivots = node.pivots;
  const gaps = node.gaps;
  let offset = mas.offset;
  let min = mas_safe_min(mas, pivots, offset);
  const data_end = node.end;
  let found = false;
  let gap = 0;

  done: {
    for (; offset <= data_end; offset++) {
      const pivot = mas_safe_pivot(mas, pivots, offset, type);
      /* Not within lower bounds */
      if (mas.index <= pivot) {
        let candidate = true;
        if (gaps !== null) gap = gaps[offset];
        else if (ma_is_leaf(type) && mte_entry(node, offset) === null)
          gap = Math.min(pivot, mas.last) - Math.max(mas.index, min) + 1;
        else candidate = false;

        if (candidate && gap >= size) {
          if (ma_is_leaf(type)) {
            found = true;
            break done;
          }
          if (mas.index <= pivot) {
            mas.node = mte_child(node, offset);
            mas.min = min;
            mas.max = pivot;
            offset = 0;
            break;
          }
        }
      }
      /* next_slot: */
      min = pivot + 1;
      if (mas.last <= pivot) {
        mas_set_err(mas, -EBUSY);
        return true;
      }
    }
    if (mte_is_root(mas, mas_mn(mas))) found = true;
  }
  mas.offset = offset;
  return found;
}

// lib/maple_tree.c: mas_skip_node() (Linux 6.18)
// Move past this node: up until there is a next slot.
function mas_skip_node<T>(mas: MaState<T>): boolean {
  if (mas_is_err(mas)) return false;
  do {
    if (mte_is_root(mas, mas_mn(mas))) {
      if (mas.offset >= mas_data_end(mas)) {
        mas_set_err(mas, -EBUSY);
        return false;
      }
    } else {
      mas_ascend(mas);
    }
  } while (mas.offset >= mas_data_end(mas));
  mas.offset++;
  return true;
}

// lib/maple_tree.c: mas_rewind_node() (Linux 6.18)
// Move before this node: up until there is a previous slot.
function mas_rewind_node<T>(mas: MaState<T>): boolean {
  let slot: number;
  do {
    if (mte_is_root(mas, mas_mn(mas))) {
      slot = mas.offset;
      if (!slot) return false;
    } else {
      mas_ascend(mas);
      slot = mas.offset;
    }
  } while (!slot);
  mas.offset = slot - 1;
  return true;
}

// lib/maple_tree.c: mas_awalk() (Linux 6.18)
// Allocation walk, low to high, between mas.index and mas.last.
function mas_awalk<T>(mas: MaState<T>, size: number): void {
  let last = null;
  /*
   * There are 4 options: go to child (descend), go back to parent (ascend),
   * no gap found (return, slot == MAPLE_NODE_SLOTS), found the gap.
   */
  while (!mas_is_err(mas) && !mas_anode_descend(mas, size)) {
    if (last === mas.node) mas_skip_node(mas);
    else last = mas.node;
  }
}

// lib/maple_tree.c: mas_sparse_area() (Linux 6.18)
// The answer in a tree with no nodes: index 0 is taken if the root holds it.
function mas_sparse_area<T>(
  mas: MaState<T>,
  min: number,
  max: number,
  size: number,
  fwd: boolean,
): number {
  if (!mas_is_none(mas) && min === 0) {
    min++;
    /* min is increased, recheck whether the size is satisfied. */
    if (min > max || max - min + 1 < size) return -EBUSY;
  }
  if (fwd) {
    mas.index = min;
    mas.last = min + size - 1;
  } else {
    mas.last = max;
    mas.index = max - size + 1;
  }
  return 0;
}

// lib/maple_tree.c: mas_empty_area() (Linux 6.18)
// The lowest range of `size` NULL indices within [min, max]; 0 with
// mas.index/mas.last set to it, or -EBUSY / -EINVAL.
export function mas_empty_area<T>(mas: MaState<T>, min: number, max: number, size: number): number {
  if (min > max) return -EINVAL;
  if (size === 0 || max - min < size - 1) return -EINVAL;

  if (mas_is_start(mas)) mas_start(mas);
  else if (mas.offset >= 2) mas.offset -= 2;
  else if (!mas_skip_node(mas)) return -EBUSY;

  /* Empty set */
  if (mas_is_none(mas) || mas_is_ptr(mas)) return mas_sparse_area(mas, min, max, size, true);

  /* The start of the window can only be within these values */
  mas.index = min;
  mas.last = max;
  mas_awalk(mas, size);
  if (mas_is_err(mas)) return mas.err;

  const offset = mas.offset;
  if (offset === MAPLE_NODE_SLOTS) return -EBUSY;
  const node = mas_mn(mas);
  const start = mas_safe_min(mas, node.pivots, offset);
  if (mas.index < start) mas.index = start;
  mas.last = mas.index + size - 1;
  mas.end = node.end;
  return 0;
}

// lib/maple_tree.c: mas_empty_area_rev() (Linux 6.18)
// The highest range of `size` NULL indices within [min, max].
export function mas_empty_area_rev<T>(
  mas: MaState<T>,
  min: number,
  max: number,
  size: number,
): number {
  let last = mas.node;
  if (min > max) return -EINVAL;
  if (size === 0 || max - min < size - 1) return -EINVAL;

  if (mas_is_start(mas)) mas_start(mas);
  else if (mas.offset < 2 && !mas_rewind_node(mas)) return -EBUSY;

  if (mas_is_none(mas) || mas_is_ptr(mas)) return mas_sparse_area(mas, min, max, size, false);
  else if (mas.offset >= 2) mas.offset -= 2;
  else mas.offset = mas_data_end(mas);

  /* The start of the window can only be within these values. */
  mas.index = min;
  mas.last = max;
  const gap = { min, max };
  while (!mas_rev_awalk(mas, size, gap)) {
    // On an error the kernel's mas.node becomes an error pointer, which is
    // never `last`; the next mas_rev_awalk() returns at once.
    if (mas_is_err(mas)) continue;
    if (last === mas.node) {
      if (!mas_rewind_node(mas)) return -EBUSY;
    } else {
      last = mas.node;
    }
  }
  if (mas_is_err(mas)) return mas.err;
  if (mas.offset === MAPLE_NODE_SLOTS) return -EBUSY;

  /* Trim the upper limit to the max. */
  if (gap.max < mas.last) mas.last = gap.max;
  mas.index = mas.last - size + 1;
  mas.end = mas_data_end(mas);
  return 0;
}
