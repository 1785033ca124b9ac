// SPDX-License-Identifier: GPL-2.0-or-later
// mm/vma.c (Linux 6.18): merging, splitting, expanding, shrinking and
// unmapping VMAs, mapping a new region, the heap and the stack, over the
// maple tree. Functions keep the kernel's names and come in the kernel's
// order; the structures of mm/vma.h they share come first.
//
// Longer than this project's 400-line guide because mm/vma.c is: it is one
// file in the kernel, and a reviewer should find each function in the file
// of the same name. The simulator's trace helpers are in vmg-trace.ts.
import { type Ctx, range, type Why } from './ctx';
import { guardsRemove } from './guards';
import { STACK_GUARD_GAP } from './mm-snapshot';
import {
  PAGE_ALIGN,
  PAGE_SIZE,
  PHYS_PFN,
  TASK_SIZE,
  type VmOps,
  type Vma,
  hex,
  vma_init,
  vmaRange,
  vma_is_anonymous,
  vma_pages,
} from './mm_types';
import {
  MMAP_MIN_ADDR,
  mayExpandRefusal,
  may_expand_vm,
  vm_start_gap,
  vm_stat_account,
} from './mmap';
import { BUG_ON, VM_BUG_ON_VMA, VM_WARN_ON, VM_WARN_ON_VMG, WARN_ON } from './mmdebug';
import { anonVmaCloneEvents, anon_vma_prepare, unlink_anon_vmas } from './rmap';
import type { KernelEventLog } from '../trace/kernel-emit';
import { shmem_zero_setup } from './shmem';
import { security_vm_enough_memory_mm } from './util';
import {
  VM_ACCESS_FLAGS,
  VM_ACCOUNT,
  VM_DATA_DEFAULT_FLAGS,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_HUGETLB,
  VM_IGNORE_MERGE,
  VM_LOCKED,
  VM_LOCKED_MASK,
  VM_NORESERVE,
  VM_SHARED,
  VM_SPECIAL,
  VM_STACK,
  VM_STARTGAP_FLAGS,
  VM_STICKY,
  VM_WRITE,
} from './vm-flags';
import {
  find_vma,
  find_vma_intersection,
  vma_iter_clear,
  vma_iter_clear_gfp,
  vma_iter_store_gfp,
  vma_iter_store_new,
  vma_iter_store_overwrite,
  vma_lookup,
  vma_prev,
} from './vma_iter';
import {
  type NoteReason,
  avName,
  flagWords,
  note,
  vmaName,
  vmgDecisionTrace,
  vmgTrace,
} from './vmg-trace';
import { type Errno, type Result, err, ok } from '../errno';
import { mas_empty_area_rev } from '../maple/empty-area';
import { MA_STATE } from '../maple/state';
import type { PredicateResult } from '../trace/events';

const VMA_C = 'mm/vma.c';

/** mm/vma.h: enum vma_merge_state — how the last merge attempt ended. */
export type VmaMergeState =
  'VMA_MERGE_START' | 'VMA_MERGE_ERROR_NOMEM' | 'VMA_MERGE_NOMERGE' | 'VMA_MERGE_SUCCESS';

/** mm/vma.h: struct vma_merge_struct, the fields this model keeps. */
export interface VmaMergeStruct {
  prev: Vma | null;
  middle: Vma | null;
  next: Vma | null;
  target: Vma | null;
  start: number;
  end: number;
  pgoff: number;
  vm_flags: number;
  pkey: number;
  sealed: boolean;
  file: string | null;
  vm_file: number | null;
  vm_ops: VmOps;
  vm_ops_close: boolean;
  anon_vma: number | null;
  anon_name: string | null;
  /** copy_vma(): the VMA being copied (mremap). */
  copied_from: Vma | null;
  just_expand: boolean;
  give_up_on_oom: boolean;
  state: VmaMergeState;
  __adjust_middle_start: boolean;
  __adjust_next_start: boolean;
  __remove_middle: boolean;
  __remove_next: boolean;
  /** Predicates evaluated so far (only when tracing). */
  predicates: PredicateResult[] | null;
}

/** mm/vma.h: VMG_STATE() — a new range with the given flags. */
export function VMG_STATE(
  ctx: Ctx,
  start: number,
  end: number,
  vm_flags: number,
  pgoff: number,
): VmaMergeStruct {
  return {
    prev: null,
    middle: null,
    next: null,
    target: null,
    start,
    end,
    pgoff,
    vm_flags,
    pkey: 0,
    sealed: false,
    file: null,
    vm_file: null,
    vm_ops: 'anon',
    vm_ops_close: false,
    anon_vma: null,
    anon_name: null,
    copied_from: null,
    just_expand: false,
    give_up_on_oom: false,
    state: 'VMA_MERGE_START',
    __adjust_middle_start: false,
    __adjust_next_start: false,
    __remove_middle: false,
    __remove_next: false,
    predicates: ctx.tracing ? [] : null,
  };
}

/** mm/vma.h: VMG_VMA_STATE() — [start, end) of an existing VMA, with its attributes. */
export function VMG_VMA_STATE(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
): VmaMergeStruct {
  const vmg = VMG_STATE(
    ctx,
    start,
    end,
    vma.vm_flags,
    vma.vm_pgoff + PHYS_PFN(start - vma.vm_start),
  );
  vmg.prev = prev;
  vmg.middle = vma;
  vmg.pkey = vma.pkey;
  vmg.sealed = vma.sealed;
  vmg.file = vma.file;
  vmg.vm_file = vma.vm_file;
  vmg.vm_ops = vma.vm_ops;
  vmg.vm_ops_close = vma.vm_ops_close;
  vmg.anon_vma = vma.anon_vma;
  vmg.anon_name = vma.anon_name;
  return vmg;
}

/** The munmap state: mm/vma.h struct vma_munmap_struct, the fields kept here. */
export interface VmaMunmapStruct {
  start: number;
  end: number;
  prev: Vma | null;
  next: Vma | null;
  detached: Vma[];
  nr_pages: number;
  locked_vm: number;
  nr_accounted: number;
  exec_vm: number;
  stack_vm: number;
  data_vm: number;
  /** The page tables of the range are still to be freed. */
  clear_ptes: boolean;
}

// The predicates' reasons (note()), from the merge state and the VMA looked at.
const flagsDiffer: NoteReason = (vmg, vma) =>
  `flags differ (${flagWords(vma.vm_flags, vma.pkey, vma.sealed)} vs ${flagWords(vmg.vm_flags, vmg.pkey, vmg.sealed)})`;
const filesDiffer: NoteReason = (vmg, vma) =>
  `files differ (${vma.file ?? 'none'} vs ${vmg.file ?? 'none'})`;
const middleFromFork: NoteReason = (vmg) =>
  `${vmaName(vmg.middle)} came from fork (anon_vma chain not singular)`;
const targetFromFork: NoteReason = (_vmg, tgt) =>
  `${vmaName(tgt)} came from fork (anon_vma chain not singular)`;
const takesAnonVma: NoteReason = (vmg, tgt) => `${vmaName(tgt)} takes ${avName(vmg.anon_vma)}`;
const rangeTakesAnonVma: NoteReason = (_vmg, tgt) =>
  `the range takes ${vmaName(tgt)}'s ${avName(tgt.anon_vma)}`;
const sameAnonVma: NoteReason = (vmg) => `same anon_vma (${avName(vmg.anon_vma)})`;
const anonVmaDiffers: NoteReason = (vmg, tgt) =>
  `anon_vma differs (${avName(tgt.anon_vma)} vs ${avName(vmg.anon_vma)})`;
const pgoffBefore: NoteReason = (vmg, next) =>
  `pgoff not contiguous (${hex(vmg.pgoff + PHYS_PFN(vmg.end - vmg.start))} vs ${hex(next.vm_pgoff)})`;
const pgoffAfter: NoteReason = (vmg, prev) =>
  `pgoff not contiguous (${hex(prev.vm_pgoff + vma_pages(prev))} vs ${hex(vmg.pgoff)})`;
const neighboursAnonVmasDiffer: NoteReason = (vmg, next) =>
  `prev and next anon_vmas differ (${avName((vmg.prev as Vma).anon_vma)} vs ${avName(next.anon_vma)})`;

// mm/vma.c: is_mergeable_vma() (Linux 6.18)
function is_mergeable_vma(vmg: VmaMergeStruct, merge_next: boolean): boolean {
  const vma = (merge_next ? vmg.next : vmg.prev) as Vma;
  const fn = 'is_mergeable_vma';
  if (
    ((vma.vm_flags ^ vmg.vm_flags) & ~VM_IGNORE_MERGE) !== 0 ||
    vma.pkey !== vmg.pkey ||
    vma.sealed !== vmg.sealed
  ) {
    return note(vmg, fn, vma, false, flagsDiffer);
  }
  if (vma.vm_file !== vmg.vm_file) {
    return note(vmg, fn, vma, false, filesDiffer);
  }
  if (vma.anon_name !== vmg.anon_name) return note(vmg, fn, vma, false, 'anon names differ');
  return note(vmg, fn, vma, true, 'same flags, file, policy and name');
}

/**
 * mm/vma.c: vma_had_uncowed_parents() (Linux 6.18) — an anon_vma chain of more
 * than one link: the VMA came from fork() and still shares its parent's pages.
 */
function vma_had_uncowed_parents(vma: Vma | null): boolean {
  return vma !== null && vma.anon_vma !== null && vma.anon_vma_chain !== 1;
}

// mm/vma.c: is_mergeable_anon_vma() (Linux 6.18)
function is_mergeable_anon_vma(vmg: VmaMergeStruct, merge_next: boolean): boolean {
  const tgt = (merge_next ? vmg.next : vmg.prev) as Vma;
  const src = vmg.middle;
  const tgt_anon = tgt.anon_vma;
  const src_anon = vmg.anon_vma;
  const fn = 'is_mergeable_anon_vma';
  /* Case 1 - we will dup_anon_vma() from src into tgt. */
  if (tgt_anon === null && src_anon !== null) {
    if (vma_had_uncowed_parents(src)) {
      return note(vmg, fn, tgt, false, middleFromFork);
    }
    if (vma_had_uncowed_parents(vmg.copied_from)) {
      return note(vmg, fn, tgt, false, 'the copied VMA came from fork (chain not singular)');
    }
    return note(vmg, fn, tgt, true, takesAnonVma);
  }
  /* Case 2 - we will simply use tgt's anon_vma. */
  if (tgt_anon !== null && src_anon === null) {
    if (vma_had_uncowed_parents(tgt)) {
      return note(vmg, fn, tgt, false, targetFromFork);
    }
    return note(vmg, fn, tgt, true, rangeTakesAnonVma);
  }
  /* Case 3 - the anon_vma's are already shared. */
  if (src_anon === tgt_anon) return note(vmg, fn, tgt, true, sameAnonVma);
  return note(vmg, fn, tgt, false, anonVmaDiffers);
}

// mm/vma.c: can_vma_merge_before() (Linux 6.18)
function can_vma_merge_before(vmg: VmaMergeStruct): boolean {
  const next = vmg.next as Vma;
  const pglen = PHYS_PFN(vmg.end - vmg.start);
  if (is_mergeable_vma(vmg, true) && is_mergeable_anon_vma(vmg, true)) {
    if (next.vm_pgoff === vmg.pgoff + pglen) {
      return note(vmg, 'can_vma_merge_before', next, true, 'offsets continue');
    }
    return note(vmg, 'can_vma_merge_before', next, false, pgoffBefore);
  }
  return false;
}

// mm/vma.c: can_vma_merge_after() (Linux 6.18)
function can_vma_merge_after(vmg: VmaMergeStruct): boolean {
  const prev = vmg.prev as Vma;
  if (is_mergeable_vma(vmg, false) && is_mergeable_anon_vma(vmg, false)) {
    if (prev.vm_pgoff + vma_pages(prev) === vmg.pgoff) {
      return note(vmg, 'can_vma_merge_after', prev, true, 'offsets continue');
    }
    return note(vmg, 'can_vma_merge_after', prev, false, pgoffAfter);
  }
  return false;
}

// mm/vma.c: can_vma_merge_left() (Linux 6.18)
function can_vma_merge_left(vmg: VmaMergeStruct): boolean {
  if (vmg.prev === null) return note(vmg, 'can_vma_merge_left', null, false, 'no previous VMA');
  if (vmg.prev.vm_end !== vmg.start) {
    return note(
      vmg,
      'can_vma_merge_left',
      vmg.prev,
      false,
      'previous VMA does not touch the range',
    );
  }
  return can_vma_merge_after(vmg);
}

// mm/vma.c: can_vma_merge_right() (Linux 6.18)
function can_vma_merge_right(vmg: VmaMergeStruct, can_merge_left: boolean): boolean {
  const next = vmg.next;
  if (next === null) return note(vmg, 'can_vma_merge_right', null, false, 'no next VMA');
  if (vmg.end !== next.vm_start) {
    return note(vmg, 'can_vma_merge_right', next, false, 'next VMA does not touch the range');
  }
  if (!can_vma_merge_before(vmg)) return false;
  if (!can_merge_left) return true;
  /*
   * Mergeable with prev and with next does not make prev and next compatible
   * with each other: check their anon_vmas too (are_anon_vmas_compatible()).
   */
  const prev = vmg.prev as Vma;
  if (prev.anon_vma === null || next.anon_vma === null || prev.anon_vma === next.anon_vma) {
    return true;
  }
  return note(vmg, 'are_anon_vmas_compatible', next, false, neighboursAnonVmasDiffer);
}

/**
 * mm/vma.c: __split_vma() (Linux 6.18) — cut vma at addr; a new VMA (a copy
 * of vma) takes one side and vma keeps the other:
 *
 *   new_below:    [ new ... addr )[ vma ......... )
 *   otherwise:    [ vma ......... addr )[ new ... )
 *
 * It does not check max_map_count: split_vma() does, for vma_modify();
 * vms_gather_munmap_vmas() checks it itself, letting an unmap go one over
 * for a moment, because the unmap frees VMAs again. Returns both parts,
 * lower first.
 */
export function __split_vma(
  ctx: Ctx,
  vma: Vma,
  addr: number,
  new_below: boolean,
): Result<[Vma, Vma]> {
  WARN_ON(vma.vm_start >= addr, 'vma->vm_start >= addr', { vma });
  WARN_ON(vma.vm_end <= addr, 'vma->vm_end <= addr', { vma });
  const dup = ctx.allocate('vma', 'vm_area_dup');
  if (!dup.ok) return dup;
  const prealloc = ctx.allocate('maple', 'vma_iter_prealloc');
  // out_free_vma: the copy is freed; vma is as it was.
  if (!prealloc.ok) return prealloc;
  const id = ctx.newVmaId('vm_area_dup');
  anonVmaCloneEvents(ctx, id, vma);
  const upperPgoff = vma.vm_pgoff + PHYS_PFN(addr - vma.vm_start);
  const below = vmaRange(vma, vma.vm_start, addr, vma.vm_pgoff, new_below ? id : vma.id);
  const above = vmaRange(vma, addr, vma.vm_end, upperPgoff, new_below ? vma.id : id);
  // vma_complete() stores the new VMA; the old one changed in place.
  const [created, kept] = new_below ? [below, above] : [above, below];
  vma_iter_store_new(ctx, created);
  ctx.refresh(kept);
  ctx.set({ map_count: ctx.cur.map_count + 1 });
  ctx.step(
    '__split_vma',
    VMA_C,
    () =>
      `split vma${vma.id} at ${hex(addr)}: new vma${id} takes ${range(created.vm_start, created.vm_end)}`,
  );
  return ok([below, above]);
}

/** mm/vma.c: split_vma() (Linux 6.18) — __split_vma() within max_map_count. */
export function split_vma(
  ctx: Ctx,
  vma: Vma,
  addr: number,
  new_below: boolean,
): Result<[Vma, Vma]> {
  if (ctx.cur.map_count >= ctx.cur.kernel.maxMapCount) {
    const why = (): string => `map_count ${ctx.cur.map_count} reached vm.max_map_count`;
    return ctx.refuse('split_vma', VMA_C, 'ENOMEM', why);
  }
  return __split_vma(ctx, vma, addr, new_below);
}

/**
 * mm/vma.c: dup_anon_vma() (Linux 6.18) — when a merge moves a boundary, the
 * growing VMA takes the shrinking one's anon_vma (anon_vma_clone()). Returns
 * dst as it is now and `dup`, the kernel's `*dup`: whether dst took it, so
 * that a merge that fails later gives it back (unlink_anon_vmas()).
 */
function dup_anon_vma(ctx: Ctx, dst: Vma, src: Vma): { dst: Vma; dup: boolean } {
  if (src.anon_vma !== null && dst.anon_vma === null) {
    anonVmaCloneEvents(ctx, dst.id, src);
    const got = ctx.update(dst, { anon_vma: src.anon_vma, anon_vma_chain: src.anon_vma_chain });
    ctx.step('dup_anon_vma', VMA_C, () => `vma${dst.id} takes av${src.anon_vma} from vma${src.id}`);
    return { dst: got, dup: true };
  }
  return { dst, dup: false };
}

/** mm/vma.c: commit_merge() (Linux 6.18): apply the decided merge to the tree. */
function commit_merge(ctx: Ctx, vmg: VmaMergeStruct): Result<void> {
  const target = vmg.target as Vma;
  const middle = vmg.middle;
  const next = vmg.next;
  // init_multi_vma_prep(): the VMA written and the one whose start moves
  // must not have different anon_vmas (dup_anon_vma() saw to that).
  const written = (vmg.__adjust_next_start ? middle : target) as Vma;
  const adjust = vmg.__adjust_middle_start ? middle : vmg.__adjust_next_start ? next : null;
  const vp_anon_vma = written.anon_vma ?? adjust?.anon_vma ?? null;
  VM_WARN_ON(
    vp_anon_vma !== null &&
      adjust !== null &&
      adjust.anon_vma !== null &&
      vp_anon_vma !== adjust.anon_vma,
    'vp.anon_vma != adjust->anon_vma',
    { vma: written, adjust },
  );
  const prealloc = ctx.allocate('maple', 'vma_iter_prealloc');
  if (!prealloc.ok) return prealloc;

  if (vmg.__adjust_next_start) {
    /* We manipulate middle and adjust next, which is the target. */
    const m = middle as Vma;
    const n = next as Vma;
    const newNext = vmaRange(n, vmg.end, n.vm_end, n.vm_pgoff - PHYS_PFN(n.vm_start - vmg.end));
    const newMiddle = vmaRange(m, vmg.start, vmg.end, vmg.pgoff);
    // vma_iter_prealloc(vmg->vmi, middle): the preallocation's walk, which
    // traces a spanning write, carries middle; the store then writes next.
    if (ctx.events !== null) ctx.events.preallocFor(m);
    vma_iter_store_overwrite(ctx, newNext);
    ctx.refresh(newMiddle);
    vmg.target = newNext;
    vmg.next = newNext;
    vmg.middle = newMiddle;
  } else {
    const newTarget = vmaRange(target, vmg.start, vmg.end, vmg.pgoff);
    vma_iter_store_overwrite(ctx, newTarget);
    vmg.target = newTarget;
    if (vmg.__adjust_middle_start) {
      const m = middle as Vma;
      const newMiddle = vmaRange(m, vmg.end, m.vm_end, m.vm_pgoff + PHYS_PFN(vmg.end - m.vm_start));
      ctx.refresh(newMiddle);
      vmg.middle = newMiddle;
    }
  }
  // vma_complete() frees the removed VMAs; one removed alone must lie
  // within what the merged VMA now covers.
  if (vmg.__remove_middle !== vmg.__remove_next) {
    const gone = (vmg.__remove_middle ? middle : next) as Vma;
    const t = vmg.target as Vma;
    WARN_ON(t.vm_end < gone.vm_end, 'vp->vma->vm_end < vp->remove->vm_end', { vma: t, gone });
  }
  let removed = 0;
  if (vmg.__remove_middle) removed++;
  if (vmg.__remove_next) removed++;
  // mm/vma.c: vma_complete() (Linux 6.18) frees vp->remove, then vp->remove2.
  if (ctx.events !== null) {
    if (vmg.__remove_middle) vmaFreed(ctx, middle as Vma, 'vma_complete');
    if (vmg.__remove_next) vmaFreed(ctx, next as Vma, 'vma_complete');
  }
  if (removed) ctx.set({ map_count: ctx.cur.map_count - removed });
  return ok(undefined);
}

/**
 * Model helper (event log only): the VMA's vm_area_struct is freed by
 * `site`, after its anon_vma chains (unlink_anon_vmas()).
 */
function vmaFreed(ctx: Ctx, vma: Vma, site: string): void {
  const log = ctx.events as KernelEventLog;
  // mm/rmap.c: unlink_anon_vmas() (Linux 6.18), in anon_vma_merge(); munmap's
  // VMAs lost theirs in free_pgtables() already.
  log.chainsFree(vma.id);
  log.free('vm_area_struct', `vma${vma.id}`, site);
}

/**
 * Model helper: the target of a merge keeps the sticky flags (VM_STICKY) of
 * every VMA it took in, as vma_merge_existing_range() and vma_expand() set.
 */
function setSticky(ctx: Ctx, vmg: VmaMergeStruct, sticky: number): void {
  const t = vmg.target as Vma;
  if ((t.vm_flags | sticky) >>> 0 !== t.vm_flags) {
    vmg.target = ctx.update(t, { vm_flags: (t.vm_flags | sticky) >>> 0 });
  }
}

// mm/vma.c: can_merge_remove_vma() (Linux 6.18)
// We can only remove VMAs when merging if they do not have a close hook.
function can_merge_remove_vma(vma: Vma): boolean {
  return !vma.vm_ops_close;
}

/**
 * vma_merge_existing_range() gives up: a step saying why (a traced run's
 * only: the range and the merge state are put in words for it), and no VMA.
 */
function noMerge(ctx: Ctx, vmg: VmaMergeStruct, start: number, end: number, why: Why): null {
  if (!ctx.tracing) return null;
  const where = range(start, end);
  ctx.step('vma_merge_existing_range', VMA_C, `no merge for ${where}: ${why}`, vmgTrace(ctx, vmg));
  return null;
}

/**
 * mm/vma.c: vma_merge_existing_range() (Linux 6.18) — the part
 * [vmg.start, vmg.end) of vmg.middle is about to get new attributes: if the
 * neighbour on that side already has them, the neighbour takes the part
 * over instead of middle being split. `#` is the part, `=` what grows:
 *
 *   both sides:   prev  |####middle####|  next
 *                 |==========================|   prev; middle, next freed
 *
 *   left side:    prev  |####|--middle--|         or   prev |####middle####|
 *                 |=========|---middle--|              |==================|
 *                                                      (middle freed)
 *   right side:   |--middle--|####|  next         or   |####middle####| next
 *                 |--middle--|=========|               |==================|
 *                                                      (middle freed)
 *
 * A part that touches neither end of middle cannot merge. Returns the VMA
 * that took the part, or null with vmg.state saying why.
 *
 * ASSUMPTIONS (the kernel's, in other words):
 * - the caller put the VMA to change in vmg.middle and its predecessor, if
 *   any, in vmg.prev; vmg.next is left for this function to find;
 * - the mmap lock is held for writing (the model runs one call at a time);
 * - the iterator is inside middle (the model has no iterator state).
 */
export function vma_merge_existing_range(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  const middle = vmg.middle as Vma;
  const prev = vmg.prev;
  const start = vmg.start;
  const end = vmg.end;
  const left_side = start === middle.vm_start;
  const right_side = end === middle.vm_end;
  const fn = 'vma_merge_existing_range';
  VM_WARN_ON_VMG(vmg.middle === null, 'the caller must give middle', vmg);
  VM_WARN_ON_VMG(vmg.next !== null, 'next is ours to set', vmg);
  VM_WARN_ON_VMG(prev !== null && start <= prev.vm_start, 'start <= prev->vm_start', vmg);
  VM_WARN_ON_VMG(start >= end, 'start >= end', vmg);
  // Offset into middle only when prev is middle; never past its end.
  VM_WARN_ON_VMG(
    (middle.id !== prev?.id && start !== middle.vm_start) || end > middle.vm_end,
    'the range is not within middle as prev says',
    vmg,
  );

  vmg.state = 'VMA_MERGE_NOMERGE';
  if (vmg.vm_flags & VM_SPECIAL) {
    return noMerge(ctx, vmg, start, end, 'special mapping (VM_SPECIAL)');
  }
  if (!left_side && !right_side) {
    return noMerge(ctx, vmg, start, end, 'the range touches neither end of the VMA');
  }

  const merge_left0 = left_side && can_vma_merge_left(vmg);
  let next: Vma | null = null;
  let merge_right = false;
  if (right_side) {
    next = vmg.next = find_vma_intersection(ctx, middle.vm_end, Infinity);
    merge_right = can_vma_merge_right(vmg, merge_left0);
  }
  const merge_left = merge_left0;
  if (!merge_left && !merge_right) {
    return noMerge(ctx, vmg, start, end, 'neither neighbour can take it');
  }

  let merge_both = merge_left && merge_right;
  /* If we span the entire VMA, a merge implies it will be deleted. */
  vmg.__remove_middle = left_side && right_side;
  if (vmg.__remove_middle && !can_merge_remove_vma(middle)) {
    return noMerge(ctx, vmg, start, end, `vma${middle.id} has a close hook and cannot be removed`);
  }
  vmg.__remove_next = merge_both;
  if (vmg.__remove_next && !can_merge_remove_vma(next as Vma)) {
    vmg.__remove_next = false;
    merge_right = false;
    merge_both = false;
  }

  let sticky = (vmg.vm_flags & VM_STICKY) | (middle.vm_flags & VM_STICKY);
  if (merge_right) {
    vmg.target = next;
    sticky |= (next as Vma).vm_flags & VM_STICKY;
  }
  if (merge_left) vmg.target = prev;

  // What the merge does, in words: only a traced run says it.
  let what = '';
  let anon_dup: boolean;
  if (merge_both) {
    const p = prev as Vma;
    const n = next as Vma;
    vmg.start = p.vm_start;
    vmg.end = n.vm_end;
    vmg.pgoff = p.vm_pgoff;
    ({ dst: vmg.target, dup: anon_dup } = dup_anon_vma(ctx, p, n.anon_vma !== null ? n : middle));
    vmg.prev = vmg.target;
    if (ctx.tracing)
      what = `vma${p.id} grows over vma${middle.id} and vma${n.id}, which are deleted`;
  } else if (merge_left) {
    const p = prev as Vma;
    vmg.start = p.vm_start;
    vmg.pgoff = p.vm_pgoff;
    if (!vmg.__remove_middle) vmg.__adjust_middle_start = true;
    ({ dst: vmg.target, dup: anon_dup } = dup_anon_vma(ctx, p, middle));
    vmg.prev = vmg.target;
    if (ctx.tracing) {
      what = vmg.__remove_middle
        ? `vma${p.id} grows over vma${middle.id}, which is deleted`
        : `vma${p.id} grows over ${range(start, end)}; vma${middle.id} shrinks`;
    }
  } else {
    const n = next as Vma;
    const pglen = PHYS_PFN(vmg.end - vmg.start);
    VM_WARN_ON_VMG(!merge_right, 'merging right without merge_right', vmg);
    // If we are offset into a VMA, then prev must be middle.
    VM_WARN_ON_VMG(
      vmg.start > middle.vm_start && prev !== null && middle.id !== prev.id,
      'offset into middle but prev is not middle',
      vmg,
    );
    if (vmg.__remove_middle) {
      vmg.end = n.vm_end;
      vmg.pgoff = n.vm_pgoff - pglen;
    } else {
      /* We shrink middle and expand next. */
      vmg.__adjust_next_start = true;
      vmg.start = middle.vm_start;
      vmg.end = start;
      vmg.pgoff = middle.vm_pgoff;
    }
    ({ dst: vmg.target, dup: anon_dup } = dup_anon_vma(ctx, n, middle));
    vmg.next = vmg.target;
    if (ctx.tracing) {
      what = vmg.__remove_middle
        ? `vma${n.id} grows down over vma${middle.id}, which is deleted`
        : `vma${n.id} grows down over ${range(start, end)}; vma${middle.id} shrinks`;
    }
  }

  if (!commit_merge(ctx, vmg).ok) {
    // abort: nothing was moved, but the anon_vma dup_anon_vma() gave the
    // target is taken back.
    if (anon_dup) {
      const t = unlink_anon_vmas(ctx, vmg.target as Vma);
      if (vmg.prev?.id === t.id) vmg.prev = t;
      if (vmg.next?.id === t.id) vmg.next = t;
      vmg.target = t;
    }
    if (!vmg.give_up_on_oom) vmg.state = 'VMA_MERGE_ERROR_NOMEM';
    ctx.step(fn, VMA_C, 'ENOMEM: merge aborted: out of memory', {
      ...vmgTrace(ctx, vmg),
      errno: 'ENOMEM',
    });
    return null;
  }
  setSticky(ctx, vmg, sticky);
  vmg.state = 'VMA_MERGE_SUCCESS';
  const merged = vmg.target as Vma;
  if (ctx.tracing) {
    ctx.step(fn, VMA_C, `merge: ${what}`, vmgDecisionTrace(ctx, vmg, merged.anon_vma));
  }
  return vmg.target;
}

/**
 * mm/vma.c: vma_merge_new_range() (Linux 6.18) — a new range [start, end)
 * between vmg.prev and vmg.next is about to be mapped: extend a neighbour
 * with the same attributes over it instead (`#` the range, `=` what grows):
 *
 *   prev only:    |-prev-|####|          ->  |=prev=======|
 *   next only:          |####|-next-|    ->        |=next========|
 *   both:         |-prev-|####|-next-|   ->  |=prev==============|
 *                                            (next freed, unless it has a
 *                                             close hook: then prev only)
 *
 * Returns the VMA that grew, or null with vmg.state saying why.
 *
 * ASSUMPTIONS (the kernel's, in other words):
 * - [start, end) is free but for VMAs the caller unmaps if this succeeds;
 * - vmg.prev and vmg.next are the VMAs around the range (or null);
 * - the mmap lock is held for writing, the iterator at or before the gap.
 */
export function vma_merge_new_range(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  const prev = vmg.prev;
  const next = vmg.next;
  const end = vmg.end;
  const fn = 'vma_merge_new_range';
  VM_WARN_ON_VMG(vmg.middle !== null, 'a new range has no middle', vmg);

  vmg.state = 'VMA_MERGE_NOMERGE';
  if (vmg.vm_flags & VM_SPECIAL) {
    if (ctx.tracing) {
      ctx.step(fn, VMA_C, 'no merge: special mapping (VM_SPECIAL)', vmgTrace(ctx, vmg));
    }
    return null;
  }
  if (prev === null && next === null) {
    if (ctx.tracing) ctx.step(fn, VMA_C, 'no merge: no neighbours', vmgTrace(ctx, vmg));
    return null;
  }
  const can_merge_left = can_vma_merge_left(vmg);
  const can_merge_right = !vmg.just_expand && can_vma_merge_right(vmg, can_merge_left);

  if (can_merge_right) {
    vmg.end = (next as Vma).vm_end;
    vmg.target = next;
  }
  if (can_merge_left) {
    vmg.start = (prev as Vma).vm_start;
    vmg.target = prev;
    vmg.pgoff = (prev as Vma).vm_pgoff;
    if (can_merge_right && !can_merge_remove_vma(next as Vma)) vmg.end = end;
  }
  if (vmg.target === null) {
    if (ctx.tracing) ctx.step(fn, VMA_C, 'no merge: neither neighbour matches', vmgTrace(ctx, vmg));
    return null;
  }
  if (ctx.tracing) {
    const what =
      can_merge_left && vmg.end === (next?.vm_end ?? -1) && can_merge_right
        ? `vma${prev?.id} grows over the range and vma${next?.id}`
        : can_merge_left
          ? `vma${prev?.id} grows up over the range`
          : `vma${next?.id} grows down over the range`;
    ctx.step(fn, VMA_C, `merge: ${what}`, vmgDecisionTrace(ctx, vmg, expandedAnonVma(vmg)));
  }
  if (vma_expand(ctx, vmg).ok) {
    vmg.state = 'VMA_MERGE_SUCCESS';
    return vmg.target;
  }
  return null;
}

/**
 * Model helper: the anon_vma vmg.target will have once vma_expand() has
 * grown it — its own, else the one dup_anon_vma() takes from a next it
 * removes or from the VMA mremap copies.
 */
function expandedAnonVma(vmg: VmaMergeStruct): number | null {
  const target = vmg.target as Vma;
  const next = vmg.next;
  const removesNext = next !== null && next.id !== target.id && vmg.end === next.vm_end;
  return (
    target.anon_vma ?? (removesNext ? next.anon_vma : null) ?? vmg.copied_from?.anon_vma ?? null
  );
}

/**
 * mm/vma.c: vma_expand() (Linux 6.18) — vmg.target grows to [vmg.start,
 * vmg.end), freeing vmg.next if the new end is next's end. Whether next may
 * be freed is the caller's to decide.
 *
 * ASSUMPTIONS (the kernel's, in other words):
 * - the mmap lock is held for writing;
 * - the caller set vmg.target and vmg.next.
 */
export function vma_expand(ctx: Ctx, vmg: VmaMergeStruct): Result<void> {
  let target = vmg.target as Vma;
  const next = vmg.next;
  let sticky = (vmg.vm_flags & VM_STICKY) | (target.vm_flags & VM_STICKY);
  let remove_next = false;
  let anon_dup = false;
  if (next !== null && next.id !== target.id && vmg.end === next.vm_end) {
    sticky |= next.vm_flags & VM_STICKY;
    remove_next = true;
    // The caller checked this already.
    VM_WARN_ON_VMG(!can_merge_remove_vma(next), 'next has a close hook', vmg);
    ({ dst: target, dup: anon_dup } = dup_anon_vma(ctx, target, next));
  }
  if (vmg.copied_from !== null) {
    // mremap: the pages of the copied VMA move into target, with its anon_vma.
    const d = dup_anon_vma(ctx, target, vmg.copied_from);
    target = d.dst;
    anon_dup ||= d.dup;
  }
  // Overwriting part of next without removing it is not handled.
  VM_WARN_ON_VMG(
    next !== null && !remove_next && next.id !== target.id && vmg.end > next.vm_start,
    'the range overlaps next, which stays',
    vmg,
  );
  // Only handles expanding.
  VM_WARN_ON_VMG(
    target.vm_start < vmg.start || target.vm_end > vmg.end,
    'target would shrink',
    vmg,
  );
  vmg.target = target;
  if (remove_next) vmg.__remove_next = true;
  const committed = commit_merge(ctx, vmg);
  if (!committed.ok) {
    // nomem: give back the anon_vma dup_anon_vma() gave the target.
    if (anon_dup) vmg.target = unlink_anon_vmas(ctx, target);
    if (!vmg.give_up_on_oom) vmg.state = 'VMA_MERGE_ERROR_NOMEM';
    ctx.step('vma_expand', VMA_C, 'ENOMEM: out of memory', { errno: 'ENOMEM' });
    return committed;
  }
  setSticky(ctx, vmg, sticky);
  const t = vmg.target as Vma;
  ctx.step(
    'vma_expand',
    VMA_C,
    () =>
      `vma${t.id} now spans ${range(t.vm_start, t.vm_end)}` +
      (remove_next ? ` (vma${(next as Vma).id} deleted)` : ''),
  );
  return ok(undefined);
}

/**
 * mm/vma.c: vma_shrink() (Linux 6.18) — the VMA keeps [start, end) of
 * itself, which must share one of its ends:
 *
 *   keep the bottom:  |=====keep=====|--cut--|
 *   keep the top:     |--cut--|=====keep=====|
 *   not the middle:   |-cut-|==keep==|-cut-|   (WARN_ON)
 */
export function vma_shrink(
  ctx: Ctx,
  vma: Vma,
  start: number,
  end: number,
  pgoff: number,
): Result<Vma> {
  WARN_ON(vma.vm_start !== start && vma.vm_end !== end, 'shrinking from both ends', {
    vma,
    start,
    end,
  });
  const prealloc = ctx.allocate('maple', 'vma_iter_prealloc');
  if (!prealloc.ok) return prealloc;
  if (vma.vm_start < start) vma_iter_clear(ctx, vma.vm_start, start);
  else vma_iter_clear(ctx, end, vma.vm_end);
  const got = ctx.update(vma, { vm_start: start, vm_end: end, vm_pgoff: pgoff });
  ctx.step('vma_shrink', VMA_C, () => `vma${vma.id} shrinks to ${range(start, end)}`);
  return ok(got);
}

/**
 * mm/vma.c: vms_clear_ptes() (Linux 6.18) — free the page tables of the
 * range, once; the guard markers (page table entries) go with them.
 */
function vms_clear_ptes(ctx: Ctx, vms: VmaMunmapStruct): void {
  if (!vms.clear_ptes) return;
  // mm/memory.c: free_pgtables() (Linux 6.18) unlinks each VMA's anon_vma chains.
  if (ctx.events !== null) {
    ctx.events.zap(vms.start, vms.end);
    for (const v of vms.detached) ctx.events.chainsFree(v.id);
  }
  const guards = ctx.cur.guards;
  const keep = guardsRemove(guards, vms.start / PAGE_SIZE, vms.end / PAGE_SIZE);
  if (keep !== guards) ctx.set({ guards: keep });
  vms.clear_ptes = false;
}

/** mm/vma.c: vms_clean_up_area() (Linux 6.18) — clear the page tables before the VMAs go. */
function vms_clean_up_area(ctx: Ctx, vms: VmaMunmapStruct): void {
  if (!vms.nr_pages) return;
  vms_clear_ptes(ctx, vms);
}

/**
 * mm/vma.c: vms_complete_munmap_vmas() (Linux 6.18) — the gathered VMAs are
 * gone: update the counters and drop the page tables (guard markers) of the
 * range. The tree no longer holds them (cleared or overwritten by the caller).
 */
export function vms_complete_munmap_vmas(ctx: Ctx, vms: VmaMunmapStruct): void {
  if (vms.detached.length === 0) return;
  const mm = ctx.cur;
  // Paranoid bookkeeping.
  VM_WARN_ON(vms.exec_vm > mm.exec_vm, 'vms->exec_vm > mm->exec_vm', {
    vms: vms.exec_vm,
    mm: mm.exec_vm,
  });
  VM_WARN_ON(vms.stack_vm > mm.stack_vm, 'vms->stack_vm > mm->stack_vm', {
    vms: vms.stack_vm,
    mm: mm.stack_vm,
  });
  VM_WARN_ON(vms.data_vm > mm.data_vm, 'vms->data_vm > mm->data_vm', {
    vms: vms.data_vm,
    mm: mm.data_vm,
  });
  ctx.set({
    map_count: mm.map_count - vms.detached.length,
    locked_vm: mm.locked_vm - vms.locked_vm,
    total_vm: mm.total_vm - vms.nr_pages,
    exec_vm: mm.exec_vm - vms.exec_vm,
    stack_vm: mm.stack_vm - vms.stack_vm,
    data_vm: mm.data_vm - vms.data_vm,
  });
  vms_clear_ptes(ctx, vms);
  // mm/vma.c: vms_complete_munmap_vmas() (Linux 6.18): remove_vma() of each.
  if (ctx.events !== null)
    for (const v of vms.detached) vmaFreed(ctx, v, 'vms_complete_munmap_vmas');
  ctx.step(
    'vms_complete_munmap_vmas',
    VMA_C,
    () => `freed ${vms.detached.map((v) => `vma${v.id}`).join(', ')}`,
  );
}

/** A refusal of vms_gather_munmap_vmas(): the errno, with the check that failed. */
function refuseGather(ctx: Ctx, e: Errno, why: Why): Result<void> {
  return ctx.refuse('vms_gather_munmap_vmas', VMA_C, e, why);
}

/**
 * mm/vma.c: vms_gather_munmap_vmas() (Linux 6.18) — split the VMAs that
 * straddle the ends of the range and gather the ones inside, still in the
 * tree. A sealed VMA fails the call with EPERM after the start split.
 */
export function vms_gather_munmap_vmas(ctx: Ctx, vms: VmaMunmapStruct, first: Vma): Result<void> {
  const fn = 'vms_gather_munmap_vmas';
  let vma = first;
  if (vms.start > vma.vm_start) {
    if (vms.end < vma.vm_end && ctx.cur.map_count >= ctx.cur.kernel.maxMapCount) {
      return refuseGather(
        ctx,
        'ENOMEM',
        () => `map_count ${ctx.cur.map_count} reached vm.max_map_count`,
      );
    }
    // Don't bother splitting a VMA that cannot be unmapped anyway.
    // start_split_failed / map_count_exceeded: nothing was detached yet.
    if (vma.sealed) return refuseGather(ctx, 'EPERM', () => `vma${vma.id} is sealed`);
    const r = __split_vma(ctx, vma, vms.start, true);
    if (!r.ok) return r;
    vma = r.value[1];
  }
  vms.prev = vma_prev(ctx, vms.start);
  let cur: Vma | null = vma;
  while (cur !== null && cur.vm_start < vms.end) {
    // modify_vma_failed / end_split_failed / munmap_gather_failed:
    // reattach_vmas() — here the gathered VMAs never left the tree, and a
    // split already made stays, as in the kernel.
    if (cur.sealed) return refuseGather(ctx, 'EPERM', `vma${cur.id} is sealed`);
    if (cur.vm_end > vms.end) {
      const r = __split_vma(ctx, cur, vms.end, false);
      if (!r.ok) return r;
      cur = r.value[0];
    }
    const stored = ctx.allocate('maple', 'mas_store_gfp');
    if (!stored.ok) return stored;
    vms.detached.push(cur);
    if (ctx.events !== null) ctx.events.detachStore(vms.detached.length - 1, `vma${cur.id}`);
    // CONFIG_DEBUG_VM_MAPLE_TREE: what is gathered lies within the range.
    BUG_ON(cur.vm_start < vms.start, 'next->vm_start < vms->start', { vma: cur });
    BUG_ON(cur.vm_start > vms.end, 'next->vm_start > vms->end', { vma: cur });
    const n = vma_pages(cur);
    vms.nr_pages += n;
    if (cur.vm_flags & VM_LOCKED) vms.locked_vm += n;
    if (cur.vm_flags & VM_ACCOUNT) vms.nr_accounted += n;
    const f = cur.vm_flags;
    if ((f & (VM_EXEC | VM_WRITE | VM_STACK)) === VM_EXEC) vms.exec_vm += n;
    else if ((f & VM_STACK) === VM_STACK) vms.stack_vm += n;
    else if ((f & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE) vms.data_vm += n;
    cur = find_vma_intersection(ctx, cur.vm_end, vms.end);
  }
  vms.next = find_vma(ctx, vms.end);
  if (vms.next !== null && vms.next.vm_start < vms.end) vms.next = null;
  vms.clear_ptes = true;
  ctx.step(fn, VMA_C, () =>
    vms.detached.length
      ? `gather ${vms.detached.map((v) => `vma${v.id}`).join(', ')} to unmap ${range(vms.start, vms.end)}`
      : `nothing mapped in ${range(vms.start, vms.end)}`,
  );
  return ok(undefined);
}

/** mm/vma.c: init_vma_munmap() (Linux 6.18) — an empty unmap of [start, end). */
export function init_vma_munmap(start: number, end: number): VmaMunmapStruct {
  return {
    start,
    end,
    prev: null,
    next: null,
    detached: [],
    nr_pages: 0,
    locked_vm: 0,
    nr_accounted: 0,
    exec_vm: 0,
    stack_vm: 0,
    data_vm: 0,
    clear_ptes: false,
  };
}

/**
 * mm/vma.c: do_vmi_align_munmap() (Linux 6.18) — unmap [start, end) whose
 * first VMA is `vma`.
 */
export function do_vmi_align_munmap(ctx: Ctx, vma: Vma, start: number, end: number): Result<void> {
  const vms = init_vma_munmap(start, end);
  const g = vms_gather_munmap_vmas(ctx, vms, vma);
  // gather_failed:
  if (!g.ok) return g;
  const cleared = ctx.allocate('maple', 'vma_iter_clear_gfp');
  // clear_tree_failed: reattach_vmas(), nothing to do in the model.
  if (!cleared.ok) return cleared;
  // Point of no return.
  vma_iter_clear_gfp(ctx, start, end);
  ctx.step('vma_iter_clear_gfp', VMA_C, () => `clear ${range(start, end)} in the maple tree`);
  vms_complete_munmap_vmas(ctx, vms);
  return ok(undefined);
}

/** A refusal of do_vmi_munmap(): EINVAL, with the check that failed. */
function refuseMunmap(ctx: Ctx, why: Why): Result<number> {
  return ctx.refuse('do_vmi_munmap', VMA_C, 'EINVAL', why);
}

/** mm/vma.c: do_vmi_munmap() (Linux 6.18). */
export function do_vmi_munmap(ctx: Ctx, start: number, len: number): Result<number> {
  if (start % PAGE_SIZE !== 0)
    return refuseMunmap(ctx, () => `start ${hex(start)} is not page aligned`);
  if (start > TASK_SIZE || len > TASK_SIZE - start) {
    return refuseMunmap(ctx, () => `${hex(start)} + ${hex(len)} ends above TASK_SIZE`);
  }
  const end = start + PAGE_ALIGN(len);
  if (end === start) return refuseMunmap(ctx, 'len is 0');
  const vma = find_vma_intersection(ctx, start, end);
  if (vma === null) return ok(0);
  const r = do_vmi_align_munmap(ctx, vma, start, end);
  return r.ok ? ok(0) : r;
}

/**
 * mm/vma.c: vma_modify() (Linux 6.18) — [vmg.start, vmg.end) of vmg.middle
 * is about to change (flags, name, ...): merge it into a neighbour if one
 * matches; otherwise split off what lies outside it, so that one VMA covers
 * exactly the range:
 *
 *   merged:        see vma_merge_existing_range()
 *   split twice:   |--middle--[####]--middle--|  ->  |----|[####]|----|
 *   split once:    [####]--middle--|             ->  [####]|--------|
 *
 * The vma_modify_*() functions are the only way in: below them errors are
 * the kernel's own (a VMA or null plus vmg.state); above, a Result.
 */
export function vma_modify(ctx: Ctx, vmg: VmaMergeStruct): Result<Vma> {
  let vma = vmg.middle as Vma;
  const start = vmg.start;
  const end = vmg.end;
  const merged = vma_merge_existing_range(ctx, vmg);
  if (merged !== null) return ok(merged);
  if (vmg.state === 'VMA_MERGE_ERROR_NOMEM') return err('ENOMEM');
  if (vma.vm_start < start) {
    const r = split_vma(ctx, vma, start, true);
    if (!r.ok) return r;
    vma = r.value[1];
  }
  if (vma.vm_end > end) {
    const r = split_vma(ctx, vma, end, false);
    if (!r.ok) return r;
    vma = r.value[0];
  }
  return ok(vma);
}

/**
 * mm/vma.c: vma_modify_name() (Linux 6.18) — [start, end) of vma gets the
 * anonymous name `anon_name`; names take part in merging as flags do.
 */
export function vma_modify_name(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
  anon_name: string | null,
): Result<Vma> {
  return vma_modify_flags(ctx, prev, vma, start, end, vma.vm_flags, { anon_name });
}

/**
 * mm/vma.c: vma_modify_flags() (Linux 6.18). On success the VMA covering
 * [start, end) is returned with `flags` (the sticky flags a merge kept
 * included) already applied (the caller's vm_flags_reset()).
 */
export function vma_modify_flags(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
  flags: number,
  extra: { pkey?: number; sealed?: boolean; anon_name?: string | null } = {},
): Result<Vma> {
  const vmg = VMG_VMA_STATE(ctx, prev, vma, start, end);
  vmg.vm_flags = flags >>> 0;
  if (extra.pkey !== undefined) vmg.pkey = extra.pkey;
  if (extra.sealed !== undefined) vmg.sealed = extra.sealed;
  // vma_modify_name(): the name is part of the merge state as the flags are.
  if (extra.anon_name !== undefined) vmg.anon_name = extra.anon_name;
  const r = vma_modify(ctx, vmg);
  if (!r.ok) return r;
  let got = r.value;
  const newFlags =
    vmg.state === 'VMA_MERGE_SUCCESS' ? (flags | (got.vm_flags & VM_STICKY)) >>> 0 : flags >>> 0;
  if (
    got.vm_flags !== newFlags ||
    got.pkey !== vmg.pkey ||
    got.sealed !== vmg.sealed ||
    got.anon_name !== vmg.anon_name
  ) {
    got = ctx.update(got, {
      vm_flags: newFlags,
      pkey: vmg.pkey,
      sealed: vmg.sealed,
      anon_name: vmg.anon_name,
    });
  }
  return ok(got);
}

/**
 * mm/vma.c: vma_merge_extend() (Linux 6.18) — mremap() grows vma by delta
 * bytes where it is: the new range is merged into vma, and into the VMA above
 * too if that one matches.
 */
export function vma_merge_extend(ctx: Ctx, vma: Vma, delta: number): Result<Vma> {
  const vmg = VMG_VMA_STATE(ctx, vma, vma, vma.vm_end, vma.vm_end + delta);
  vmg.next = find_vma(ctx, vma.vm_end);
  // vma only lends its attributes: to the merge this is a new range.
  vmg.middle = null;
  const merged = vma_merge_new_range(ctx, vmg);
  // The kernel returns NULL, which expand_vma_in_place() answers with ENOMEM.
  return merged !== null ? ok(merged) : err('ENOMEM');
}

/**
 * mm/vma.c: copy_vma() (Linux 6.18) — the VMA's copy at [addr, addr + len):
 * merged with the neighbours there if possible, else a new VMA. An anonymous
 * VMA that was never written to takes the new address as its pgoff (so it
 * can merge); one with an anon_vma keeps its pgoff.
 */
export function copy_vma(
  ctx: Ctx,
  vma: Vma,
  addr: number,
  len: number,
  pgoff: number,
): Result<{ new_vma: Vma; source: Vma }> {
  const vma_start = vma.vm_start;
  let faulted_in_anon_vma = true;
  if (vma_is_anonymous(vma) && vma.anon_vma === null) {
    pgoff = PHYS_PFN(addr);
    faulted_in_anon_vma = false;
  }
  const vmg = VMG_VMA_STATE(ctx, null, vma, addr, addr + len);
  // find_vma_prev(): mremap() cleared the destination, so nothing is there.
  const there = find_vma(ctx, addr);
  if (there !== null && there.vm_start < addr + len) return err('ENOMEM'); // should never get here
  vmg.prev = vma_prev(ctx, addr);
  vmg.pgoff = pgoff;
  vmg.next = find_vma(ctx, addr);
  vmg.copied_from = vma;
  vmg.middle = null;
  const merged = vma_merge_new_range(ctx, vmg);
  if (merged !== null) {
    let source = vma_lookup(ctx, vma_start) ?? vma;
    if (vma_start >= merged.vm_start && vma_start < merged.vm_end) {
      // Only a VMA never faulted in took the destination's pgoff, which
      // is what let it merge with itself.
      VM_BUG_ON_VMA(faulted_in_anon_vma, 'faulted_in_anon_vma', merged);
      source = merged;
    }
    return ok({ new_vma: merged, source });
  }
  // Not merged (a merge out of memory included): a copy of its own.
  const dup = ctx.allocate('vma', 'vm_area_dup');
  // out: copy_vma() returns NULL, which move_vma() answers with ENOMEM.
  if (!dup.ok) return dup;
  const linked = ctx.allocate('maple', 'vma_link');
  // out_vma_link: the copy is unlinked from its anon_vmas and freed.
  if (!linked.ok) return linked;
  const src = vma_lookup(ctx, vma_start) ?? vma;
  const created = vmaRange(src, addr, addr + len, pgoff, ctx.newVmaId('vm_area_dup'));
  anonVmaCloneEvents(ctx, created.id, src);
  vma_iter_store_new(ctx, created);
  ctx.set({ map_count: ctx.cur.map_count + 1 });
  ctx.step(
    'copy_vma',
    VMA_C,
    () => `new vma${created.id} ${range(addr, addr + len)} copies vma${vma.id}`,
  );
  return ok({ new_vma: created, source: src });
}

/**
 * mm/vma.c: anon_vma_compatible() (Linux 6.18) — a and b (a below b) could
 * share an anon_vma: adjacent, same file and offsets, flags equal but for
 * the access bits.
 */
function anon_vma_compatible(a: Vma, b: Vma): boolean {
  return (
    a.vm_end === b.vm_start &&
    a.vm_file === b.vm_file &&
    ((a.vm_flags ^ b.vm_flags) & ~(VM_ACCESS_FLAGS | VM_IGNORE_MERGE)) === 0 &&
    a.pkey === b.pkey &&
    a.sealed === b.sealed &&
    b.vm_pgoff === a.vm_pgoff + PHYS_PFN(b.vm_start - a.vm_start)
  );
}

// mm/vma.c: reusable_anon_vma() (Linux 6.18)
function reusable_anon_vma(old: Vma, a: Vma, b: Vma): number | null {
  if (anon_vma_compatible(a, b) && old.anon_vma !== null && old.anon_vma_chain === 1) {
    return old.anon_vma;
  }
  return null;
}

/** mm/vma.c: find_mergeable_anon_vma() (Linux 6.18) — a neighbour's anon_vma to reuse. */
export function find_mergeable_anon_vma(ctx: Ctx, vma: Vma): number | null {
  const next = vma_lookup(ctx, vma.vm_end);
  if (next !== null) {
    const av = reusable_anon_vma(next, vma, next);
    if (av !== null) return av;
  }
  const prev = vma_prev(ctx, vma.vm_start);
  if (prev !== null) return reusable_anon_vma(prev, prev, vma);
  return null;
}

/** mm/vma.c: accountable_mapping() (Linux 6.18) — private writable memory is charged. */
function accountable_mapping(vm_flags: number): boolean {
  return (
    (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE && !(vm_flags & VM_HUGETLB)
  );
}

/**
 * mm/vma.c: vms_abort_munmap_vmas() (Linux 6.18) — a mapping failed after
 * __mmap_setup() gathered what it replaces. Before the page tables went the
 * gathered VMAs are simply reattached (here they never left the tree); after,
 * their contents are gone and the kernel leaves a hole where they were.
 */
function vms_abort_munmap_vmas(ctx: Ctx, vms: VmaMunmapStruct): void {
  if (!vms.nr_pages) return;
  // reattach_vmas()
  if (vms.clear_ptes) return;
  // __GFP_NOFAIL: this store cannot fail, so fault injection skips it.
  vma_iter_clear_gfp(ctx, vms.start, vms.end);
  ctx.step('vms_abort_munmap_vmas', VMA_C, () => `${range(vms.start, vms.end)} is left unmapped`);
  vms_complete_munmap_vmas(ctx, vms);
}

/** mm/vma.c: struct mmap_state (Linux 6.18), the fields this model keeps. */
interface MmapState {
  addr: number;
  end: number;
  pgoff: number;
  pglen: number;
  vm_flags: number;
  /** The protection key the new VMA takes (the kernel keeps it in vm_flags). */
  pkey: number;
  file: { id: number; path: string } | null;
  /** Pages __mmap_setup() charged, given back at `unacct_error:`. */
  charged: number;
  vms: VmaMunmapStruct;
  prev: Vma | null;
  next: Vma | null;
}

/** mm/vma.c: MMAP_STATE() (Linux 6.18). */
function MMAP_STATE(
  addr: number,
  len: number,
  pgoff: number,
  vm_flags: number,
  file: { id: number; path: string } | null,
  pkey: number,
): MmapState {
  return {
    addr,
    end: addr + len,
    pgoff,
    pglen: PHYS_PFN(len),
    vm_flags,
    pkey,
    file,
    charged: 0,
    vms: init_vma_munmap(addr, addr + len),
    prev: null,
    next: null,
  };
}

/** mm/vma.c: VMG_MMAP_STATE() (Linux 6.18) — a merge of the range being mapped. */
function VMG_MMAP_STATE(ctx: Ctx, map: MmapState): VmaMergeStruct {
  const vmg = VMG_STATE(ctx, map.addr, map.end, map.vm_flags, map.pgoff);
  vmg.prev = map.prev;
  vmg.next = map.next;
  vmg.pkey = map.pkey;
  vmg.file = map.file?.path ?? null;
  vmg.vm_file = map.file?.id ?? null;
  vmg.vm_ops = map.file !== null ? 'file' : 'anon';
  return vmg;
}

/**
 * mm/vma.c: __mmap_setup() (Linux 6.18) — gather the VMAs the new mapping
 * replaces (they stay in the tree until __mmap_complete()), check the
 * address space limit and charge private writable memory. Only what the
 * replaced VMAs had not charged already is charged again.
 */
function __mmap_setup(ctx: Ctx, map: MmapState): Result<void> {
  const vms = map.vms;
  const first = find_vma_intersection(ctx, map.addr, map.end);
  if (first !== null) {
    const g = vms_gather_munmap_vmas(ctx, vms, first);
    if (!g.ok) {
      // The gather already put back what it had detached.
      vms.nr_pages = 0;
      return g;
    }
    map.prev = vms.prev;
    map.next = vms.next;
  } else {
    map.prev = vma_prev(ctx, map.addr);
    map.next = find_vma(ctx, map.addr);
  }
  if (!may_expand_vm(ctx, map.vm_flags, map.pglen - vms.nr_pages)) {
    const why = (): string => mayExpandRefusal(ctx, map.pglen - vms.nr_pages);
    return ctx.refuse('__mmap_setup', VMA_C, 'ENOMEM', why);
  }
  if (accountable_mapping(map.vm_flags)) {
    map.charged = map.pglen - vms.nr_accounted;
    if (map.charged) {
      const charged = security_vm_enough_memory_mm(ctx, map.charged, '__mmap_setup');
      if (!charged.ok) return charged;
    }
    vms.nr_accounted = 0;
    map.vm_flags = (map.vm_flags | VM_ACCOUNT) >>> 0;
  }
  // Clear the old page tables while the VMAs are still in the tree, so that
  // rmap cannot race with freeing them later.
  vms_clean_up_area(ctx, vms);
  return ok(undefined);
}

/**
 * mm/vma.c: __mmap_new_vma() (Linux 6.18) — no neighbour could take the
 * range: a new VMA, with a shmem object behind it for shared anonymous memory.
 */
function __mmap_new_vma(ctx: Ctx, map: MmapState): Result<Vma> {
  const alloc = ctx.allocate('vma', 'vm_area_alloc');
  if (!alloc.ok) return alloc;
  // free_vma: from here on the new VMA is given back on failure.
  const prealloc = ctx.allocate('maple', 'vma_iter_prealloc');
  if (!prealloc.ok) return prealloc;
  // free_iter_vma: and the preallocated nodes with it.
  const isShmem = map.file === null && (map.vm_flags & VM_SHARED) !== 0;
  let path = map.file?.path ?? null;
  let vm_file = map.file?.id ?? null;
  if (isShmem) {
    const s = shmem_zero_setup(ctx, map.end - map.addr, map.vm_flags);
    if (!s.ok) return s;
    ({ path, vm_file } = s.value);
  }
  const vma = vma_init(ctx.newVmaId(), map.addr, map.end, map.pgoff, map.vm_flags, {
    pkey: map.pkey,
    file: path,
    vm_file,
    // The inode /proc prints is the file's (vma->vm_file->f_inode).
    devInode: path !== null && !isShmem ? (ctx.cur.fileInodes.get(path) ?? null) : null,
    vm_ops: isShmem ? 'shmem' : map.file !== null ? 'file' : 'anon',
  });
  vma_iter_store_new(ctx, vma);
  ctx.set({ map_count: ctx.cur.map_count + 1 });
  ctx.step('__mmap_new_vma', VMA_C, () => `new vma${vma.id} ${range(map.addr, map.end)}`);
  return ok(vma);
}

/**
 * mm/vma.c: __mmap_complete() (Linux 6.18) — the point of no return: free
 * what the mapping replaced, count its pages, and charge VM_LOCKED pages to
 * locked_vm (a special mapping cannot be locked and loses the flag).
 */
function __mmap_complete(ctx: Ctx, map: MmapState, vma: Vma): void {
  vms_complete_munmap_vmas(ctx, map.vms);
  vm_stat_account(ctx, vma.vm_flags, map.pglen);
  if (vma.vm_flags & VM_LOCKED) {
    if (vma.vm_flags & VM_SPECIAL) {
      ctx.update(vma, { vm_flags: (vma.vm_flags & ~VM_LOCKED_MASK) >>> 0 });
    } else {
      ctx.set({ locked_vm: ctx.cur.locked_vm + map.pglen });
    }
  }
}

/** What mmap_region() maps: file (or null), addr, len, vm_flags, pgoff, pkey. */
type MmapRegionArgs = [
  file: { id: number; path: string } | null,
  addr: number,
  len: number,
  vm_flags: number,
  pgoff: number,
  pkey: number,
];

/**
 * mm/vma.c: __mmap_region() (Linux 6.18) — set up, merge with a neighbour
 * or make a new VMA, complete.
 */
function __mmap_region(
  ctx: Ctx,
  ...[file, addr, len, vm_flags, pgoff, pkey]: MmapRegionArgs
): Result<number> {
  const map = MMAP_STATE(addr, len, pgoff, vm_flags, file, pkey);
  const s = __mmap_setup(ctx, map);
  if (!s.ok) {
    // abort_munmap:
    vms_abort_munmap_vmas(ctx, map.vms);
    return s;
  }
  let vma: Vma | null = null;
  // Attempt to merge with adjacent VMAs...
  if (map.prev !== null || map.next !== null) {
    const vmg = VMG_MMAP_STATE(ctx, map);
    // A merge that ran out of memory changed nothing: a new VMA is tried.
    vma = vma_merge_new_range(ctx, vmg);
  }
  // ...but if we can't, allocate a new VMA.
  if (vma === null) {
    const n = __mmap_new_vma(ctx, map);
    if (!n.ok) {
      // unacct_error: vm_unacct_memory(map.charged) — the model works the
      // commit charge out from the VMAs (util.ts): nothing to give back.
      // abort_munmap:
      vms_abort_munmap_vmas(ctx, map.vms);
      return n;
    }
    vma = n.value;
  }
  __mmap_complete(ctx, map, vma);
  return ok(addr);
}

/**
 * mm/vma.c: mmap_region() (Linux 6.18) — the arch and write-exec checks it
 * makes first pass on x86_64 without shadow stacks: __mmap_region().
 */
export function mmap_region(ctx: Ctx, ...args: MmapRegionArgs): Result<number> {
  return __mmap_region(ctx, ...args);
}

/** mm/vma.c: do_brk_flags() (Linux 6.18) — extend the heap VMA or map a new one. */
export function do_brk_flags(
  ctx: Ctx,
  vma: Vma | null,
  addr: number,
  len: number,
  flags: number,
): Result<void> {
  const vm_flags = (flags | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | ctx.cur.def_flags) >>> 0;
  if (!may_expand_vm(ctx, vm_flags, len / PAGE_SIZE)) {
    return ctx.refuse('do_brk_flags', VMA_C, 'ENOMEM', () =>
      mayExpandRefusal(ctx, len / PAGE_SIZE),
    );
  }
  if (ctx.cur.map_count > ctx.cur.kernel.maxMapCount) {
    const why = (): string => `map_count ${ctx.cur.map_count} is above vm.max_map_count`;
    return ctx.refuse('do_brk_flags', VMA_C, 'ENOMEM', why);
  }
  const charged = security_vm_enough_memory_mm(ctx, len / PAGE_SIZE, 'do_brk_flags');
  if (!charged.ok) return charged;
  let done: Vma | null = null;
  if (vma !== null && vma.vm_end === addr) {
    const vmg = VMG_STATE(ctx, addr, addr + len, vm_flags, PHYS_PFN(addr));
    vmg.prev = vma;
    vmg.just_expand = true;
    done = vma_merge_new_range(ctx, vmg);
    // unacct_fail: vmg_nomem() — unlike __mmap_region(), brk gives up.
    if (done === null && vmg.state === 'VMA_MERGE_ERROR_NOMEM') return err('ENOMEM');
  }
  if (done === null) {
    const alloc = ctx.allocate('vma', 'vm_area_alloc');
    if (!alloc.ok) return alloc;
    const stored = ctx.allocate('maple', 'vma_iter_store_gfp');
    if (!stored.ok) return stored;
    const created = vma_init(ctx.newVmaId(), addr, addr + len, PHYS_PFN(addr), vm_flags);
    vma_iter_store_gfp(ctx, created);
    ctx.set({ map_count: ctx.cur.map_count + 1 });
    ctx.step('do_brk_flags', VMA_C, () => `new heap vma${created.id} ${range(addr, addr + len)}`);
  }
  const pages = len / PAGE_SIZE;
  ctx.set({ total_vm: ctx.cur.total_vm + pages, data_vm: ctx.cur.data_vm + pages });
  if (vm_flags & VM_LOCKED) ctx.set({ locked_vm: ctx.cur.locked_vm + pages });
  return ok(undefined);
}

/**
 * mm/vma.c: unmapped_area_topdown() (Linux 6.18) — the highest gap of
 * `length` bytes below high_limit, keeping clear of a stack's guard gap.
 */
export function unmapped_area_topdown(
  ctx: Ctx,
  length: number,
  low_limit: number,
  high_limit: number,
  align_mask: number,
  align_offset: number,
): Result<number> {
  const searchLen = length + align_mask;
  if (low_limit < MMAP_MIN_ADDR) low_limit = MMAP_MIN_ADDR;
  for (;;) {
    // mm/vma.h: vma_iter_area_highest() -> mas_empty_area_rev(min, max - 1, size)
    if (high_limit - 1 < low_limit) return err('ENOMEM');
    const mas = MA_STATE(ctx.cur.mt, 0, 0);
    if (mas_empty_area_rev(mas, low_limit, high_limit - 1, searchLen) !== 0) return err('ENOMEM');
    const gap_end = mas.last + 1;
    let gap = gap_end - length;
    gap -= (gap - align_offset) & align_mask;
    const tmp = find_vma(ctx, gap_end);
    if (tmp !== null && tmp.vm_flags & VM_STARTGAP_FLAGS) {
      if (vm_start_gap(tmp) < gap_end) {
        high_limit = vm_start_gap(tmp);
        if (high_limit < low_limit) return err('ENOMEM');
        continue;
      }
    } else {
      const prev = vma_prev(ctx, gap_end);
      if (prev !== null && prev.vm_end > gap) {
        high_limit = prev.vm_start;
        if (high_limit < low_limit) return err('ENOMEM');
        continue;
      }
    }
    return ok(gap);
  }
}

/**
 * mm/vma.c: acct_stack_growth() (Linux 6.18) — may a stack of `size` bytes
 * grow by `grow` pages: address space, RLIMIT_STACK, RLIMIT_MEMLOCK, and
 * last the commit charge (last because it takes the charge).
 */
function acct_stack_growth(ctx: Ctx, vma: Vma, size: number, grow: number): Result<void> {
  const fail = (why: Why): Result<void> => ctx.refuse('acct_stack_growth', VMA_C, 'ENOMEM', why);
  if (!may_expand_vm(ctx, vma.vm_flags, grow)) return fail(() => mayExpandRefusal(ctx, grow));
  if (size > ctx.limits.stack)
    return fail(() => `a stack of ${hex(size)} bytes exceeds RLIMIT_STACK`);
  if (
    vma.vm_flags & VM_LOCKED &&
    !ctx.limits.capIpcLock &&
    (ctx.cur.locked_vm + grow) * PAGE_SIZE > ctx.limits.memlock
  ) {
    return fail(() => `locking ${grow} more pages would exceed RLIMIT_MEMLOCK`);
  }
  const charged = security_vm_enough_memory_mm(ctx, grow, 'acct_stack_growth');
  if (!charged.ok) return charged;
  return ok(undefined);
}

/**
 * mm/vma.c: expand_downwards() (Linux 6.18) — a MAP_GROWSDOWN VMA grows down
 * to `address`, keeping stack_guard_gap from the VMA below.
 */
export function expand_downwards(ctx: Ctx, vma: Vma, address: number): Result<Vma> {
  address -= address % PAGE_SIZE;
  const fn = 'expand_downwards';
  if (!(vma.vm_flags & VM_GROWSDOWN)) {
    return ctx.refuse(fn, VMA_C, 'EFAULT', () => `vma${vma.id} is not VM_GROWSDOWN`);
  }
  if (address < 0x1000) {
    return ctx.refuse(fn, VMA_C, 'EPERM', () => `${hex(address)} is below mmap_min_addr`);
  }
  const prev = vma_prev(ctx, vma.vm_start);
  if (
    prev !== null &&
    !(prev.vm_flags & VM_GROWSDOWN) &&
    prev.vm_flags & VM_ACCESS_FLAGS &&
    address - prev.vm_end < STACK_GUARD_GAP
  ) {
    const why = (): string => `vma${prev.id} lies within the stack guard gap`;
    return ctx.refuse(fn, VMA_C, 'ENOMEM', why);
  }
  const prealloc = ctx.allocate('maple', 'vma_iter_prealloc');
  if (!prealloc.ok) return prealloc;
  const a = anon_vma_prepare(ctx, vma);
  if (!a.ok) return a;
  vma = a.value;
  if (address < vma.vm_start) {
    const size = vma.vm_end - address;
    const grow = PHYS_PFN(vma.vm_start - address);
    // Overflow of vm_pgoff?
    if (grow > vma.vm_pgoff) {
      return ctx.refuse(fn, VMA_C, 'ENOMEM', () => `vm_pgoff ${vma.vm_pgoff} would go below 0`);
    }
    const acct = acct_stack_growth(ctx, vma, size, grow);
    if (!acct.ok) return acct;
    if (vma.vm_flags & VM_LOCKED) ctx.set({ locked_vm: ctx.cur.locked_vm + grow });
    vm_stat_account(ctx, vma.vm_flags, grow);
    const grown = vmaRange(vma, address, vma.vm_end, vma.vm_pgoff - grow);
    vma_iter_store_overwrite(ctx, grown);
    vma = grown;
    ctx.step('expand_downwards', VMA_C, () => `vma${vma.id} grows down to ${hex(address)}`);
  }
  return ok(vma);
}
