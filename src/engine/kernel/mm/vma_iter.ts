// SPDX-License-Identifier: GPL-2.0-or-later
// The VMA iterator and lookups over mm->mm_mt, with the kernel's names:
// mm/vma.h (vma_iter_*), include/linux/mm.h (vma_lookup(), vma_prev(),
// for_each_vma_range()) and mm/mmap.c (find_vma(), find_vma_intersection()).
//
// The kernel keeps a `struct vma_iterator` positioned in the tree between
// calls; the model has no iterator state: each function takes the address the
// kernel's iterator would be at. Every call site in the model reads the tree
// through here, so a reader finds the kernel's name at each lookup.
import { mas_find, mas_find_rev } from '../maple/iterate';
import { MA_STATE, masReinit } from '../maple/state';
import { MTREE_INIT } from '../maple/tree';
import { mtree_load } from '../maple/walk';
import { ULONG_MAX } from '../maple/u64';
import type { Ctx } from './ctx';
import type { Vma } from './mm_types';

/** No VMA lies above this (the maple tree's index limit, far above TASK_SIZE): bigger values are never looked up. */
const USER_LIMIT = 2 ** 51;

/** include/linux/mm.h: vma_lookup() — the VMA containing addr, or null. */
export function vma_lookup(ctx: Ctx, addr: number): Vma | null {
  if (addr >= USER_LIMIT) return null;
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
  return mas_find(masReinit(lookup, ctx.cur.mt, addr, addr), ULONG_MAX);
}

/**
 * mm/mmap.c: find_vma_intersection() (Linux 6.18) — the first VMA meeting
 * [start, end); what mm/vma.h's vma_find() gives an iterator at start.
 */
export function find_vma_intersection(ctx: Ctx, start: number, end: number): Vma | null {
  if (start >= end) return null;
  const v = find_vma(ctx, start);
  return v !== null && v.vm_start < end ? v : null;
}

/**
 * include/linux/mm.h: vma_prev() of an iterator at addr — the nearest VMA
 * below addr. Every caller passes an address no VMA straddles (a VMA's start,
 * the end of a gap), where the kernel's iterator stands between two ranges.
 */
export function vma_prev(ctx: Ctx, addr: number): Vma | null {
  if (addr === 0) return null;
  if (addr > USER_LIMIT) addr = USER_LIMIT;
  return mas_find_rev(masReinit(lookup, ctx.cur.mt, addr - 1, addr - 1), 0);
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
