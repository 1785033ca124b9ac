// SPDX-License-Identifier: GPL-2.0-or-later
// SIMPLIFICATION (issue 2): a thin model of mmap(MAP_FIXED) and munmap for
// anonymous memory, so that every layer of the app has something real to
// carry. It follows the kernel's argument checks and its split and merge
// outcomes for memory that was never touched (no anon_vma), and nothing more:
// no files, no hint search, no anon_vma, no accounting limits. The engine
// issue replaces it with mm/vma.c's functions over the maple tree.
import { err, ok, type Result } from '../errno';
import type { MmState, StepSink } from './mm';
import {
  VM_ACCOUNT,
  VM_EXEC,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_NORESERVE,
  VM_READ,
  VM_SHARED,
  VM_SPECIAL,
  VM_WRITE,
} from './vm-flags';
import { PAGE_SIZE, TASK_SIZE, vma_pages, type Vma } from './vma';

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_NORESERVE = 0x4000;
export const MAP_FIXED_NOREPLACE = 0x100000;

/** The mmap flags the thin model understands; others are refused before a run. */
export const SIMPLE_MMAP_FLAGS =
  MAP_TYPE | MAP_FIXED | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED_NOREPLACE;

const VMA_C = 'mm/vma.c';
const MMAP_C = 'mm/mmap.c';
const PAGE_MASK_LOW = PAGE_SIZE - 1;
const PAGE_ALIGN = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

/** include/linux/mman.h: calc_vm_prot_bits(), without protection keys. */
function calc_vm_prot_bits(prot: number): number {
  return (
    (prot & PROT_READ ? VM_READ : 0) |
    (prot & PROT_WRITE ? VM_WRITE : 0) |
    (prot & PROT_EXEC ? VM_EXEC : 0)
  );
}

/** mm/mmap.c: do_mmap() (Linux 6.18), for MAP_FIXED anonymous mappings only. */
export function do_mmap(
  mm: MmState,
  addr: number,
  len: number,
  prot: number,
  flags: number,
  step: StepSink,
): { mm: MmState; ret: Result<number> } {
  const fail = (e: Parameters<typeof err>[0]) => ({ mm, ret: err<number>(e) });
  if (len === 0) return fail('EINVAL');
  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE && type !== MAP_SHARED_VALIDATE) {
    return fail('EINVAL');
  }
  len = PAGE_ALIGN(len);
  if (len === 0 || len > TASK_SIZE) return fail('ENOMEM');
  // mm/mmap.c: __get_unmapped_area() refuses a fixed range that is not page
  // aligned or does not fit below TASK_SIZE.
  if (addr & PAGE_MASK_LOW) return fail('EINVAL');
  if (addr > TASK_SIZE - len) return fail('ENOMEM');
  const end = addr + len;
  if (flags & MAP_FIXED_NOREPLACE && mm.vmas.some((v) => v.vm_start < end && v.vm_end > addr)) {
    return fail('EEXIST');
  }

  const shared = type !== MAP_PRIVATE;
  let vm_flags = calc_vm_prot_bits(prot) | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;
  if (shared) vm_flags |= VM_SHARED | VM_MAYSHARE;
  if (flags & MAP_NORESERVE) vm_flags |= VM_NORESERVE;
  // mm/vma.c: accountable_mapping() — private writable memory is charged.
  if ((vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE) vm_flags |= VM_ACCOUNT;
  vm_flags >>>= 0;

  step({ fn: 'do_mmap', source: MMAP_C, message: `map [${hex(addr)}, ${hex(end)})` }, mm);
  mm = unmapRange(mm, addr, end, step);
  // A shared anonymous mapping is a new shmem file of its own (shmem_zero_setup()),
  // so it never merges; private anonymous memory is offset by its address.
  const file = shared ? '/dev/zero (deleted)' : null;
  const pgoff = shared ? 0 : addr / PAGE_SIZE;
  return { mm: vma_merge_new_range(mm, addr, end, pgoff, vm_flags, file, step), ret: ok(addr) };
}

/** mm/vma.c: do_vmi_munmap() (Linux 6.18). */
export function do_vmi_munmap(
  mm: MmState,
  start: number,
  len: number,
  step: StepSink,
): { mm: MmState; ret: Result<number> } {
  if (start & PAGE_MASK_LOW || start > TASK_SIZE || len > TASK_SIZE - start) {
    return { mm, ret: err('EINVAL') };
  }
  const end = start + PAGE_ALIGN(len);
  if (end === start) return { mm, ret: err('EINVAL') };
  return { mm: unmapRange(mm, start, end, step), ret: ok(0) };
}

/**
 * mm/vma.c: vms_gather_munmap_vmas() and vms_complete_munmap_vmas() —
 * split the VMAs that straddle the ends, then detach everything inside.
 */
function unmapRange(mm: MmState, start: number, end: number, step: StepSink): MmState {
  const first = mm.vmas.find((v) => v.vm_end > start && v.vm_start < end);
  if (!first) return mm;
  // The first VMA is split with new_below = 1 (the new VMA keeps what stays
  // mapped below), the last with new_below = 0, as vms_gather_munmap_vmas() does.
  if (first.vm_start < start) mm = __split_vma(mm, first, start, true, step);
  const last = mm.vmas.find((v) => v.vm_start < end && v.vm_end > end);
  if (last) mm = __split_vma(mm, last, end, false, step);
  const gone = mm.vmas.filter((v) => v.vm_start >= start && v.vm_end <= end);
  mm = { ...mm, vmas: mm.vmas.filter((v) => !gone.includes(v)) };
  step(
    {
      fn: 'vms_complete_munmap_vmas',
      source: VMA_C,
      message: `unmap ${gone.map((v) => `vma${v.id}`).join(', ')} from [${hex(start)}, ${hex(end)})`,
    },
    mm,
  );
  return mm;
}

/**
 * mm/vma.c: __split_vma() (Linux 6.18). A new VMA takes `[vm_start, addr)`
 * when `new_below`, else `[addr, vm_end)`; the old VMA keeps the other part,
 * the upper part's offset advanced by the pages below it.
 */
function __split_vma(
  mm: MmState,
  vma: Vma,
  addr: number,
  new_below: boolean,
  step: StepSink,
): MmState {
  const id = mm.nextVmaId;
  const below: Vma = { ...vma, id: new_below ? id : vma.id, vm_end: addr };
  const above: Vma = {
    ...vma,
    id: new_below ? vma.id : id,
    vm_start: addr,
    vm_pgoff: vma.vm_pgoff + (addr - vma.vm_start) / PAGE_SIZE,
  };
  const vmas = mm.vmas.flatMap((v) => (v === vma ? [below, above] : [v]));
  const next: MmState = { ...mm, vmas, nextVmaId: id + 1 };
  const [from, to] = new_below ? [vma.vm_start, addr] : [addr, vma.vm_end];
  step(
    {
      fn: '__split_vma',
      source: VMA_C,
      message: `split vma${vma.id} at ${hex(addr)}: new vma${id} takes [${hex(from)}, ${hex(to)})`,
    },
    next,
  );
  return next;
}

type MergeCandidate = Pick<Vma, 'vm_flags' | 'vm_pgoff' | 'file' | 'name' | 'anon_vma'>;

/**
 * Whether `a` followed by `b` could be one VMA: the thin model's
 * can_vma_merge_after()/before(). Special mappings never merge (VM_SPECIAL);
 * an anon_vma on one side is taken over by the other (is_mergeable_anon_vma()
 * for a VMA whose anon_vma chain is singular).
 */
function canJoin(a: Vma, b: MergeCandidate): boolean {
  return (
    a.vm_flags === b.vm_flags &&
    (a.vm_flags & VM_SPECIAL) === 0 &&
    a.file === null &&
    b.file === null &&
    a.name === null &&
    b.name === null &&
    (a.anon_vma === null || b.anon_vma === null || a.anon_vma === b.anon_vma) &&
    a.vm_pgoff + vma_pages(a) === b.vm_pgoff
  );
}

/**
 * mm/vma.c: vma_merge_new_range() (Linux 6.18), reduced to its outcome for
 * untouched anonymous memory: extend the left neighbour, the right one, or
 * both into one; otherwise link a new VMA.
 */
function vma_merge_new_range(
  mm: MmState,
  start: number,
  end: number,
  pgoff: number,
  vm_flags: number,
  file: string | null,
  step: StepSink,
): MmState {
  const prev = mm.vmas.find((v) => v.vm_end === start);
  const next = mm.vmas.find((v) => v.vm_start === end);
  const candidate: Vma = {
    id: 0,
    vm_start: start,
    vm_end: end,
    vm_pgoff: pgoff,
    vm_flags,
    file,
    name: null,
    anon_vma: null,
  };
  const mergeLeft = prev !== undefined && canJoin(prev, candidate);
  const mergeRight =
    next !== undefined &&
    canJoin(candidate, next) &&
    (!mergeLeft ||
      prev.anon_vma === null ||
      next.anon_vma === null ||
      prev.anon_vma === next.anon_vma);

  if (mergeLeft || mergeRight) {
    const keep = mergeLeft ? prev : next!;
    const merged: Vma = {
      ...keep,
      vm_start: mergeLeft ? prev.vm_start : start,
      vm_end: mergeRight ? next!.vm_end : end,
      vm_pgoff: mergeLeft ? prev.vm_pgoff : pgoff,
      anon_vma: (mergeLeft ? prev.anon_vma : null) ?? (mergeRight ? next!.anon_vma : null),
    };
    const vmas = mm.vmas
      .filter((v) => !(mergeLeft && mergeRight && v === next))
      .map((v) => (v === keep ? merged : v));
    const next_mm: MmState = { ...mm, vmas };
    const what =
      mergeLeft && mergeRight
        ? `vma${prev.id} absorbs the new range and vma${next!.id}`
        : mergeLeft
          ? `vma${prev.id} grows up over the new range`
          : `vma${next!.id} grows down over the new range`;
    step({ fn: 'vma_merge_new_range', source: VMA_C, message: `merge: ${what}` }, next_mm);
    return next_mm;
  }

  const vma: Vma = { ...candidate, id: mm.nextVmaId };
  const at = mm.vmas.findIndex((v) => v.vm_start > start);
  const vmas = [...mm.vmas];
  vmas.splice(at < 0 ? vmas.length : at, 0, vma);
  const next_mm: MmState = { ...mm, vmas, nextVmaId: mm.nextVmaId + 1 };
  const why = prev || next ? 'neighbours differ' : 'no neighbour touches the range';
  step({ fn: '__mmap_new_vma', source: VMA_C, message: `new vma${vma.id} (${why})` }, next_mm);
  return next_mm;
}

const hex = (n: number): string => '0x' + n.toString(16);
