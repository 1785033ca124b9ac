// SPDX-License-Identifier: GPL-2.0-or-later
// mm/mprotect.c (Linux 6.18): mprotect() and pkey_mprotect().
import { type Ctx, range, type Why } from './ctx';
import { populate_vma_page_range } from './gup';
import { PAGE_ALIGN, PAGE_SIZE, type Vma, hex, vma_is_anonymous } from './mm_types';
import {
  PROT_EXEC,
  PROT_GROWSDOWN,
  PROT_GROWSUP,
  PROT_READ,
  PROT_SEM,
  PROT_WRITE,
  calc_vm_prot_bits,
} from './mman';
import { execute_only_pkey, mayExpandRefusal, may_expand_vm, vm_stat_account } from './mmap';
import { security_vm_enough_memory_mm } from './util';
import {
  VM_ACCESS_FLAGS,
  VM_ACCOUNT,
  VM_GROWSDOWN,
  VM_HUGETLB,
  VM_LOCKED,
  VM_NORESERVE,
  VM_SHARED,
  VM_WRITE,
} from './vm-flags';
import { vma_modify_flags } from './vma';
import { find_vma_intersection, vma_lookup, vma_prev } from './vma_iter';
import { type Errno, type Result, err, ok } from '../errno';

const MPROTECT_C = 'mm/mprotect.c';

/**
 * arch/x86/mm/pkeys.c: __arch_override_mprotect_pkey() (Linux 6.18) — PROT_EXEC
 * alone takes the execute-only key; leaving it returns to key 0.
 */
function arch_override_mprotect_pkey(ctx: Ctx, vma: Vma, prot: number, pkey: number): number {
  if (pkey !== -1) return pkey;
  if (prot === PROT_EXEC) {
    const k = execute_only_pkey(ctx);
    if (k > 0) return k;
  } else if ((vma.vm_flags & VM_ACCESS_FLAGS) === 0x4 && vma.pkey === ctx.cur.execute_only_pkey) {
    return 0;
  }
  return vma.pkey;
}

/**
 * arch/x86/include/asm/pkeys.h: mm_pkey_is_allocated() (Linux 6.18). Key 0
 * is allocated at mm creation only when the CPU has protection keys
 * (init_new_context()); pkey_alloc() is not part of the scenario language,
 * so the execute-only key is the only other one a process can hold.
 */
function mm_pkey_is_allocated(ctx: Ctx, pkey: number): boolean {
  if (!ctx.cur.kernel.pku || pkey < 0 || pkey >= 16) return false;
  return pkey === 0 || pkey === ctx.cur.execute_only_pkey;
}

/** A refusal of do_mprotect_pkey(): the errno, with the check that failed. */
function refuseMprotect(ctx: Ctx, e: Errno, why: Why): Result<number> {
  return ctx.refuse('do_mprotect_pkey', MPROTECT_C, e, why);
}

/** mm/mprotect.c: do_mprotect_pkey() (Linux 6.18). */
export function do_mprotect_pkey(
  ctx: Ctx,
  start: number,
  len: number,
  prot: number,
  pkey: number,
  /** Whether start + PAGE_ALIGN(len) wraps past 2^64 (the caller's 64-bit arithmetic tells). */
  rangeWraps = false,
): Result<number> {
  const grows = prot & (PROT_GROWSDOWN | PROT_GROWSUP);
  prot &= ~(PROT_GROWSDOWN | PROT_GROWSUP);
  if (grows === (PROT_GROWSDOWN | PROT_GROWSUP)) {
    return refuseMprotect(ctx, 'EINVAL', 'PROT_GROWSDOWN and PROT_GROWSUP together');
  }
  if (start % PAGE_SIZE) {
    return refuseMprotect(ctx, 'EINVAL', () => `start ${hex(start)} is not page aligned`);
  }
  if (!len) return ok(0);
  len = PAGE_ALIGN(len);
  const end = start + len;
  if (end <= start || rangeWraps) {
    return refuseMprotect(ctx, 'ENOMEM', 'start + len wraps past the end of memory');
  }
  // arch_validate_prot(): x86 takes PROT_READ|WRITE|EXEC|SEM only.
  if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM)) {
    const why = (): string => `prot has bits x86 does not know (${hex(prot)})`;
    return ctx.refuse('arch_validate_prot', 'arch/x86/include/asm/mman.h', 'EINVAL', why);
  }
  if (pkey !== -1 && !mm_pkey_is_allocated(ctx, pkey)) {
    return refuseMprotect(ctx, 'EINVAL', () => `protection key ${pkey} is not allocated`);
  }

  const vma = find_vma_intersection(ctx, start, end);
  if (vma === null) {
    return refuseMprotect(ctx, 'ENOMEM', () => `nothing is mapped in ${range(start, end)}`);
  }
  if (grows & PROT_GROWSDOWN) {
    if (vma.vm_start >= end) {
      return refuseMprotect(ctx, 'ENOMEM', () => `nothing is mapped in ${range(start, end)}`);
    }
    start = vma.vm_start;
    if (!(vma.vm_flags & VM_GROWSDOWN)) {
      return refuseMprotect(
        ctx,
        'EINVAL',
        () => `PROT_GROWSDOWN but vma${vma.id} is not VM_GROWSDOWN`,
      );
    }
  } else {
    if (vma.vm_start > start)
      return refuseMprotect(ctx, 'ENOMEM', () => `${hex(start)} is not mapped`);
    if (grows & PROT_GROWSUP) {
      return refuseMprotect(ctx, 'EINVAL', 'PROT_GROWSUP but x86 has no VM_GROWSUP');
    }
  }
  let prev: Vma | null = vma_prev(ctx, vma.vm_start);
  if (start > vma.vm_start) prev = vma;

  let nstart = start;
  let tmp = vma.vm_start;
  let error: Result<number> | null = null;
  let cur: Vma | null = vma;
  while (cur !== null && cur.vm_start < end) {
    if (cur.vm_start !== tmp) {
      const [from, to] = [tmp, cur.vm_start];
      error = refuseMprotect(ctx, 'ENOMEM', () => `${range(from, to)} is not mapped`);
      break;
    }
    const new_vma_pkey = arch_override_mprotect_pkey(ctx, cur, prot, pkey);
    let newflags = calc_vm_prot_bits(prot) | (cur.vm_flags & ~VM_ACCESS_FLAGS);
    newflags >>>= 0;
    /* newflags >> 4 shift VM_MAY% in place of VM_% */
    if (newflags & ~(newflags >>> 4) & VM_ACCESS_FLAGS) {
      const id = cur.id;
      error = refuseMprotect(
        ctx,
        'EACCES',
        () => `vma${id} may not get these permissions (its VM_MAY* flags lack them)`,
      );
      break;
    }
    tmp = Math.min(cur.vm_end, end);
    const r = mprotect_fixup(ctx, prev, cur, nstart, tmp, newflags, new_vma_pkey);
    if (!r.ok) {
      error = err(r.errno);
      break;
    }
    prev = r.value;
    tmp = r.value.vm_end;
    nstart = tmp;
    cur = find_vma_intersection(ctx, tmp, end);
  }
  if (error) return error;
  if (tmp < end) return refuseMprotect(ctx, 'ENOMEM', () => `${range(tmp, end)} is not mapped`);
  return ok(0);
}

/** mm/mprotect.c: mprotect_fixup() (Linux 6.18). Returns the VMA now covering the range. */
function mprotect_fixup(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
  newflags: number,
  pkey: number,
): Result<Vma> {
  const oldflags = vma.vm_flags;
  const nrpages = (end - start) / PAGE_SIZE;
  if (vma.sealed)
    return ctx.refuse('mprotect_fixup', MPROTECT_C, 'EPERM', () => `vma${vma.id} is sealed`);
  if (newflags === oldflags && pkey === vma.pkey) return ok(vma);
  if (newflags & VM_WRITE) {
    if (!may_expand_vm(ctx, newflags, nrpages) && may_expand_vm(ctx, oldflags, nrpages)) {
      return ctx.refuse('mprotect_fixup', MPROTECT_C, 'ENOMEM', () =>
        mayExpandRefusal(ctx, nrpages),
      );
    }
    if (!(oldflags & (VM_ACCOUNT | VM_WRITE | VM_HUGETLB | VM_SHARED | VM_NORESERVE))) {
      const charged = security_vm_enough_memory_mm(ctx, nrpages, 'mprotect_fixup');
      if (!charged.ok) return charged;
      newflags |= VM_ACCOUNT;
    }
  } else if (oldflags & VM_ACCOUNT && vma_is_anonymous(vma) && vma.anon_vma === null) {
    // Surprising but true: only untouched anonymous memory gives its charge back.
    newflags &= ~VM_ACCOUNT;
  }
  newflags >>>= 0;
  const r = vma_modify_flags(ctx, prev, vma, start, end, newflags, { pkey });
  if (!r.ok) return r;
  const got = r.value;
  ctx.step('mprotect_fixup', MPROTECT_C, () => `vma${got.id} gets the new protection`);
  // Private VM_LOCKED VMA becoming writable: trigger COW to avoid major fault on access.
  if ((oldflags & (VM_WRITE | VM_SHARED | VM_LOCKED)) === VM_LOCKED && newflags & VM_WRITE) {
    populate_vma_page_range(ctx, got, start, end);
  }
  vm_stat_account(ctx, oldflags, -nrpages);
  vm_stat_account(ctx, newflags, nrpages);
  return ok(vma_lookup(ctx, got.vm_start) ?? got);
}
