// SPDX-License-Identifier: GPL-2.0-or-later
// Page faults as far as they change VMAs: arch/x86/mm/fault.c:
// do_user_addr_fault(), mm/mmap.c: expand_downwards() for MAP_GROWSDOWN
// stacks, mm/memory.c: the anonymous/COW paths that call anon_vma_prepare(),
// and mm/gup.c: __mm_populate() for mlock/MAP_POPULATE.
//
// Pages themselves are not modelled: a fault only decides whether the access
// is allowed (SIGSEGV, SIGBUS) and whether the VMA needs an anon_vma.
import { err, ok, type Result } from '../errno';
import { range, type Ctx } from './ctx';
import { security_vm_enough_memory_mm } from './util';
import { STACK_GUARD_GAP, vmaFileSize } from './mm-snapshot';
import { guardsFirst } from './guards';
import {
  VM_ACCESS_FLAGS,
  VM_GROWSDOWN,
  VM_HUGEPAGE,
  VM_IO,
  VM_LOCKED,
  VM_LOCKONFAULT,
  VM_NOHUGEPAGE,
  VM_PFNMAP,
  VM_READ,
  VM_SHARED,
  VM_WRITE,
} from './vm-flags';
import { anon_vma_prepare, may_expand_vm, vm_stat_account } from './vma';
import { PHYS_PFN, PAGE_SIZE, PMD_SIZE, hex, vma_is_anonymous, type Vma } from './mm_types';
import { find_vma, find_vma_intersection, vma_prev, vma_iter_store_overwrite } from './vma_iter';

const MMAP_C = 'mm/mmap.c';

export type FaultResult = 'ok' | 'SIGSEGV' | 'SIGBUS';

/** arch/x86/include/asm/mmu_context.h: arch_vma_access_permitted() — the pkey check. */
function pkeyAllows(vma: Vma): boolean {
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
function readNeedsAnonVma(ctx: Ctx, vma: Vma, start: number, end: number): boolean {
  if (!vma_is_anonymous(vma) || vma.vm_flags & VM_SHARED || end <= start) return false;
  if (!ctx.cur.kernel.zeroPage) return true;
  if (!thp_vma_allowable_order(ctx, vma)) return false;
  const first = Math.max(
    start - (start % PMD_SIZE),
    vma.vm_start + ((PMD_SIZE - (vma.vm_start % PMD_SIZE)) % PMD_SIZE),
  );
  return first < end && first + PMD_SIZE <= vma.vm_end;
}

/** The first page of [start, end) that faults with SIGBUS (past the end of the file), or -1. */
function firstPastEof(ctx: Ctx, vma: Vma, start: number, end: number): number {
  const size = vmaFileSize(ctx.cur, vma);
  if (size === Infinity) return -1;
  const eofPage = Math.ceil(size / PAGE_SIZE);
  const firstPgoff = vma.vm_pgoff + PHYS_PFN(start - vma.vm_start);
  if (firstPgoff >= eofPage) return start;
  const at = vma.vm_start + (eofPage - vma.vm_pgoff) * PAGE_SIZE;
  return at < end ? at : -1;
}

/** The first guard page in [start, end), or -1. */
function firstGuard(ctx: Ctx, start: number, end: number): number {
  const first = Math.ceil(start / PAGE_SIZE);
  const page = guardsFirst(ctx.cur.guards, first, Math.ceil(end / PAGE_SIZE));
  return page < 0 ? -1 : page * PAGE_SIZE;
}

/**
 * mm/mmap.c: expand_downwards() (Linux 6.18) — a MAP_GROWSDOWN VMA grows down
 * to `address`, keeping stack_guard_gap from the VMA below.
 */
export function expand_downwards(ctx: Ctx, vma: Vma, address: number): Result<Vma> {
  address -= address % PAGE_SIZE;
  if (!(vma.vm_flags & VM_GROWSDOWN)) return err('EFAULT');
  if (address < 0x1000) return err('EPERM');
  const prev = vma_prev(ctx, vma.vm_start);
  if (
    prev !== null &&
    !(prev.vm_flags & VM_GROWSDOWN) &&
    prev.vm_flags & VM_ACCESS_FLAGS &&
    address - prev.vm_end < STACK_GUARD_GAP
  ) {
    ctx.step('expand_downwards', MMAP_C, () => `vma${prev.id} lies within the stack guard gap`, {
      errno: 'ENOMEM',
    });
    return err('ENOMEM');
  }
  if (!ctx.allocate('maple', 'vma_iter_prealloc')) return err('ENOMEM');
  const a = anon_vma_prepare(ctx, vma);
  if (!a.ok) return a;
  vma = a.value;
  if (address < vma.vm_start) {
    const size = vma.vm_end - address;
    const grow = PHYS_PFN(vma.vm_start - address);
    if (grow > vma.vm_pgoff) return err('ENOMEM');
    // acct_stack_growth()
    if (!may_expand_vm(ctx, vma.vm_flags, grow)) return err('ENOMEM');
    if (size > ctx.limits.stack) return err('ENOMEM');
    if (
      vma.vm_flags & VM_LOCKED &&
      !ctx.limits.capIpcLock &&
      (ctx.cur.locked_vm + grow) * PAGE_SIZE > ctx.limits.memlock
    ) {
      return err('ENOMEM');
    }
    // Overcommit: the final test, as it updates the commitment.
    if (!security_vm_enough_memory_mm(ctx, grow, 'acct_stack_growth')) return err('ENOMEM');
    if (vma.vm_flags & VM_LOCKED) ctx.set({ locked_vm: ctx.cur.locked_vm + grow });
    vm_stat_account(ctx, vma.vm_flags, grow);
    const grown: Vma = { ...vma, vm_start: address, vm_pgoff: vma.vm_pgoff - grow };
    vma_iter_store_overwrite(ctx, grown);
    vma = grown;
    ctx.step('expand_downwards', MMAP_C, () => `vma${vma.id} grows down to ${hex(address)}`);
  }
  return ok(vma);
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
    if (vma === null) return segv(ctx, addr, 'no VMA');
    if (vma.vm_start > addr) {
      // lock_mm_and_find_vma(): only a stack may grow to take the address.
      if (!(vma.vm_flags & VM_GROWSDOWN)) return segv(ctx, addr, 'no VMA');
      const g = expand_downwards(ctx, vma, addr);
      if (!g.ok) return segv(ctx, addr, 'the stack cannot grow here');
      vma = g.value;
    }
    if (!accessOk(vma, write)) {
      return segv(ctx, addr, `vma${vma.id} does not allow ${write ? 'writing' : 'reading'}`);
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
    if (sig !== 'ok') {
      ctx.step(
        'handle_mm_fault',
        'mm/memory.c',
        sig === 'SIGBUS'
          ? `${hex(stop)} lies past the end of the file: SIGBUS`
          : `${hex(stop)} is a guard page: SIGSEGV`,
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

function segv(ctx: Ctx, addr: number, why: string): FaultResult {
  ctx.step('do_user_addr_fault', 'arch/x86/mm/fault.c', () => `${hex(addr)}: ${why}: SIGSEGV`);
  return 'SIGSEGV';
}

/**
 * mm/gup.c: populate_vma_page_range() (Linux 6.18) — fault in [start, end) of
 * one VMA as mlock and MAP_POPULATE do: a write fault for private writable
 * memory (so it gets an anon_vma), a read fault otherwise. Returns the pages
 * done or an errno (EFAULT at a page that cannot be faulted).
 */
export function populate_vma_page_range(
  ctx: Ctx,
  vma: Vma,
  start: number,
  end: number,
  /** mm/gup.c: faultin_page_range() (MADV_POPULATE_*): a write or read fault as asked. */
  faultin?: { write: boolean },
): Result<number> {
  const nr_pages = (end - start) / PAGE_SIZE;
  if (!faultin && vma.vm_flags & VM_LOCKONFAULT) return ok(nr_pages);
  if (!(vma.vm_flags & VM_ACCESS_FLAGS)) return err('EFAULT');
  const write = faultin
    ? faultin.write && !(vma.vm_flags & VM_SHARED)
    : (vma.vm_flags & (VM_WRITE | VM_SHARED)) === VM_WRITE;
  // FOLL_FORCE lets a read through without VM_READ, but not past a protection key.
  if (!pkeyAllows(vma)) return err('EFAULT');
  const guard = firstGuard(ctx, start, end);
  const eof = firstPastEof(ctx, vma, start, end);
  let stop = end;
  if (guard >= 0) stop = guard;
  if (eof >= 0 && eof < stop) stop = eof;
  const eofFirst = eof >= 0 && eof === stop;
  if (
    ((stop > start || eofFirst) && write) ||
    (!write && readNeedsAnonVma(ctx, vma, start, stop))
  ) {
    const a = anon_vma_prepare(ctx, vma);
    if (!a.ok) return a;
  }
  if (stop < end) return stop > start ? ok((stop - start) / PAGE_SIZE) : err('EFAULT');
  return ok(nr_pages);
}

/**
 * mm/gup.c: __mm_populate() (Linux 6.18). With ignoreErrors (MAP_POPULATE,
 * MAP_LOCKED, mlockall) failures move on to the next VMA; otherwise the first
 * failure is returned (mlock turns it into ENOMEM / EAGAIN).
 */
export function populate_range(
  ctx: Ctx,
  start: number,
  end: number,
  ignoreErrors: boolean,
): Result<void> {
  let nstart = start;
  while (nstart < end) {
    const vma = find_vma_intersection(ctx, nstart, end);
    if (vma === null) break;
    const nend = Math.min(end, vma.vm_end);
    if (vma.vm_flags & (VM_IO | VM_PFNMAP)) {
      nstart = nend;
      continue;
    }
    if (nstart < vma.vm_start) nstart = vma.vm_start;
    const r = populate_vma_page_range(ctx, vma, nstart, nend);
    if (!r.ok) {
      if (ignoreErrors) {
        nstart = nend;
        continue;
      }
      ctx.step('__mm_populate', 'mm/gup.c', () => `cannot fault in ${hex(nstart)}`, {
        errno: r.errno,
      });
      return err(r.errno);
    }
    const done = nstart + r.value * PAGE_SIZE;
    if (done < nend) {
      // The next page fails: __get_user_pages() returns the error on the retry.
      if (ignoreErrors) {
        nstart = nend;
        continue;
      }
      ctx.step('__mm_populate', 'mm/gup.c', () => `cannot fault in ${hex(done)}`, {
        errno: 'EFAULT',
      });
      return err('EFAULT');
    }
    nstart = nend;
  }
  return ok(undefined);
}

export { VM_READ };
