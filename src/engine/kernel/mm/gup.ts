// SPDX-License-Identifier: GPL-2.0-or-later
// mm/gup.c (Linux 6.18): faulting a range in for mlock(), MAP_POPULATE,
// MAP_LOCKED and MADV_POPULATE_*. Pages are not modelled: what is left is
// where the walk stops (EFAULT) and which VMAs get an anon_vma on the way.
import type { Ctx } from './ctx';
import { firstGuard, firstPastEof, pkeyAllows, readNeedsAnonVma, sharedWritable } from './memory';
import { PAGE_SIZE, type Vma, hex } from './mm_types';
import { anon_vma_prepare } from './rmap';
import { VM_ACCESS_FLAGS, VM_IO, VM_LOCKONFAULT, VM_PFNMAP, VM_SHARED, VM_WRITE } from './vm-flags';
import { find_vma_intersection } from './vma_iter';
import { type Result, err, ok } from '../errno';

const GUP_C = 'mm/gup.c';

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
  if (ctx.events !== null) ctx.events.populate(start, stop, write || sharedWritable(vma));
  if (stop < end) return stop > start ? ok((stop - start) / PAGE_SIZE) : err('EFAULT');
  return ok(nr_pages);
}

/**
 * mm/gup.c: __mm_populate() (Linux 6.18), over [start, end). With ignoreErrors (MAP_POPULATE,
 * MAP_LOCKED, mlockall) failures move on to the next VMA; otherwise the first
 * failure is returned (mlock turns it into ENOMEM / EAGAIN).
 */
export function __mm_populate(
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
      const at = nstart;
      return ctx.refuse('__mm_populate', GUP_C, r.errno, () => `cannot fault in ${hex(at)}`);
    }
    const done = nstart + r.value * PAGE_SIZE;
    if (done < nend) {
      // The next page fails: __get_user_pages() returns the error on the retry.
      if (ignoreErrors) {
        nstart = nend;
        continue;
      }
      return ctx.refuse('__mm_populate', GUP_C, 'EFAULT', () => `cannot fault in ${hex(done)}`);
    }
    nstart = nend;
  }
  return ok(undefined);
}
