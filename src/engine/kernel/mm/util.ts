// SPDX-License-Identifier: GPL-2.0-or-later
// mm/util.c (Linux 6.18): the overcommit check every new charge of private
// writable memory goes through.
import type { Ctx } from './ctx';
import { type MmState, vmaList } from './mm-snapshot';
import { PAGE_SIZE } from './mm_types';
import { VM_ACCOUNT, VM_NORESERVE } from './vm-flags';
import { type Result, ok } from '../errno';

/**
 * Model helper: this process's share of vm_committed_as: its accounted VMAs and the shmem
 * objects behind its shared anonymous mappings. Only mode 2 needs it (the
 * rest of the system's commitments come from the profile).
 */
function committedByThisProcess(ctx: Ctx): number {
  const mm = ctx.mm;
  const cached = committedCache.get(mm);
  if (cached !== undefined) return cached;
  let pages = 0;
  const shmem = new Set<number>();
  for (const v of vmaList(mm)) {
    if (v.vm_flags & VM_ACCOUNT) pages += (v.vm_end - v.vm_start) / PAGE_SIZE;
    else if (v.vm_ops === 'shmem' && v.vm_file !== null && !(v.vm_flags & VM_NORESERVE)) {
      shmem.add(v.vm_file);
    }
  }
  for (const id of shmem) pages += Math.ceil((mm.fileSizes.get(id) ?? 0) / PAGE_SIZE);
  committedCache.set(mm, pages);
  return pages;
}

/** Per snapshot: dup_mmap() checks a charge for every VMA against the same address space. */
const committedCache = new WeakMap<MmState, number>();

/** mm/util.c: vm_commit_limit() (Linux 6.18). */
function vm_commit_limit(ctx: Ctx): number {
  const o = ctx.cur.kernel.overcommit;
  const allowed = o.kbytes
    ? Math.floor(o.kbytes / (PAGE_SIZE / 1024))
    : Math.floor((o.ramPages * o.ratio) / 100);
  return allowed + o.swapPages;
}

/**
 * mm/util.c: __vm_enough_memory() (Linux 6.18), reached through
 * security_vm_enough_memory_mm(): may `pages` more be committed? Mode 1
 * always says yes; mode 0 refuses only a single charge larger than RAM plus
 * swap; mode 2 weighs everything committed against the commit limit.
 */
export function security_vm_enough_memory_mm(
  ctx: Ctx,
  pages: number,
  /** The caller that charges them, named in the refusal. */
  fn: string,
  /** Pages this operation has already charged (dup_mmap() charges VMA by VMA). */
  pending = 0,
): Result<void> {
  const k = ctx.cur.kernel;
  const o = k.overcommit;
  if (o.memory === 1) return ok(undefined);
  let enough: boolean;
  if (o.memory === 0) {
    enough = pages <= o.ramPages + o.swapPages;
  } else {
    let allowed = vm_commit_limit(ctx);
    // Reserve some for root.
    if (!k.capSysAdmin) allowed -= Math.floor(o.adminReserveKbytes / (PAGE_SIZE / 1024));
    // Don't let a single process grow so big a user can't recover.
    allowed -= Math.min(
      Math.floor(ctx.cur.total_vm / 32),
      Math.floor(o.userReserveKbytes / (PAGE_SIZE / 1024)),
    );
    enough = o.committedPages + committedByThisProcess(ctx) + pending + pages < allowed;
  }
  if (!enough) {
    const why = () => `${fn} cannot commit ${pages} more pages (vm.overcommit_memory=${o.memory})`;
    return ctx.refuse('__vm_enough_memory', 'mm/util.c', 'ENOMEM', why);
  }
  return ok(undefined);
}

/** Model helper for do_mmap(): MAP_NORESERVE is honoured only where overcommit is allowed. */
export function noreserveHonoured(ctx: Ctx): boolean {
  return ctx.cur.kernel.overcommit.memory !== 2;
}
