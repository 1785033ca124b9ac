// SPDX-License-Identifier: GPL-2.0-or-later
// mm/shmem.c (Linux 6.18): the shmem object behind a shared anonymous
// mapping (shmem_zero_setup()).
import type { Ctx } from './ctx';
import { type FileKey, vmaList } from './mm-snapshot';
import { PAGE_SIZE } from './mm_types';
import { security_vm_enough_memory_mm } from './util';
import { VM_NORESERVE } from './vm-flags';
import { type Result, ok } from '../errno';

/** The path /proc shows for a shared anonymous mapping's shmem object. */
export const SHMEM_ANON_PATH = '/dev/zero (deleted)';

/**
 * mm/shmem.c: shmem_zero_setup() (Linux 6.18) — a new shmem object of `size`
 * bytes for a shared anonymous mapping, charged whole (shmem_acct_size())
 * unless MAP_NORESERVE.
 */
export function shmem_zero_setup(
  ctx: Ctx,
  size: number,
  vm_flags: number,
): Result<{ vm_file: number; path: string }> {
  if (!(vm_flags & VM_NORESERVE)) {
    const charged = security_vm_enough_memory_mm(ctx, size / PAGE_SIZE, 'shmem_zero_setup');
    if (!charged.ok) return charged;
  }
  const vm_file = ctx.cur.nextFileId;
  const sizes = liveFileSizes(ctx);
  sizes.set(vm_file, size);
  ctx.set({ nextFileId: vm_file + 1, fileSizes: sizes });
  return ok({ vm_file, path: SHMEM_ANON_PATH });
}

/**
 * Model helper: fileSizes without the shmem objects no VMA maps any more (their last
 * mapping went, and with it the object): the map each step keeps is as big
 * as the live objects, not as the history of shared anonymous mmaps.
 */
function liveFileSizes(ctx: Ctx): Map<FileKey, number> {
  const live = new Set<number>();
  for (const v of vmaList(ctx.mm))
    if (v.vm_ops === 'shmem' && v.vm_file !== null) live.add(v.vm_file);
  const sizes = new Map<FileKey, number>();
  for (const [key, size] of ctx.cur.fileSizes) {
    if (typeof key === 'string' || live.has(key)) sizes.set(key, size);
  }
  return sizes;
}
