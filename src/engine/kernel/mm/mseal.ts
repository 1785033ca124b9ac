// SPDX-License-Identifier: GPL-2.0-or-later
// mm/mseal.c (Linux 6.18): mseal() sets VM_SEALED on every VMA of a range.
import { type Ctx, range, type Why } from './ctx';
import { PAGE_ALIGN, PAGE_SIZE, type Vma, hex } from './mm_types';
import { vma_modify_flags } from './vma';
import { find_vma_intersection, for_each_vma_range, vma_lookup, vma_prev } from './vma_iter';
import { type Errno, type Result, err, ok } from '../errno';

const MSEAL_C = 'mm/mseal.c';

/** mm/mseal.c: range_contains_unmapped() (Linux 6.18). */
function range_contains_unmapped(ctx: Ctx, start: number, end: number): boolean {
  let prev_end = start;
  for (const v of for_each_vma_range(ctx, start, end)) {
    if (v.vm_start > prev_end) return true;
    prev_end = v.vm_end;
  }
  return prev_end < end;
}

/** mm/mseal.c: do_mseal() and mseal_apply() (Linux 6.18). */
export function do_mseal(ctx: Ctx, start: number, len_in: number, flags: number): Result<number> {
  const fail = (e: Errno, why: Why): Result<number> => ctx.refuse('do_mseal', MSEAL_C, e, why);
  if (flags) return fail('EINVAL', () => `flags ${hex(flags)}: no flag is defined`);
  if (start % PAGE_SIZE) return fail('EINVAL', () => `start ${hex(start)} is not page aligned`);
  const len = PAGE_ALIGN(len_in);
  const end = start + len;
  if (end === start) return ok(0);
  if (range_contains_unmapped(ctx, start, end)) {
    return fail('ENOMEM', () => `${range(start, end)} has a hole (range_contains_unmapped)`);
  }
  const first = vma_lookup(ctx, start) as Vma;
  let prev: Vma | null = vma_prev(ctx, first.vm_start);
  if (start > first.vm_start) prev = first;
  let curr_start = start;
  let vma: Vma | null = first;
  while (vma !== null && vma.vm_start < end) {
    const curr_end = Math.min(vma.vm_end, end);
    if (!vma.sealed) {
      const r = vma_modify_flags(ctx, prev, vma, curr_start, curr_end, vma.vm_flags, {
        sealed: true,
      });
      if (!r.ok) return err(r.errno);
      const sealed = r.value;
      vma = sealed;
      ctx.step('mseal_apply', MSEAL_C, () => `vma${sealed.id} sealed`);
    }
    prev = vma;
    curr_start = curr_end;
    vma = find_vma_intersection(ctx, curr_end, end);
  }
  return ok(0);
}
