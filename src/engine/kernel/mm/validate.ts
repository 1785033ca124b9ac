// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-side: the checks the run makes after every call when asked
// (`validate: true`). They stand for mm/vma.c: validate_mm() (Linux 6.18,
// CONFIG_DEBUG_VM_MAPLE_TREE), which the kernel runs inside its own
// functions: the maple tree validator plus the VMA invariants, and the
// model's own (anon_vma and chain agree, page counters never negative).
// Kept apart from vma.ts because the runner, not the kernel code, calls it.
import { mtRanges } from '../maple/iterate';
import { mt_validate } from '../maple/validate';
import type { MmState } from './mm-snapshot';
import { PAGE_SIZE, type Vma } from './mm_types';

export class ValidateMmError extends Error {}

/** Throws ValidateMmError naming `where` if the snapshot breaks an invariant. */
export function validate_mm(mm: MmState, where = ''): void {
  const bug = (what: string): never => {
    throw new ValidateMmError(`validate_mm${where ? ` after ${where}` : ''}: ${what}`);
  };
  mt_validate(mm.mt);
  let i = 0;
  let prevEnd = -1;
  const ids = new Set<number>();
  const check = (vma: Vma, first: number, last: number): void => {
    if (vma.vm_end !== last + 1)
      bug(`vma${vma.id} ends at ${vma.vm_end}, its tree range at ${last + 1}`);
    if (vma.vm_start !== first)
      bug(`vma${vma.id} starts at ${vma.vm_start}, its tree range at ${first}`);
    if (vma.vm_start >= vma.vm_end) bug(`vma${vma.id} is empty`);
    if (vma.vm_start % PAGE_SIZE || vma.vm_end % PAGE_SIZE) bug(`vma${vma.id} is not page aligned`);
    if (vma.vm_start < prevEnd) bug(`vma${vma.id} overlaps the VMA before it`);
    if ((vma.anon_vma === null) !== (vma.anon_vma_chain === 0)) {
      bug(`vma${vma.id}: anon_vma and its chain disagree`);
    }
    if (ids.has(vma.id)) bug(`vma${vma.id} is in the tree twice`);
    ids.add(vma.id);
    prevEnd = vma.vm_end;
    i++;
  };
  if (mm.mt.root === null) {
    if (mm.mt.rootEntry !== null) check(mm.mt.rootEntry, 0, 0);
  } else {
    for (const r of mtRanges(mm.mt.root)) if (r.entry !== null) check(r.entry, r.first, r.last);
  }
  if (i !== mm.map_count) bug(`map_count ${mm.map_count}, vma iterator ${i}`);
  for (const name of ['total_vm', 'locked_vm', 'exec_vm', 'stack_vm', 'data_vm'] as const) {
    if (mm[name] < 0) bug(`negative page counter ${name} (${mm[name]})`);
  }
}
