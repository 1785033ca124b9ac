// SPDX-License-Identifier: GPL-2.0-or-later
// What a view needs of one step, in the smallest form that crosses the worker
// boundary: a summary of every VMA in typed arrays (ids, ranges, kinds,
// permissions and marks: 23 bytes a VMA, transferred without copying, plus
// the guard markers), and full rows (the maps line, VmFlags, file, anon_vma)
// only for the VMAs a view shows.
import type { MmState } from '../kernel/mm/mm-snapshot';
import { get_vma_name, show_map_vma } from '../kernel/fs/proc/task_mmu';
import {
  VM_EXEC,
  VM_MAYBE_GUARD,
  VM_MAYSHARE,
  VM_READ,
  VM_WRITE,
  vmFlagNames,
} from '../kernel/mm/vm-flags';
import { PAGE_SIZE, type Vma } from '../kernel/mm/mm_types';
import { isInferred } from './strace-start';

/** What a VMA is, for colouring: the order is the code in `StepSummary.kinds`. */
export const VMA_KINDS = ['anon', 'shared-anon', 'file', 'heap', 'stack', 'special'] as const;
export type VmaKind = (typeof VMA_KINDS)[number];

/**
 * Bits of `StepSummary.marks`: what a VMA carries besides its kind.
 *
 * Guard regions are not VMAs in Linux 6.18: MADV_GUARD_INSTALL
 * (madvise_guard_install()) writes PTE markers into the page tables of an
 * existing VMA and only sets VM_MAYBE_GUARD on the whole VMA, which is never
 * cleared by MADV_GUARD_REMOVE (the flag says "may have markers"). So a VMA
 * is marked twice over: by the flag, and by the markers it holds now.
 */
export const MARK_SEALED = 1;
/** VM_MAYBE_GUARD (`gu` in VmFlags): guard markers were installed in this VMA at some time. */
export const MARK_MAYBE_GUARD = 2;
/** At least one page of the VMA holds a guard marker now: touching it raises SIGSEGV. */
export const MARK_GUARDS = 4;
/**
 * Inferred from a strace log: a placeholder for a range the log uses but
 * never maps (the program's image, the dynamic loader), not a mapping any
 * call made (strace-start.ts).
 */
export const MARK_INFERRED = 8;

/** Every VMA of a step, lowest address first, one entry per array index. */
export interface StepSummary {
  count: number;
  ids: Uint32Array;
  starts: Float64Array;
  ends: Float64Array;
  /** Index into VMA_KINDS. */
  kinds: Uint8Array;
  /** Bits: 1 read, 2 write, 4 exec, 8 shared (the maps permission letters). */
  perms: Uint8Array;
  /** MARK_SEALED | MARK_MAYBE_GUARD | MARK_GUARDS | MARK_INFERRED. */
  marks: Uint8Array;
  /**
   * The pages that hold guard markers, as runs `[start, end)` flattened into
   * pairs (`guards[2k]`, `guards[2k + 1]`), lowest first: the model keeps the
   * markers as a set of pages (MmState.guards), as the kernel keeps them in
   * page table entries, not in the VMA.
   */
  guards: Float64Array;
}

/** One VMA as the maps table and tooltips show it. */
export interface VmaRow {
  id: number;
  start: number;
  end: number;
  /** The /proc/PID/maps line. */
  maps: string;
  /** smaps `VmFlags` names, in the kernel's order (`sl` last when sealed). */
  flags: string[];
  kind: VmaKind;
  /** The mapped file's path (`/dev/zero (deleted)` for shared anonymous memory), or null. */
  file: string | null;
  /** vm_pgoff: the offset in pages, into the file or (anonymous) the start address >> 12. */
  pgoff: number;
  /** The anon_vma as the engine names it (`av3`), or null before the first fault. */
  anonVma: string | null;
  /** VM_SEALED: mseal() was applied. */
  sealed: boolean;
  /** VM_MAYBE_GUARD: MADV_GUARD_INSTALL was applied to this VMA at some time. */
  maybeGuard: boolean;
  /** Runs `[start, end)` of pages in this VMA holding guard markers now. */
  guards: [number, number][];
  /** A placeholder inferred from a strace log, not mapped by any call (MARK_INFERRED). */
  inferred: boolean;
}

/** VMAs that differ between two steps, by id. */
export interface StepDiff {
  added: number[];
  removed: number[];
  /** Present in both, with another range, offset, flags or name. */
  changed: number[];
}

/** The mm's VMAs in address order. The one place that knows how the mm keeps them. */
export function vmasOf(mm: MmState): readonly Vma[] {
  return mm.vmas;
}

export function vmaKind(mm: MmState, vma: Vma): VmaKind {
  if (vma.name !== null) return 'special';
  if (vma.file === '/dev/zero (deleted)') return 'shared-anon';
  if (vma.file !== null) return 'file';
  if (vma.vm_start < mm.brk && vma.vm_end > mm.start_brk) return 'heap';
  // As get_vma_name(): start_stack 0 is no stack (a loaded dump without one).
  if (mm.start_stack !== 0 && vma.vm_start <= mm.start_stack && vma.vm_end >= mm.start_stack) {
    return 'stack';
  }
  return 'anon';
}

/** The guard-marker pages of `mm` as sorted runs `[start, end)` of addresses, flattened. */
function guardRuns(mm: MmState): Float64Array {
  return Float64Array.from(mm.guards, (page) => page * PAGE_SIZE);
}

/** The runs of `runs` (flattened pairs, sorted) that meet `[start, end)`, clipped to it. */
function guardsIn(runs: Float64Array, start: number, end: number): [number, number][] {
  // First run ending after `start`: binary search over the run ends.
  let lo = 0;
  let hi = runs.length / 2;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (runs[2 * mid + 1] <= start) lo = mid + 1;
    else hi = mid;
  }
  const out: [number, number][] = [];
  for (let k = lo; 2 * k < runs.length && runs[2 * k] < end; k++) {
    out.push([Math.max(start, runs[2 * k]), Math.min(end, runs[2 * k + 1])]);
  }
  return out;
}

export function summarize(mm: MmState): StepSummary {
  const vmas = vmasOf(mm);
  const n = vmas.length;
  const guards = guardRuns(mm);
  const s: StepSummary = {
    count: n,
    ids: new Uint32Array(n),
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    kinds: new Uint8Array(n),
    perms: new Uint8Array(n),
    marks: new Uint8Array(n),
    guards,
  };
  for (let i = 0; i < n; i++) {
    const v = vmas[i];
    const f = v.vm_flags;
    s.ids[i] = v.id;
    s.starts[i] = v.vm_start;
    s.ends[i] = v.vm_end;
    s.kinds[i] = VMA_KINDS.indexOf(vmaKind(mm, v));
    s.perms[i] =
      (f & VM_READ ? 1 : 0) |
      (f & VM_WRITE ? 2 : 0) |
      (f & VM_EXEC ? 4 : 0) |
      (f & VM_MAYSHARE ? 8 : 0);
    s.marks[i] =
      (v.sealed ? MARK_SEALED : 0) |
      (f & VM_MAYBE_GUARD ? MARK_MAYBE_GUARD : 0) |
      (guards.length > 0 && guardsIn(guards, v.vm_start, v.vm_end).length > 0 ? MARK_GUARDS : 0) |
      (isInferred(v) ? MARK_INFERRED : 0);
  }
  return s;
}

/** Rows `[from, from + count)` of the step's VMAs, in address order. */
export function vmaRows(mm: MmState, from = 0, count = Infinity): VmaRow[] {
  const guards = guardRuns(mm);
  return vmasOf(mm)
    .slice(from, from + count)
    .map((v) => ({
      id: v.id,
      start: v.vm_start,
      end: v.vm_end,
      maps: show_map_vma(mm, v),
      flags: vmFlagNames(v.vm_flags, v.sealed),
      kind: vmaKind(mm, v),
      file: v.file,
      pgoff: v.vm_pgoff,
      anonVma: v.anon_vma === null ? null : `av${v.anon_vma}`,
      sealed: v.sealed,
      maybeGuard: (v.vm_flags & VM_MAYBE_GUARD) !== 0,
      guards: guards.length > 0 ? guardsIn(guards, v.vm_start, v.vm_end) : [],
      inferred: isInferred(v),
    }));
}

/**
 * Which VMAs were added, removed or changed from step `a` to step `b`.
 * Snapshots share every vm_area_struct a step did not touch, so both lists
 * are walked in address order skipping identical objects; only the few that
 * differ are matched by id. (Matching all 65,530 by id cost ~14 ms a step.)
 */
export function diffSteps(a: MmState, b: MmState): StepDiff {
  const va = vmasOf(a);
  const vb = vmasOf(b);
  const onlyA: Vma[] = [];
  const onlyB: Vma[] = [];
  let i = 0;
  let j = 0;
  while (i < va.length && j < vb.length) {
    const x = va[i];
    const y = vb[j];
    if (x === y) {
      i++;
      j++;
    } else if (x.vm_start < y.vm_start) {
      onlyA.push(x);
      i++;
    } else if (y.vm_start < x.vm_start) {
      onlyB.push(y);
      j++;
    } else {
      onlyA.push(x);
      onlyB.push(y);
      i++;
      j++;
    }
  }
  while (i < va.length) onlyA.push(va[i++]);
  while (j < vb.length) onlyB.push(vb[j++]);

  const before = new Map(onlyA.map((v) => [v.id, v]));
  const diff: StepDiff = { added: [], removed: [], changed: [] };
  for (const v of onlyB) {
    const old = before.get(v.id);
    if (!old) diff.added.push(v.id);
    else {
      before.delete(v.id);
      if (show_map_vma(a, old) + old.vm_flags !== show_map_vma(b, v) + v.vm_flags)
        diff.changed.push(v.id);
    }
  }
  for (const v of onlyA) if (before.has(v.id)) diff.removed.push(v.id);
  // /proc names [heap] and [stack] from the mm, not from the VMA: when the
  // break moves, a VMA the step left alone may still print another line.
  if (a.brk !== b.brk || a.start_brk !== b.start_brk || a.start_stack !== b.start_stack) {
    const walked = new Set(onlyB);
    const renamed = new Set(diff.changed);
    for (const v of vb) {
      if (!walked.has(v) && get_vma_name(a, v) !== get_vma_name(b, v)) renamed.add(v.id);
    }
    diff.changed = vb.filter((v) => renamed.has(v.id)).map((v) => v.id);
  }
  return diff;
}
