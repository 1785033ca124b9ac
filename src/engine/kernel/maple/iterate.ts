// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Moving a state to the next or previous entry (mas_next(), mas_prev(),
 * mas_find(), mas_find_rev() and their _range forms), across leaves by way of
 * the common ancestor. There are no dead nodes here (a version never
 * changes), so the kernel's re-walks after a concurrent write never happen.
 */
import { type MapleNode, ma_is_leaf, mte_child, mte_entry } from './node';
import {
  type MaState,
  ma_active,
  ma_none,
  ma_overflow,
  ma_pause,
  ma_root,
  ma_start,
  ma_underflow,
  mas_ascend,
  mas_data_end,
  mas_is_active,
  mas_is_none,
  mas_is_ptr,
  mas_is_start,
  mas_mn,
  mas_safe_min,
  mas_safe_pivot,
  mte_is_root,
} from './state';
import { ULONG_MAX } from './u64';
import { mas_walk } from './walk';

// lib/maple_tree.c: mas_next_node() (Linux 6.18)
// Move to the next node at the same level; overflow past `max` or the end.
function mas_next_node<T>(mas: MaState<T>, start: MapleNode<T>, max: number): void {
  let node = start;
  if (mas.max >= max) {
    mas.status = ma_overflow;
    return;
  }
  const min = mas.max + 1;
  let level = 0;
  let node_end: number;
  do {
    if (mte_is_root(mas, node)) {
      mas.status = ma_overflow;
      return;
    }
    /* Walk up. */
    mas_ascend(mas);
    level++;
    node = mas_mn(mas);
    node_end = node.end;
  } while (mas.offset === node_end);

  mas.offset++;
  let enode = mte_child(node, mas.offset);
  if (level > 1) mas.offset = 0;
  while (level > 1) {
    level--;
    mas.node = enode;
    node = enode;
    enode = mte_child(node, 0);
  }
  mas.max = mas_safe_pivot(mas, node.pivots, mas.offset, node.type);
  mas.end = enode.end;
  mas.node = enode;
  mas.min = min;
}

// lib/maple_tree.c: mas_next_slot() (Linux 6.18)
// The entry in the next slot (NULL ranges only when `empty`), up to a range
// starting at `max`.
function mas_next_slot<T>(mas: MaState<T>, max: number, empty: boolean): T | null {
  let node = mas_mn(mas);
  let pivots = node.pivots;

  if (mas.max >= max) {
    const pivot = mas.offset < mas.end ? pivots[mas.offset] : mas.max;
    if (pivot >= max) {
      /* Was at the limit, next will extend beyond */
      mas.status = ma_overflow;
      return null;
    }
  }

  let again = false;
  if (mas.offset < mas.end) {
    mas.index = pivots[mas.offset] + 1;
    again = true;
  } else {
    if (mas.last >= max) {
      mas.status = ma_overflow;
      return null;
    }
    mas_next_node(mas, node, max);
    if (mas.status === ma_overflow) throw new Error('BUG: mas_next_slot() overflow');
    mas.offset = 0;
    mas.index = mas.min;
    node = mas_mn(mas);
    pivots = node.pivots;
    mas.last = pivots[0];
  }

  for (;;) {
    if (again) {
      mas.offset++;
      if (mas.offset < mas.end) mas.last = pivots[mas.offset];
      else mas.last = mas.max;
    }
    const entry = mte_entry(node, mas.offset);
    if (entry !== null) return entry;
    if (empty) return null;
    if (mas.last >= max) {
      mas.status = ma_overflow;
      return null;
    }
    mas.index = mas.last + 1;
    again = true;
  }
}

// lib/maple_tree.c: mas_prev_node() (Linux 6.18)
// Move to the previous node at the same level; underflow below `min`.
function mas_prev_node<T>(mas: MaState<T>, min: number): void {
  let node = mas_mn(mas);
  if (!mas.min) {
    mas.status = ma_underflow;
    return;
  }
  const max = mas.min - 1;
  if (max < min) {
    mas.status = ma_underflow;
    return;
  }
  let level = 0;
  let offset: number;
  do {
    if (mte_is_root(mas, node)) {
      mas.status = ma_underflow;
      return;
    }
    /* Walk up. */
    mas_ascend(mas);
    offset = mas.offset;
    level++;
    node = mas_mn(mas);
  } while (!offset);

  offset--;
  while (level > 1) {
    level--;
    mas.node = mte_child(node, offset);
    node = mas.node;
    offset = node.end;
  }
  mas.node = mte_child(node, offset);
  if (offset) mas.min = node.pivots[offset - 1] + 1;
  mas.max = max;
  mas.offset = mas_data_end(mas);
  mas.end = mas.offset;
}

// lib/maple_tree.c: mas_prev_slot() (Linux 6.18)
function mas_prev_slot<T>(mas: MaState<T>, min: number, empty: boolean): T | null {
  let node = mas_mn(mas);
  let pivots = node.pivots;

  if (mas.min <= min) {
    const pivot = mas_safe_min(mas, pivots, mas.offset);
    if (pivot <= min) {
      mas.status = ma_underflow;
      return null;
    }
  }

  for (;;) {
    if (mas.offset) {
      mas.offset--;
      mas.last = mas.index - 1;
      mas.index = mas_safe_min(mas, pivots, mas.offset);
    } else {
      if (mas.index <= min) {
        mas.status = ma_underflow;
        return null;
      }
      mas_prev_node(mas, min);
      if (mas.status === ma_underflow) throw new Error('BUG: mas_prev_slot() underflow');
      mas.last = mas.max;
      node = mas_mn(mas);
      pivots = node.pivots;
      mas.index = pivots[mas.offset - 1] + 1;
    }
    const entry = mte_entry(node, mas.offset);
    if (entry !== null) return entry;
    if (empty) return null;
    if (mas.index <= min) {
      mas.status = ma_underflow;
      return null;
    }
  }
}

// lib/maple_tree.c: mas_next_setup() (Linux 6.18)
// Returns true when `out.entry` is already the answer.
function mas_next_setup<T>(mas: MaState<T>, max: number, out: { entry: T | null }): boolean {
  const was_none = mas_is_none(mas);
  if (mas.last >= max) {
    mas.status = ma_overflow;
    return true;
  }
  switch (mas.status) {
    case ma_active:
      return false;
    case ma_none:
    case ma_pause:
      mas.status = ma_start;
      mas_walk(mas);
      break;
    case ma_start:
      mas_walk(mas);
      break;
    case ma_overflow:
      /* Overflowed before, but the max changed */
      mas.status = ma_active;
      break;
    case ma_underflow:
      /* The user expects the mas to be one before where it is */
      mas.status = ma_active;
      out.entry = mas_walk(mas);
      if (out.entry !== null) return true;
      break;
    case ma_root:
      break;
    default:
      return true;
  }
  if (mas_is_active(mas)) return false;
  if (mas_is_ptr(mas)) {
    out.entry = null;
    if (was_none && mas.index === 0) {
      mas.index = mas.last = 0;
      return true;
    }
    mas.index = 1;
    mas.last = ULONG_MAX;
    mas.status = ma_none;
    return true;
  }
  return mas_is_none(mas);
}

/**
 * Where the *_setup() functions leave an entry they found (the kernel's
 * `void **entry` argument), shared by every search: read at once, and an
 * object per search was garbage.
 */
const setupOut: { entry: unknown } = { entry: null };

// lib/maple_tree.c: mas_next() (Linux 6.18)
// The next entry after mas.index, up to a range starting at max.
export function mas_next<T>(mas: MaState<T>, max: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_next_setup(mas, max, out)) return out.entry;
  return mas_next_slot(mas, max, false);
}

// lib/maple_tree.c: mas_next_range() (Linux 6.18)
// The next range, NULL or not.
export function mas_next_range<T>(mas: MaState<T>, max: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_next_setup(mas, max, out)) return out.entry;
  return mas_next_slot(mas, max, true);
}

// lib/maple_tree.c: mas_prev_setup() (Linux 6.18)
function mas_prev_setup<T>(mas: MaState<T>, min: number, out: { entry: T | null }): boolean {
  if (mas.index <= min) {
    mas.status = ma_underflow;
    return true;
  }
  switch (mas.status) {
    case ma_active:
      return false;
    case ma_start:
      break;
    case ma_none:
    case ma_pause:
      mas.status = ma_start;
      break;
    case ma_underflow:
      /* underflowed before but the min changed */
      mas.status = ma_active;
      break;
    case ma_overflow:
      /* User expects mas to be one after where it is */
      mas.status = ma_active;
      out.entry = mas_walk(mas);
      if (out.entry !== null) return true;
      break;
    case ma_root:
      break;
    default:
      return true;
  }
  if (mas_is_start(mas)) mas_walk(mas);
  if (mas_is_ptr(mas)) {
    if (!mas.index) {
      mas.status = ma_none;
      return true;
    }
    mas.index = mas.last = 0;
    out.entry = mas.tree.rootEntry;
    return true;
  }
  if (mas_is_none(mas)) {
    if (mas.index) {
      /* Walked to out-of-range pointer? */
      mas.index = mas.last = 0;
      mas.status = ma_root;
      out.entry = mas.tree.rootEntry;
      return true;
    }
    return true;
  }
  return false;
}

// lib/maple_tree.c: mas_prev() (Linux 6.18)
// The previous entry before mas.index, down to min.
export function mas_prev<T>(mas: MaState<T>, min: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_prev_setup(mas, min, out)) return out.entry;
  return mas_prev_slot(mas, min, false);
}

// lib/maple_tree.c: mas_prev_range() (Linux 6.18)
export function mas_prev_range<T>(mas: MaState<T>, min: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_prev_setup(mas, min, out)) return out.entry;
  return mas_prev_slot(mas, min, true);
}

// lib/maple_tree.c: mas_find_setup() (Linux 6.18)
function mas_find_setup<T>(mas: MaState<T>, max: number, out: { entry: T | null }): boolean {
  switch (mas.status) {
    case ma_active:
      return mas.last >= max;
    case ma_start:
      break;
    case ma_pause:
      if (mas.last >= max) return true;
      mas.index = ++mas.last;
      mas.status = ma_start;
      break;
    case ma_none:
      if (mas.last >= max) return true;
      mas.index = mas.last;
      mas.status = ma_start;
      break;
    case ma_underflow:
      /* mas is pointing at entry before unable to go lower */
      if (mas.index >= max) {
        mas.status = ma_overflow;
        return true;
      }
      mas.status = ma_active;
      out.entry = mas_walk(mas);
      if (out.entry !== null) return true;
      break;
    case ma_overflow:
      if (mas.last >= max) return true;
      mas.status = ma_active;
      out.entry = mas_walk(mas);
      if (out.entry !== null) return true;
      break;
    case ma_root:
      break;
    default:
      return true;
  }

  if (mas_is_start(mas)) {
    /* First run or continue */
    if (mas.index > max) return true;
    out.entry = mas_walk(mas);
    if (out.entry !== null) return true;
  }
  if (mas_is_ptr(mas)) {
    mas.status = ma_none;
    mas.index = 1;
    mas.last = ULONG_MAX;
    return true;
  }
  if (mas_is_none(mas)) return true;
  if (mas.index === max) return true;
  return false;
}

// lib/maple_tree.c: mas_find() (Linux 6.18)
// First call: the entry at or after mas.index up to max. Then: the next one.
export function mas_find<T>(mas: MaState<T>, max: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_find_setup(mas, max, out)) return out.entry;
  const entry = mas_next_slot(mas, max, false);
  /* Ignore overflow */
  mas.status = ma_active;
  return entry;
}

// lib/maple_tree.c: mas_find_range() (Linux 6.18)
export function mas_find_range<T>(mas: MaState<T>, max: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_find_setup(mas, max, out)) return out.entry;
  return mas_next_slot(mas, max, true);
}

// lib/maple_tree.c: mas_find_rev_setup() (Linux 6.18)
function mas_find_rev_setup<T>(mas: MaState<T>, min: number, out: { entry: T | null }): boolean {
  switch (mas.status) {
    case ma_active:
      return mas.index < min;
    case ma_start:
      break;
    case ma_pause:
      if (mas.index <= min) {
        mas.status = ma_underflow;
        return true;
      }
      mas.last = --mas.index;
      mas.status = ma_start;
      break;
    case ma_none:
      if (mas.index <= min) {
        mas.status = ma_none;
        return true;
      }
      mas.last = mas.index;
      mas.status = ma_start;
      break;
    case ma_overflow /* user expects the mas to be one after where it is */:
      if (mas.index <= min) {
        mas.status = ma_underflow;
        return true;
      }
      mas.status = ma_active;
      break;
    case ma_underflow /* user expects the mas to be one before where it is */:
      if (mas.index <= min) return true;
      mas.status = ma_active;
      break;
    case ma_root:
      break;
    default:
      return true;
  }

  if (mas_is_start(mas)) {
    /* First run or continue */
    if (mas.index < min) return true;
    out.entry = mas_walk(mas);
    if (out.entry !== null) return true;
  }
  if (mas_is_ptr(mas)) {
    mas.status = ma_none;
    return true;
  }
  if (mas_is_none(mas)) {
    /* Walked to the location, and there was nothing so the previous location is 0. */
    mas.last = mas.index = 0;
    mas.status = ma_root;
    out.entry = mas.tree.rootEntry;
    return true;
  }
  return mas.index < min;
}

// lib/maple_tree.c: mas_find_rev() (Linux 6.18)
// First call: the entry at or below mas.index down to min. Then: the one before.
export function mas_find_rev<T>(mas: MaState<T>, min: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_find_rev_setup(mas, min, out)) return out.entry;
  return mas_prev_slot(mas, min, false);
}

// lib/maple_tree.c: mas_find_range_rev() (Linux 6.18)
export function mas_find_range_rev<T>(mas: MaState<T>, min: number): T | null {
  const out = setupOut as { entry: T | null };
  out.entry = null;
  if (mas_find_rev_setup(mas, min, out)) return out.entry;
  return mas_prev_slot(mas, min, true);
}

/** Every node of the tree, parents before children, children in slot order. */
export function forEachNode<T>(
  root: MapleNode<T> | null,
  visit: (node: MapleNode<T>) => void,
): void {
  if (root === null) return;
  visit(root);
  if (!ma_is_leaf(root.type))
    for (let i = 0; i <= root.end; i++) forEachNode(mte_child(root, i), visit);
}

/** Every leaf slot in index order: entry (or null) and its range. */
export function* mtRanges<T>(root: MapleNode<T> | null): Generator<{
  entry: T | null;
  first: number;
  last: number;
}> {
  if (root === null) return;
  const stack: MapleNode<T>[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as MapleNode<T>;
    if (!ma_is_leaf(node.type)) {
      for (let i = node.end; i >= 0; i--) stack.push(mte_child(node, i));
      continue;
    }
    let first = node.min;
    for (let i = 0; i <= node.end; i++) {
      yield { entry: mte_entry(node, i), first, last: node.pivots[i] };
      first = node.pivots[i] + 1;
    }
  }
}
