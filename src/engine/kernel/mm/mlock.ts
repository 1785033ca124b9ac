// SPDX-License-Identifier: GPL-2.0-or-later
// mm/mlock.c (Linux 6.18): mlock(), mlock2(), munlock(), mlockall(), munlockall().
import { type Ctx, range } from './ctx';
import { __mm_populate } from './gup';
import { PAGE_ALIGN, PAGE_SIZE, TASK_SIZE, type Vma, hex } from './mm_types';
import { VM_LOCKED, VM_LOCKED_MASK, VM_LOCKONFAULT, VM_SPECIAL } from './vm-flags';
import { vma_modify_flags } from './vma';
import {
  find_vma,
  find_vma_intersection,
  for_each_vma_range,
  vma_lookup,
  vma_prev,
} from './vma_iter';
import { type Errno, type Result, err, ok } from '../errno';

const MLOCK_C = 'mm/mlock.c';
export const MLOCK_ONFAULT = 1;
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;

/** mm/mlock.c: mlock_fixup() (Linux 6.18). */
function mlock_fixup(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
  newflags: number,
): Result<Vma> {
  const oldflags = vma.vm_flags;
  newflags >>>= 0;
  // vma_supports_mlock(): not special mappings.
  if (newflags === oldflags || oldflags & VM_SPECIAL) return ok(vma);
  const r = vma_modify_flags(ctx, prev, vma, start, end, newflags);
  if (!r.ok) return r;
  let nr_pages = (end - start) / PAGE_SIZE;
  if (!(newflags & VM_LOCKED)) nr_pages = -nr_pages;
  else if (oldflags & VM_LOCKED) nr_pages = 0;
  ctx.set({ locked_vm: ctx.cur.locked_vm + nr_pages });
  ctx.step(
    'mlock_fixup',
    MLOCK_C,
    () => `vma${r.value.id} ${newflags & VM_LOCKED ? 'locked' : 'unlocked'}`,
  );
  return ok(vma_lookup(ctx, r.value.vm_start) ?? r.value);
}

/** mm/mlock.c: apply_vma_lock_flags() (Linux 6.18). */
function apply_vma_lock_flags(ctx: Ctx, start: number, len: number, flags: number): Result<void> {
  const fail = (e: Errno, why: string): Result<void> =>
    ctx.refuse('apply_vma_lock_flags', MLOCK_C, e, why);
  const end = start + len;
  if (end < start) return fail('EINVAL', 'start + len wraps past the end of memory');
  if (end === start) return ok(undefined);
  const vma = vma_lookup(ctx, start);
  if (vma === null) return fail('ENOMEM', `${hex(start)} is not mapped`);
  let prev: Vma | null = vma_prev(ctx, vma.vm_start);
  if (start > vma.vm_start) prev = vma;
  let nstart = start;
  let tmp = vma.vm_start;
  let cur: Vma | null = vma;
  while (cur !== null && cur.vm_start < end) {
    if (cur.vm_start !== tmp) return fail('ENOMEM', `${range(tmp, cur.vm_start)} is not mapped`);
    const newflags = ((cur.vm_flags & ~VM_LOCKED_MASK) | flags) >>> 0;
    tmp = Math.min(cur.vm_end, end);
    const r = mlock_fixup(ctx, prev, cur, nstart, tmp, newflags);
    if (!r.ok) return err(r.errno);
    prev = r.value;
    tmp = r.value.vm_end;
    nstart = tmp;
    cur = find_vma_intersection(ctx, tmp, end);
  }
  if (tmp < end) return fail('ENOMEM', `${range(tmp, end)} is not mapped`);
  return ok(undefined);
}

/** mm/mlock.c: count_mm_mlocked_page_nr(). */
function count_mm_mlocked_page_nr(ctx: Ctx, start: number, len: number): number {
  const end = start + len;
  let count = 0;
  for (const v of for_each_vma_range(ctx, start, end)) {
    if (v.vm_flags & VM_LOCKED)
      count += (Math.min(end, v.vm_end) - Math.max(start, v.vm_start)) / PAGE_SIZE;
  }
  return count;
}

/** mm/mlock.c: do_mlock() (Linux 6.18). */
export function do_mlock(ctx: Ctx, start: number, len: number, flags: number): Result<number> {
  const lim = ctx.limits;
  if (!(lim.memlock > 0 || lim.capIpcLock)) return cannotMlock(ctx, 'do_mlock');
  len = PAGE_ALIGN(len + (start % PAGE_SIZE));
  start -= start % PAGE_SIZE;
  const lock_limit = Math.floor(lim.memlock / PAGE_SIZE);
  let locked = len / PAGE_SIZE + ctx.cur.locked_vm;
  if (locked > lock_limit && !lim.capIpcLock) locked -= count_mm_mlocked_page_nr(ctx, start, len);
  if (!(locked <= lock_limit || lim.capIpcLock)) {
    const why = `${locked} locked pages would exceed RLIMIT_MEMLOCK (${lock_limit} pages)`;
    return ctx.refuse('do_mlock', MLOCK_C, 'ENOMEM', why);
  }
  const r = apply_vma_lock_flags(ctx, start, len, flags);
  if (!r.ok) return err(r.errno);
  const p = __mm_populate(ctx, start, start + len, false);
  if (!p.ok) {
    // __mlock_posix_error_return(): POSIX wants ENOMEM for a bad address and
    // EAGAIN for memory that could not be locked.
    const posix = p.errno === 'EFAULT' ? 'ENOMEM' : p.errno === 'ENOMEM' ? 'EAGAIN' : p.errno;
    const why = `__mm_populate() failed with ${p.errno}`;
    if (posix === p.errno) return err(posix);
    return ctx.refuse('__mlock_posix_error_return', MLOCK_C, posix, why);
  }
  return ok(0);
}

/** Model helper: can_do_mlock() said no, as `fn` reports it. */
function cannotMlock(ctx: Ctx, fn: string): Result<number> {
  const why = 'can_do_mlock(): RLIMIT_MEMLOCK is 0 and no CAP_IPC_LOCK';
  return ctx.refuse(fn, MLOCK_C, 'EPERM', why);
}

/** mm/mlock.c: mlock2() (Linux 6.18). */
export function sys_mlock2(ctx: Ctx, start: number, len: number, flags: number): Result<number> {
  if (flags & ~MLOCK_ONFAULT) {
    return ctx.refuse(
      'sys_mlock2',
      MLOCK_C,
      'EINVAL',
      () => `flags ${hex(flags)}: only MLOCK_ONFAULT`,
    );
  }
  return do_mlock(ctx, start, len, VM_LOCKED | (flags & MLOCK_ONFAULT ? VM_LOCKONFAULT : 0));
}

/** mm/mlock.c: munlock() (Linux 6.18). */
export function sys_munlock(ctx: Ctx, start: number, len: number): Result<number> {
  len = PAGE_ALIGN(len + (start % PAGE_SIZE));
  start -= start % PAGE_SIZE;
  const r = apply_vma_lock_flags(ctx, start, len, 0);
  return r.ok ? ok(0) : err(r.errno);
}

/** mm/mlock.c: apply_mlockall_flags() (Linux 6.18). */
function apply_mlockall_flags(ctx: Ctx, flags: number): void {
  let def = ctx.cur.def_flags & ~VM_LOCKED_MASK;
  if (flags & MCL_FUTURE) {
    def |= VM_LOCKED;
    if (flags & MCL_ONFAULT) def |= VM_LOCKONFAULT;
  }
  ctx.set({ def_flags: def >>> 0 });
  if (flags & MCL_FUTURE && !(flags & MCL_CURRENT)) return;
  let to_add = 0;
  if (flags & MCL_CURRENT) {
    to_add |= VM_LOCKED;
    if (flags & MCL_ONFAULT) to_add |= VM_LOCKONFAULT;
  }
  let prev: Vma | null = null;
  let vma = find_vma(ctx, 0);
  while (vma !== null) {
    const newflags = ((vma.vm_flags & ~VM_LOCKED_MASK) | to_add) >>> 0;
    const r = mlock_fixup(ctx, prev, vma, vma.vm_start, vma.vm_end, newflags);
    /* Ignore errors, but prev needs fixing up. */
    prev = r.ok ? r.value : vma;
    vma = find_vma(ctx, prev.vm_end);
  }
}

/** mm/mlock.c: mlockall() (Linux 6.18). */
export function sys_mlockall(ctx: Ctx, flags: number): Result<number> {
  const fn = 'sys_mlockall';
  if (!flags || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) {
    const why = `flags ${hex(flags)}: MCL_CURRENT or MCL_FUTURE (with MCL_ONFAULT at most)`;
    return ctx.refuse(fn, MLOCK_C, 'EINVAL', why);
  }
  const lim = ctx.limits;
  if (!(lim.memlock > 0 || lim.capIpcLock)) return cannotMlock(ctx, fn);
  if (!(flags & MCL_CURRENT) || ctx.cur.total_vm * PAGE_SIZE <= lim.memlock || lim.capIpcLock) {
    apply_mlockall_flags(ctx, flags);
  } else {
    const why = `MCL_CURRENT: total_vm ${ctx.cur.total_vm} pages exceeds RLIMIT_MEMLOCK`;
    return ctx.refuse(fn, MLOCK_C, 'ENOMEM', why);
  }
  ctx.step('apply_mlockall_flags', MLOCK_C, 'mlockall applied');
  if (flags & MCL_CURRENT) __mm_populate(ctx, 0, TASK_SIZE, true);
  return ok(0);
}

/** mm/mlock.c: munlockall() (Linux 6.18). */
export function sys_munlockall(ctx: Ctx): Result<number> {
  apply_mlockall_flags(ctx, 0);
  ctx.step('apply_mlockall_flags', MLOCK_C, 'munlockall applied');
  return ok(0);
}
