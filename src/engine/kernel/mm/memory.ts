// SPDX-License-Identifier: GPL-2.0-or-later
// mm/memory.c (Linux 6.18): page faults as far as they change VMAs — the
// anonymous and COW paths that call anon_vma_prepare() — reached from
// arch/x86/mm/fault.c: do_user_addr_fault(), which the model keeps here
// with them (it is the only arch fault code the model needs; a stack that
// grows goes to mm/vma.c: expand_downwards()).
//
// Pages themselves are not modelled: a fault only decides whether the access
// is allowed (SIGSEGV, SIGBUS) and whether the VMA needs an anon_vma.
import { type Ctx, range } from './ctx';
import type { KernelEventLog } from '../trace/kernel-emit';
import { guardsFirst } from './guards';
import { vmaFileSize } from './mm-snapshot';
import { PAGE_SIZE, PHYS_PFN, PMD_SIZE, type Vma, hex, vma_is_anonymous } from './mm_types';
import { anon_vma_prepare } from './rmap';
import {
  VM_ACCESS_FLAGS,
  VM_GROWSDOWN,
  VM_HUGEPAGE,
  VM_NOHUGEPAGE,
  VM_SHARED,
  VM_WRITE,
} from './vm-flags';
import { expand_downwards } from './vma';
import { find_vma } from './vma_iter';

export type FaultResult = 'ok' | 'SIGSEGV' | 'SIGBUS';

/** arch/x86/include/asm/mmu_context.h: arch_vma_access_permitted() — the pkey check. */
export function pkeyAllows(vma: Vma): boolean {
  // The only key the model hands out is the execute-only one (reads and writes denied).
  return vma.pkey === 0;
}

/** arch/x86/mm/fault.c: access_error() (Linux 6.18), inverted. */
function accessOk(vma: Vma, write: boolean): boolean {
  if (!pkeyAllows(vma)) return false;
  if (write) return (vma.vm_flags & VM_WRITE) !== 0;
  return (vma.vm_flags & VM_ACCESS_FLAGS) !== 0;
}

/**
 * mm/huge_memory.c: thp_vma_allowable_order() for an anonymous VMA and the
 * PMD order (Linux 6.18): the sysfs setting, VM_HUGEPAGE / VM_NOHUGEPAGE.
 */
function thp_vma_allowable_order(ctx: Ctx, vma: Vma): boolean {
  if (vma.vm_flags & VM_NOHUGEPAGE) return false;
  const thp = ctx.cur.kernel.thp;
  return thp === 'always' || (thp === 'madvise' && (vma.vm_flags & VM_HUGEPAGE) !== 0);
}

/**
 * Whether a read fault somewhere in [start, end) of `vma` allocates memory
 * and so needs an anon_vma. mm/memory.c: do_anonymous_page() maps the shared
 * zero page for a read of private anonymous memory, unless the kernel
 * forbids it (mm_forbids_zeropage(); `pvm_no_zero_page=1`), when it
 * allocates a page exactly as a write does. And where THP applies to a whole
 * aligned 2 MiB block (thp_vma_suitable_order()), __handle_mm_fault() takes
 * do_huge_pmd_anonymous_page(), which calls vmf_anon_prepare() before it
 * even looks for the huge zero page.
 */
export function readNeedsAnonVma(ctx: Ctx, vma: Vma, start: number, end: number): boolean {
  if (!vma_is_anonymous(vma) || vma.vm_flags & VM_SHARED || end <= start) return false;
  if (!ctx.cur.kernel.zeroPage) return true;
  if (!thp_vma_allowable_order(ctx, vma)) return false;
  const first = Math.max(
    start - (start % PMD_SIZE),
    vma.vm_start + ((PMD_SIZE - (vma.vm_start % PMD_SIZE)) % PMD_SIZE),
  );
  return first < end && first + PMD_SIZE <= vma.vm_end;
}

/** Model helper: the first page of [start, end) that faults with SIGBUS (past the end of the file), or -1. */
export function firstPastEof(ctx: Ctx, vma: Vma, start: number, end: number): number {
  const size = vmaFileSize(ctx.cur, vma);
  if (size === Infinity) return -1;
  const eofPage = Math.ceil(size / PAGE_SIZE);
  const firstPgoff = vma.vm_pgoff + PHYS_PFN(start - vma.vm_start);
  if (firstPgoff >= eofPage) return start;
  const at = vma.vm_start + (eofPage - vma.vm_pgoff) * PAGE_SIZE;
  return at < end ? at : -1;
}

/** Model helper: the first guard page in [start, end), or -1. */
export function firstGuard(ctx: Ctx, start: number, end: number): number {
  const first = Math.ceil(start / PAGE_SIZE);
  const page = guardsFirst(ctx.cur.guards, first, Math.ceil(end / PAGE_SIZE));
  return page < 0 ? -1 : page * PAGE_SIZE;
}

/**
 * arch/x86/mm/fault.c: do_user_addr_fault() and handle_mm_fault() for every
 * page of [start, end), in order, until one faults: `@touch` writes,
 * `@read` reads.
 */
export function touchRange(ctx: Ctx, start: number, end: number, write: boolean): FaultResult {
  let addr = start - (start % PAGE_SIZE);
  while (addr < end) {
    let vma = find_vma(ctx, addr);
    if (vma === null || (vma.vm_start > addr && !(vma.vm_flags & VM_GROWSDOWN))) {
      if (ctx.events !== null) ctx.events.accessRefused(addr, write);
      return segv(ctx, addr, 'no VMA covers it');
    }
    if (vma.vm_start > addr) {
      // lock_mm_and_find_vma(): only a stack may grow to take the address.
      const g = expand_downwards(ctx, vma, addr);
      if (!g.ok) {
        if (ctx.events !== null) ctx.events.accessRefused(addr, write);
        return segv(ctx, addr, 'the stack cannot grow here');
      }
      vma = g.value;
    }
    if (!accessOk(vma, write)) {
      if (ctx.events !== null)
        ctx.events.accessRefused(addr, write, !(vma.vm_flags & VM_ACCESS_FLAGS));
      const what = write ? 'writing' : 'reading';
      return segv(ctx, addr, `vma${vma.id} does not allow ${what} (access_error)`);
    }
    const chunkEnd = Math.min(end, vma.vm_end);
    const guard = firstGuard(ctx, addr, chunkEnd);
    const eof = firstPastEof(ctx, vma, addr, chunkEnd);
    let stop = chunkEnd;
    let sig: FaultResult = 'ok';
    if (guard >= 0) {
      stop = guard;
      sig = 'SIGSEGV';
    }
    if (eof >= 0 && eof < stop) {
      stop = eof;
      sig = 'SIGBUS';
    }
    // arch/x86/mm/fault.c: the first page's fault comes before the anon_vma
    // it may need; the others follow.
    if (ctx.events !== null && stop > addr) pageAccess(ctx, vma, addr, write);
    if ((stop > addr || sig === 'SIGBUS') && write && !(vma.vm_flags & VM_SHARED)) {
      // do_anonymous_page() / do_cow_fault(): the first written page needs an
      // anon_vma. do_cow_fault() prepares it before reading the file page, so
      // a write past the end of the file still attaches one, then SIGBUS.
      const a = anon_vma_prepare(ctx, vma);
      if (!a.ok) return segv(ctx, addr, 'out of memory (VM_FAULT_OOM)');
    } else if (!write && readNeedsAnonVma(ctx, vma, addr, stop)) {
      const a = anon_vma_prepare(ctx, vma);
      if (!a.ok) return segv(ctx, addr, 'out of memory (VM_FAULT_OOM)');
    }
    if (ctx.events !== null) {
      for (let a = addr + PAGE_SIZE; a < stop; a += PAGE_SIZE) pageAccess(ctx, vma, a, write);
      if (sig !== 'ok') ctx.events.accessRefused(stop, write);
    }
    if (sig !== 'ok') {
      ctx.step(
        'handle_mm_fault',
        'mm/memory.c',
        sig === 'SIGBUS'
          ? `SIGBUS: ${hex(stop)} lies past the end of the file`
          : `SIGSEGV: ${hex(stop)} is a guard page`,
      );
      return sig;
    }
    addr = chunkEnd;
  }
  ctx.step(
    'handle_mm_fault',
    'mm/memory.c',
    () => `${write ? 'wrote' : 'read'} ${range(start, end)}`,
  );
  return 'ok';
}

/**
 * Model helper (event log only): one page accessed. mm/memory.c:
 * do_read_fault() (Linux 6.18) maps the file pages around a read fault
 * (do_fault_around(): 16 pages, within the VMA, its page table and the
 * file), so reads of those pages do not fault.
 */
function pageAccess(ctx: Ctx, vma: Vma, addr: number, write: boolean): void {
  const log = ctx.events as KernelEventLog;
  const faulted = log.access(addr, write);
  // do_anonymous_page(): without the zero page, a read fault maps a new page,
  // writable when the VMA is.
  const anonPrivate = vma_is_anonymous(vma) && !(vma.vm_flags & VM_SHARED);
  if (faulted && !write && anonPrivate && !ctx.cur.kernel.zeroPage && vma.vm_flags & VM_WRITE)
    log.populate(addr, addr + PAGE_SIZE, true);
  // Shared memory without write notification (shmem has no page_mkwrite):
  // vm_page_prot is writable, so a read fault maps the page writable.
  if (faulted && !write && sharedWritable(vma)) log.populate(addr, addr + PAGE_SIZE, true);
  if (!faulted || write || vma.vm_ops !== 'file') return;
  // The block starts at the aligned 16 pages or the VMA's start, whichever
  // is later, and holds 16 pages from there, within the VMA and the page table.
  const block = 16 * PAGE_SIZE;
  const from = Math.max(vma.vm_start, addr - (addr % block));
  const table = addr - (addr % PMD_SIZE) + PMD_SIZE;
  let to = Math.min(vma.vm_end, from + block, table);
  const eof = firstPastEof(ctx, vma, from, to);
  if (eof >= 0) to = Math.max(from, eof);
  log.populate(from, to, false);
}

/** Model helper (event log only): a shared writable shmem mapping, whose PTEs are made writable. */
export function sharedWritable(vma: Vma): boolean {
  return (
    vma.vm_ops === 'shmem' && (vma.vm_flags & (VM_SHARED | VM_WRITE)) === (VM_SHARED | VM_WRITE)
  );
}

/** Model helper: the fault ends in SIGSEGV (bad_area() in arch/x86/mm/fault.c). */
function segv(ctx: Ctx, addr: number, why: string): FaultResult {
  ctx.step('do_user_addr_fault', 'arch/x86/mm/fault.c', () => `SIGSEGV: ${hex(addr)}: ${why}`);
  return 'SIGSEGV';
}
