// SPDX-License-Identifier: GPL-2.0-or-later
// The VMA iterator and lookups over mm->mm_mt, with the kernel's names:
// mm/vma.h (vma_iter_*), include/linux/mm.h (vma_lookup(), vma_prev(),
// for_each_vma_range()) and mm/mmap.c (find_vma(), find_vma_intersection()).
//
// The kernel keeps a `struct vma_iterator` positioned in the tree between
// calls; the model's callers keep none: each function takes the address the
// kernel's iterator would be at, and the leaf the last lookup ended in stands
// in for the iterator's position (below), only to spare walks. Every call
// site in the model reads the tree through here, so a reader finds the
// kernel's name at each lookup.
import { mas_find, mas_find_rev } from '../maple/iterate';
import { type MapleNode, ma_is_leaf } from '../maple/node';
import { MA_STATE, masReinit } from '../maple/state';
import { type MapleTree, MTREE_INIT } from '../maple/tree';
import { mtree_load } from '../maple/walk';
import { ULONG_MAX } from '../maple/u64';
import type { Ctx } from './ctx';
import type { Vma } from './mm_types';

/** No VMA lies above this (the maple tree's index limit, far above TASK_SIZE): bigger values are never looked up. */
const USER_LIMIT = 2 ** 51;

/**
 * The leaf the last find_vma() or vma_prev() ended in, and the version of
 * the tree it is in: the model's stand-in for the position the kernel's
 * vma_iterator keeps between the lookups of one operation. A lookup in the
 * same version whose answer lies in that leaf reads it there instead of
 * walking down from the root again (half the lookups of the mm bench's
 * mix); every write makes a new version, so a write in between misses.
 */
let leafTree: MapleTree<Vma> | null = null;
let leaf: MapleNode<Vma> | null = null;

/** Remember the leaf `lookup` ended in, in version `mt`. */
function rememberLeaf(mt: MapleTree<Vma>): void {
  const node = lookup.node;
  if (node !== null && ma_is_leaf(node.type)) {
    leafTree = mt;
    leaf = node;
  } else {
    leafTree = leaf = null;
  }
}

/**
 * A store made version `mt`, rewriting `written` (mtWrittenLeaf(); null when
 * it was not a one-leaf store): the lookups next to what it wrote start from
 * that leaf, as the kernel's iterator stays where its store left it.
 */
export function rememberStoredLeaf(mt: MapleTree<Vma>, written: MapleNode<Vma> | null): void {
  if (written === null) return;
  leafTree = mt;
  leaf = written;
}

/**
 * The offset of the remembered leaf's slot holding `index` in version `mt`,
 * or -1 when that leaf is not in `mt` or does not cover `index`.
 */
function leafOffset(mt: MapleTree<Vma>, index: number): number {
  const node = leaf;
  if (mt !== leafTree || node === null || index < node.min || index > node.max) return -1;
  const pivots = node.pivots;
  let offset = 0;
  while (offset < node.end && pivots[offset] < index) offset++;
  return offset;
}

/** include/linux/mm.h: vma_lookup() — the VMA containing addr, or null. */
export function vma_lookup(ctx: Ctx, addr: number): Vma | null {
  if (addr >= USER_LIMIT) return null;
  const offset = leafOffset(ctx.cur.mt, addr);
  if (offset >= 0) return (leaf as MapleNode<Vma>).slots[offset] as Vma | null;
  return mtree_load(ctx.cur.mt, addr);
}

/**
 * The state every lookup here walks with, reset by each (masReinit()): the
 * kernel's MA_STATE() is on the stack; an object per lookup was a sixth of
 * what an untraced call allocated. No lookup calls out while it walks.
 */
const lookup = MA_STATE<Vma>(MTREE_INIT(), 0, 0);

/** mm/mmap.c: find_vma() (Linux 6.18) — the first VMA ending above addr. */
export function find_vma(ctx: Ctx, addr: number): Vma | null {
  if (addr >= USER_LIMIT) return null;
  const mt = ctx.cur.mt;
  const offset = leafOffset(mt, addr);
  if (offset >= 0) {
    const node = leaf as MapleNode<Vma>;
    for (let i = offset; i <= node.end; i++)
      if (node.slots[i] !== null) return node.slots[i] as Vma;
  }
  const vma = mas_find(masReinit(lookup, mt, addr, addr), ULONG_MAX);
  rememberLeaf(mt);
  return vma;
}

/**
 * mm/mmap.c: find_vma_intersection() (Linux 6.18) — the first VMA meeting
 * [start, end); what mm/vma.h's vma_find() gives an iterator at start.
 * The kernel's is mt_find(&mm->mm_mt, &index, end_addr - 1): whether the
 * VMA found starts below end is read from the tree's range for it, never
 * from the VMA, which a caller checking for none (the next VMA of an
 * munmap, MAP_FIXED_NOREPLACE) then never loads.
 */
export function find_vma_intersection(ctx: Ctx, start: number, end: number): Vma | null {
  if (start >= end || start >= USER_LIMIT) return null;
  const mt = ctx.cur.mt;
  const offset = leafOffset(mt, start);
  if (offset >= 0) {
    const node = leaf as MapleNode<Vma>;
    for (let i = offset; i <= node.end; i++) {
      const vma = node.slots[i] as Vma | null;
      if (vma === null) continue;
      const first = i === 0 ? node.min : node.pivots[i - 1] + 1;
      return first < end ? vma : null;
    }
  }
  const vma = mas_find(masReinit(lookup, mt, start, start), ULONG_MAX);
  rememberLeaf(mt);
  return vma !== null && lookup.index < end ? vma : null;
}

/**
 * include/linux/mm.h: vma_prev() of an iterator at addr — the nearest VMA
 * below addr. Every caller passes an address no VMA straddles (a VMA's start,
 * the end of a gap), where the kernel's iterator stands between two ranges.
 */
export function vma_prev(ctx: Ctx, addr: number): Vma | null {
  if (addr === 0) return null;
  if (addr > USER_LIMIT) addr = USER_LIMIT;
  const mt = ctx.cur.mt;
  const offset = leafOffset(mt, addr - 1);
  if (offset >= 0) {
    const node = leaf as MapleNode<Vma>;
    for (let i = offset; i >= 0; i--) if (node.slots[i] !== null) return node.slots[i] as Vma;
  }
  const vma = mas_find_rev(masReinit(lookup, mt, addr - 1, addr - 1), 0);
  rememberLeaf(mt);
  return vma;
}

/**
 * include/linux/mm.h: for_each_vma_range() — the VMAs meeting [start, end),
 * lowest first, as they are now (the loop body may change the tree).
 */
export function for_each_vma_range(ctx: Ctx, start: number, end: number): Vma[] {
  const out: Vma[] = [];
  let v = find_vma_intersection(ctx, start, end);
  while (v !== null) {
    out.push(v);
    v = find_vma_intersection(ctx, v.vm_end, end);
  }
  return out;
}

/**
 * mm/vma.h: vma_iter_store_new() (Linux 6.18) — a VMA new to the tree over
 * its range (after vm_area_alloc() or vm_area_dup()).
 */
export function vma_iter_store_new(ctx: Ctx, vma: Vma): void {
  ctx.mtStore(vma.vm_start, vma.vm_end, vma);
}

/**
 * mm/vma.h: vma_iter_store_overwrite() (Linux 6.18) — a VMA already in the
 * tree written over its (grown or moved) range.
 */
export function vma_iter_store_overwrite(ctx: Ctx, vma: Vma): void {
  ctx.mtStore(vma.vm_start, vma.vm_end, vma);
}

/** mm/vma.h: vma_iter_clear() — NULL over [start, end), with nodes preallocated. */
export function vma_iter_clear(ctx: Ctx, start: number, end: number): void {
  ctx.mtStore(start, end, null);
}

/**
 * mm/vma.h: vma_iter_clear_gfp() (Linux 6.18) — NULL over [start, end)
 * through mas_store_gfp(), which allocates as it goes and, unlike
 * mas_store_prealloc(), prints no ma_write of its own.
 */
export function vma_iter_clear_gfp(ctx: Ctx, start: number, end: number): void {
  ctx.mtStore(start, end, null, 'mas_store_gfp');
}

/** mm/vma.h: vma_iter_store_gfp() (Linux 6.18) — a new VMA through mas_store_gfp(). */
export function vma_iter_store_gfp(ctx: Ctx, vma: Vma): void {
  ctx.mtStore(vma.vm_start, vma.vm_end, vma, 'mas_store_gfp');
}

/**
 * mm/vma.h: vma_iter_bulk_store() (Linux 6.18) — dup_mmap() putting the
 * child's copy over the parent's VMA in the tree __mt_dup() copied, through
 * mas_store().
 */
export function vma_iter_bulk_store(ctx: Ctx, vma: Vma): void {
  ctx.mtStore(vma.vm_start, vma.vm_end, vma, 'mas_store');
}
