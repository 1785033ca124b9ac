// SPDX-License-Identifier: GPL-2.0-or-later
// mm/vma.c (Linux 6.18): merging, splitting, expanding, shrinking and
// unmapping VMAs, over the maple tree. Functions keep the kernel's names.
import { err, ok, type Errno, type Result } from '../errno';
import type { PredicateResult, VmgView } from '../trace/events';
import { range, type Ctx } from './ctx';
import type { MmState } from './mm-snapshot';
import { guardsRemove } from './guards';
import {
  VM_ACCOUNT,
  VM_ACCESS_FLAGS,
  VM_EXEC,
  VM_IGNORE_MERGE,
  VM_LOCKED,
  VM_SHARED,
  VM_SPECIAL,
  VM_STACK,
  VM_STICKY,
  VM_WRITE,
  vmFlagNames,
} from './vm-flags';
import { PHYS_PFN, PAGE_SIZE, hex, vma_pages, type Vma, type VmOps } from './mm_types';
import {
  vma_lookup,
  find_vma,
  find_vma_intersection,
  vma_prev,
  vma_iter_store_new,
  vma_iter_store_overwrite,
  vma_iter_clear,
} from './vma_iter';

const VMA_C = 'mm/vma.c';

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

const name = (v: Vma | null): string | null => (v === null ? null : `vma${v.id}`);
const avName = (av: number | null): string => (av === null ? 'none' : `av${av}`);

/** The merge state as the views show it. */
export function vmgView(vmg: VmaMergeStruct): VmgView {
  return {
    prev: name(vmg.prev),
    middle: name(vmg.middle),
    next: name(vmg.next),
    target: name(vmg.target),
    start: hex(vmg.start),
    end: hex(vmg.end),
    pgoff: vmg.pgoff,
    flags: vmFlagNames(vmg.vm_flags, vmg.sealed),
    anon_vma: vmg.anon_vma === null ? null : `av${vmg.anon_vma}`,
    file: vmg.file,
    state: vmg.state,
  };
}

/** Records a predicate's result (the reason is only worked out when tracing). */
function note(
  vmg: VmaMergeStruct,
  fn: string,
  vma: Vma | null,
  pass: boolean,
  reason: string | (() => string),
): boolean {
  if (vmg.predicates !== null) {
    vmg.predicates.push({
      fn,
      vma: name(vma),
      pass,
      reason: typeof reason === 'string' ? reason : reason(),
    });
  }
  return pass;
}

function flagWords(flags: number, pkey: number, sealed: boolean): string {
  const n = vmFlagNames(flags, sealed).join(' ');
  return pkey ? `${n} pkey${pkey}` : n;
}

// mm/vma.c: is_mergeable_vma() (Linux 6.18)
function is_mergeable_vma(vmg: VmaMergeStruct, merge_next: boolean): boolean {
  const vma = (merge_next ? vmg.next : vmg.prev) as Vma;
  const fn = 'is_mergeable_vma';
  if (
    ((vma.vm_flags ^ vmg.vm_flags) & ~VM_IGNORE_MERGE) !== 0 ||
    vma.pkey !== vmg.pkey ||
    vma.sealed !== vmg.sealed
  ) {
    return note(
      vmg,
      fn,
      vma,
      false,
      () =>
        `flags differ (${flagWords(vma.vm_flags, vma.pkey, vma.sealed)} vs ${flagWords(vmg.vm_flags, vmg.pkey, vmg.sealed)})`,
    );
  }
  if (vma.vm_file !== vmg.vm_file) {
    return note(
      vmg,
      fn,
      vma,
      false,
      () => `files differ (${vma.file ?? 'none'} vs ${vmg.file ?? 'none'})`,
    );
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
      return note(
        vmg,
        fn,
        tgt,
        false,
        () => `${name(src)} came from fork (anon_vma chain not singular)`,
      );
    }
    if (vma_had_uncowed_parents(vmg.copied_from)) {
      return note(vmg, fn, tgt, false, 'the copied VMA came from fork (chain not singular)');
    }
    return note(vmg, fn, tgt, true, () => `${name(tgt)} takes ${avName(src_anon)}`);
  }
  /* Case 2 - we will simply use tgt's anon_vma. */
  if (tgt_anon !== null && src_anon === null) {
    if (vma_had_uncowed_parents(tgt)) {
      return note(
        vmg,
        fn,
        tgt,
        false,
        () => `${name(tgt)} came from fork (anon_vma chain not singular)`,
      );
    }
    return note(vmg, fn, tgt, true, () => `the range takes ${name(tgt)}'s ${avName(tgt_anon)}`);
  }
  /* Case 3 - the anon_vma's are already shared. */
  if (src_anon === tgt_anon)
    return note(vmg, fn, tgt, true, () => `same anon_vma (${avName(src_anon)})`);
  return note(
    vmg,
    fn,
    tgt,
    false,
    () => `anon_vma differs (${avName(tgt_anon)} vs ${avName(src_anon)})`,
  );
}

// mm/vma.c: can_vma_merge_before() (Linux 6.18)
function can_vma_merge_before(vmg: VmaMergeStruct): boolean {
  const next = vmg.next as Vma;
  const pglen = PHYS_PFN(vmg.end - vmg.start);
  if (is_mergeable_vma(vmg, true) && is_mergeable_anon_vma(vmg, true)) {
    if (next.vm_pgoff === vmg.pgoff + pglen) {
      return note(vmg, 'can_vma_merge_before', next, true, 'offsets continue');
    }
    return note(
      vmg,
      'can_vma_merge_before',
      next,
      false,
      () => `pgoff not contiguous (${hex(vmg.pgoff + pglen)} vs ${hex(next.vm_pgoff)})`,
    );
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
    return note(
      vmg,
      'can_vma_merge_after',
      prev,
      false,
      () => `pgoff not contiguous (${hex(prev.vm_pgoff + vma_pages(prev))} vs ${hex(vmg.pgoff)})`,
    );
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
  return note(
    vmg,
    'are_anon_vmas_compatible',
    next,
    false,
    () => `prev and next anon_vmas differ (${avName(prev.anon_vma)} vs ${avName(next.anon_vma)})`,
  );
}

// mm/vma.c: can_merge_remove_vma() (Linux 6.18)
// We can only remove VMAs when merging if they do not have a close hook.
function can_merge_remove_vma(vma: Vma): boolean {
  return !vma.vm_ops_close;
}

/**
 * mm/vma.c: dup_anon_vma() (Linux 6.18) — when a merge moves a boundary, the
 * growing VMA takes the shrinking one's anon_vma (anon_vma_clone()). Returns
 * dst as it is now and `dup`, the kernel's `*dup`: whether dst took it, so
 * that a merge that fails later gives it back (unlink_anon_vmas()).
 */
function dup_anon_vma(ctx: Ctx, dst: Vma, src: Vma): { dst: Vma; dup: boolean } {
  if (src.anon_vma !== null && dst.anon_vma === null) {
    const got = ctx.update(dst, { anon_vma: src.anon_vma, anon_vma_chain: src.anon_vma_chain });
    ctx.step('dup_anon_vma', VMA_C, () => `vma${dst.id} takes av${src.anon_vma} from vma${src.id}`);
    return { dst: got, dup: true };
  }
  return { dst, dup: false };
}

/**
 * mm/rmap.c: unlink_anon_vmas() (Linux 6.18) — the VMA leaves the anon_vmas
 * its chain links and drops its anon_vma pointer: a merge that took one with
 * dup_anon_vma() and then failed is left as it was before.
 */
function unlink_anon_vmas(ctx: Ctx, vma: Vma): Vma {
  const got = ctx.update(vma, { anon_vma: null, anon_vma_chain: 0 });
  ctx.step(
    'unlink_anon_vmas',
    'mm/rmap.c',
    () => `vma${vma.id} gives back av${vma.anon_vma}: the merge failed`,
  );
  return got;
}

/** The counters vm_stat_account() keeps. */
export type VmStat = {
  -readonly [K in 'total_vm' | 'exec_vm' | 'stack_vm' | 'data_vm']: MmState[K];
};

/** vm_stat_account()'s arithmetic on `mm`'s counters: the ones that change. */
export function vmStatPatch(mm: VmStat, flags: number, npages: number): Partial<VmStat> {
  const patch: Partial<VmStat> = { total_vm: mm.total_vm + npages };
  // mm/internal.h: is_exec_mapping(), is_stack_mapping(), is_data_mapping()
  if ((flags & (VM_EXEC | VM_WRITE | VM_STACK)) === VM_EXEC) patch.exec_vm = mm.exec_vm + npages;
  else if ((flags & VM_STACK) === VM_STACK) patch.stack_vm = mm.stack_vm + npages;
  else if ((flags & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE) {
    patch.data_vm = mm.data_vm + npages;
  }
  return patch;
}

/** mm/vma.c: vm_stat_account() (in mm/mmap.c in older kernels). */
export function vm_stat_account(ctx: Ctx, flags: number, npages: number): void {
  ctx.set(vmStatPatch(ctx.cur, flags, npages));
}

/** mm/mmap.c: may_expand_vm() (Linux 6.18). */
export function may_expand_vm(ctx: Ctx, flags: number, npages: number): boolean {
  const lim = ctx.limits;
  if ((ctx.cur.total_vm + npages) * PAGE_SIZE > lim.as) return false;
  if (
    (flags & (VM_WRITE | VM_SHARED | VM_STACK)) === VM_WRITE &&
    (ctx.cur.data_vm + npages) * PAGE_SIZE > lim.data
  ) {
    return false;
  }
  return true;
}

/** mm/vma.c: commit_merge() (Linux 6.18): apply the decided merge to the tree. */
function commit_merge(ctx: Ctx, vmg: VmaMergeStruct): boolean {
  const target = vmg.target as Vma;
  const middle = vmg.middle;
  const next = vmg.next;
  if (!ctx.allocate('maple', 'vma_iter_prealloc')) return false;

  if (vmg.__adjust_next_start) {
    /* We manipulate middle and adjust next, which is the target. */
    const m = middle as Vma;
    const n = next as Vma;
    const newNext: Vma = {
      ...n,
      vm_start: vmg.end,
      vm_pgoff: n.vm_pgoff - PHYS_PFN(n.vm_start - vmg.end),
    };
    const newMiddle: Vma = { ...m, vm_start: vmg.start, vm_end: vmg.end, vm_pgoff: vmg.pgoff };
    vma_iter_store_overwrite(ctx, newNext);
    ctx.refresh(newMiddle);
    vmg.target = newNext;
    vmg.next = newNext;
    vmg.middle = newMiddle;
  } else {
    const newTarget: Vma = { ...target, vm_start: vmg.start, vm_end: vmg.end, vm_pgoff: vmg.pgoff };
    vma_iter_store_overwrite(ctx, newTarget);
    vmg.target = newTarget;
    if (vmg.__adjust_middle_start) {
      const m = middle as Vma;
      const newMiddle: Vma = {
        ...m,
        vm_start: vmg.end,
        vm_pgoff: m.vm_pgoff + PHYS_PFN(vmg.end - m.vm_start),
      };
      ctx.refresh(newMiddle);
      vmg.middle = newMiddle;
    }
  }
  // mm/vma.c: vma_complete() frees the removed VMAs.
  let removed = 0;
  if (vmg.__remove_middle) removed++;
  if (vmg.__remove_next) removed++;
  if (removed) ctx.set({ map_count: ctx.cur.map_count - removed });
  return true;
}

/** Applies the sticky flags (VM_STICKY) a merge keeps to its target. */
function setSticky(ctx: Ctx, vmg: VmaMergeStruct, sticky: number): void {
  const t = vmg.target as Vma;
  if ((t.vm_flags | sticky) >>> 0 !== t.vm_flags) {
    vmg.target = ctx.update(t, { vm_flags: (t.vm_flags | sticky) >>> 0 });
  }
}

/**
 * mm/vma.c: vma_merge_existing_range() (Linux 6.18) — [vmg.start, vmg.end) of
 * vmg.middle gets new attributes; merge it into prev and/or next if they
 * match. The cases, as the kernel draws them:
 *
 *   merge both:   prev grows over middle and next, both deleted
 *   merge left:   prev grows; middle shrinks (or is deleted if fully covered)
 *   merge right:  next grows down; middle shrinks (or is deleted)
 */
export function vma_merge_existing_range(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  const middle = vmg.middle as Vma;
  const prev = vmg.prev;
  const start = vmg.start;
  const end = vmg.end;
  const left_side = start === middle.vm_start;
  const right_side = end === middle.vm_end;
  const fn = 'vma_merge_existing_range';
  if (prev !== null && start <= prev.vm_start)
    throw new Error('VM_WARN_ON: start <= prev->vm_start');
  if (start >= end) throw new Error('VM_WARN_ON: start >= end');

  vmg.state = 'VMA_MERGE_NOMERGE';
  const fail = (why: string): null => {
    ctx.step(fn, VMA_C, `no merge for ${range(start, end)}: ${why}`, trace(ctx, vmg));
    return null;
  };
  if (vmg.vm_flags & VM_SPECIAL) return fail('special mapping (VM_SPECIAL)');
  if (!left_side && !right_side) return fail('the range touches neither end of the VMA');

  const merge_left0 = left_side && can_vma_merge_left(vmg);
  let next: Vma | null = null;
  let merge_right = false;
  if (right_side) {
    next = vmg.next = find_vma_intersection(ctx, middle.vm_end, Infinity);
    merge_right = can_vma_merge_right(vmg, merge_left0);
  }
  const merge_left = merge_left0;
  if (!merge_left && !merge_right) return fail('neither neighbour can take it');

  let merge_both = merge_left && merge_right;
  /* If we span the entire VMA, a merge implies it will be deleted. */
  vmg.__remove_middle = left_side && right_side;
  if (vmg.__remove_middle && !can_merge_remove_vma(middle)) {
    return fail(`vma${middle.id} has a close hook and cannot be removed`);
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

  let what: string;
  let anon_dup: boolean;
  if (merge_both) {
    const p = prev as Vma;
    const n = next as Vma;
    vmg.start = p.vm_start;
    vmg.end = n.vm_end;
    vmg.pgoff = p.vm_pgoff;
    ({ dst: vmg.target, dup: anon_dup } = dup_anon_vma(ctx, p, n.anon_vma !== null ? n : middle));
    vmg.prev = vmg.target;
    what = `vma${p.id} grows over vma${middle.id} and vma${n.id}, which are deleted`;
  } else if (merge_left) {
    const p = prev as Vma;
    vmg.start = p.vm_start;
    vmg.pgoff = p.vm_pgoff;
    if (!vmg.__remove_middle) vmg.__adjust_middle_start = true;
    ({ dst: vmg.target, dup: anon_dup } = dup_anon_vma(ctx, p, middle));
    vmg.prev = vmg.target;
    what = vmg.__remove_middle
      ? `vma${p.id} grows over vma${middle.id}, which is deleted`
      : `vma${p.id} grows over ${range(start, end)}; vma${middle.id} shrinks`;
  } else {
    const n = next as Vma;
    const pglen = PHYS_PFN(vmg.end - vmg.start);
    if (vmg.start > middle.vm_start && prev !== null && middle !== prev) {
      throw new Error('VM_WARN_ON: offset into a VMA but prev is not middle');
    }
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
    what = vmg.__remove_middle
      ? `vma${n.id} grows down over vma${middle.id}, which is deleted`
      : `vma${n.id} grows down over ${range(start, end)}; vma${middle.id} shrinks`;
  }

  if (!commit_merge(ctx, vmg)) {
    // abort: nothing was moved, but the anon_vma dup_anon_vma() gave the
    // target is taken back.
    if (anon_dup) {
      const t = unlink_anon_vmas(ctx, vmg.target as Vma);
      if (vmg.prev?.id === t.id) vmg.prev = t;
      if (vmg.next?.id === t.id) vmg.next = t;
      vmg.target = t;
    }
    if (!vmg.give_up_on_oom) vmg.state = 'VMA_MERGE_ERROR_NOMEM';
    ctx.step(fn, VMA_C, 'merge aborted: out of memory', { ...trace(ctx, vmg), errno: 'ENOMEM' });
    return null;
  }
  setSticky(ctx, vmg, sticky);
  vmg.state = 'VMA_MERGE_SUCCESS';
  ctx.step(fn, VMA_C, `merge: ${what}`, trace(ctx, vmg));
  return vmg.target;
}

function trace(ctx: Ctx, vmg: VmaMergeStruct): { vmg?: VmgView; predicates?: PredicateResult[] } {
  if (!ctx.tracing) return {};
  return { vmg: vmgView(vmg), predicates: vmg.predicates ?? [] };
}

/**
 * mm/vma.c: vma_merge_new_range() (Linux 6.18) — a new range [start, end)
 * between vmg.prev and vmg.next: extend prev, next, or prev over both.
 */
export function vma_merge_new_range(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  const prev = vmg.prev;
  const next = vmg.next;
  const end = vmg.end;
  const fn = 'vma_merge_new_range';
  if (vmg.middle !== null || vmg.target !== null)
    throw new Error('VM_WARN_ON: middle or target set');

  vmg.state = 'VMA_MERGE_NOMERGE';
  if (vmg.vm_flags & VM_SPECIAL) {
    ctx.step(fn, VMA_C, 'no merge: special mapping (VM_SPECIAL)', trace(ctx, vmg));
    return null;
  }
  if (prev === null && next === null) {
    ctx.step(fn, VMA_C, 'no merge: no neighbours', trace(ctx, vmg));
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
    ctx.step(fn, VMA_C, 'no merge: neither neighbour matches', trace(ctx, vmg));
    return null;
  }
  const what =
    can_merge_left && vmg.end === (next?.vm_end ?? -1) && can_merge_right
      ? `vma${prev?.id} grows over the range and vma${next?.id}`
      : can_merge_left
        ? `vma${prev?.id} grows up over the range`
        : `vma${next?.id} grows down over the range`;
  ctx.step(fn, VMA_C, `merge: ${what}`, trace(ctx, vmg));
  if (vma_expand(ctx, vmg).ok) {
    vmg.state = 'VMA_MERGE_SUCCESS';
    return vmg.target;
  }
  return null;
}

/**
 * mm/vma.c: vma_expand() (Linux 6.18) — vmg.target grows to [vmg.start,
 * vmg.end), deleting vmg.next if it is covered.
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
    if (!can_merge_remove_vma(next)) throw new Error('VM_WARN_ON: next has a close hook');
    ({ dst: target, dup: anon_dup } = dup_anon_vma(ctx, target, next));
  }
  if (vmg.copied_from !== null) {
    // mremap: the pages of the copied VMA move into target, with its anon_vma.
    const d = dup_anon_vma(ctx, target, vmg.copied_from);
    target = d.dst;
    anon_dup ||= d.dup;
  }
  if (target.vm_start < vmg.start || target.vm_end > vmg.end) {
    throw new Error('VM_WARN_ON: vma_expand() only expands');
  }
  vmg.target = target;
  if (remove_next) vmg.__remove_next = true;
  if (!commit_merge(ctx, vmg)) {
    // nomem: give back the anon_vma dup_anon_vma() gave the target.
    if (anon_dup) vmg.target = unlink_anon_vmas(ctx, target);
    if (!vmg.give_up_on_oom) vmg.state = 'VMA_MERGE_ERROR_NOMEM';
    ctx.step('vma_expand', VMA_C, 'out of memory', { errno: 'ENOMEM' });
    return err('ENOMEM');
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

/** mm/vma.c: vma_shrink() (Linux 6.18) — the VMA keeps [start, end) of itself. */
export function vma_shrink(
  ctx: Ctx,
  vma: Vma,
  start: number,
  end: number,
  pgoff: number,
): Result<Vma> {
  if (vma.vm_start !== start && vma.vm_end !== end)
    throw new Error('WARN_ON: shrink in the middle');
  if (!ctx.allocate('maple', 'vma_iter_prealloc')) return err('ENOMEM');
  if (vma.vm_start < start) vma_iter_clear(ctx, vma.vm_start, start);
  else vma_iter_clear(ctx, end, vma.vm_end);
  const got = ctx.update(vma, { vm_start: start, vm_end: end, vm_pgoff: pgoff });
  ctx.step('vma_shrink', VMA_C, () => `vma${vma.id} shrinks to ${range(start, end)}`);
  return ok(got);
}

/**
 * mm/vma.c: __split_vma() (Linux 6.18) — a new VMA takes [vm_start, addr)
 * when new_below, else [addr, vm_end); the old VMA keeps the other part.
 * Returns the two parts, lower first.
 */
export function __split_vma(
  ctx: Ctx,
  vma: Vma,
  addr: number,
  new_below: boolean,
): Result<[Vma, Vma]> {
  if (vma.vm_start >= addr || vma.vm_end <= addr) throw new Error('WARN_ON: split outside the VMA');
  if (!ctx.allocate('vma', 'vm_area_dup')) return err('ENOMEM');
  if (!ctx.allocate('maple', 'vma_iter_prealloc')) return err('ENOMEM');
  const id = ctx.newVmaId();
  const upperPgoff = vma.vm_pgoff + PHYS_PFN(addr - vma.vm_start);
  const below: Vma = { ...vma, id: new_below ? id : vma.id, vm_end: addr };
  const above: Vma = {
    ...vma,
    id: new_below ? vma.id : id,
    vm_start: addr,
    vm_pgoff: upperPgoff,
  };
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
    ctx.step('split_vma', VMA_C, () => `map_count ${ctx.cur.map_count} reached max_map_count`, {
      errno: 'ENOMEM',
    });
    return err('ENOMEM');
  }
  return __split_vma(ctx, vma, addr, new_below);
}

/**
 * mm/vma.c: vma_modify() (Linux 6.18) — try to merge; otherwise split off
 * what lies outside [vmg.start, vmg.end). Returns the VMA covering exactly
 * the range (merged or split).
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
}

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
  };
}

/**
 * mm/vma.c: vms_gather_munmap_vmas() (Linux 6.18) — split the VMAs that
 * straddle the ends of the range and gather the ones inside, still in the
 * tree. A sealed VMA fails the call with EPERM after the start split.
 */
export function vms_gather_munmap_vmas(ctx: Ctx, vms: VmaMunmapStruct, first: Vma): Result<void> {
  const fn = 'vms_gather_munmap_vmas';
  const fail = (e: Errno, why: string): Result<void> => {
    ctx.step(fn, VMA_C, why, { errno: e });
    return err(e);
  };
  let vma = first;
  if (vms.start > vma.vm_start) {
    if (vms.end < vma.vm_end && ctx.cur.map_count >= ctx.cur.kernel.maxMapCount) {
      return fail('ENOMEM', `map_count ${ctx.cur.map_count} reached max_map_count`);
    }
    if (vma.sealed) return fail('EPERM', `vma${vma.id} is sealed`);
    const r = __split_vma(ctx, vma, vms.start, true);
    if (!r.ok) return r;
    vma = r.value[1];
  }
  vms.prev = vma_prev(ctx, vms.start);
  let cur: Vma | null = vma;
  while (cur !== null && cur.vm_start < vms.end) {
    if (cur.sealed) return fail('EPERM', `vma${cur.id} is sealed`);
    if (cur.vm_end > vms.end) {
      const r = __split_vma(ctx, cur, vms.end, false);
      if (!r.ok) return r;
      cur = r.value[0];
    }
    if (!ctx.allocate('maple', 'mas_store_gfp')) return err('ENOMEM');
    vms.detached.push(cur);
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
  ctx.step(
    fn,
    VMA_C,
    vms.detached.length
      ? `gather ${vms.detached.map((v) => `vma${v.id}`).join(', ')} to unmap ${range(vms.start, vms.end)}`
      : `nothing mapped in ${range(vms.start, vms.end)}`,
  );
  return ok(undefined);
}

/**
 * mm/vma.c: vms_complete_munmap_vmas() (Linux 6.18) — the gathered VMAs are
 * gone: update the counters and drop the page tables (guard markers) of the
 * range. The tree no longer holds them (cleared or overwritten by the caller).
 */
export function vms_complete_munmap_vmas(ctx: Ctx, vms: VmaMunmapStruct): void {
  if (vms.detached.length === 0) return;
  const mm = ctx.cur;
  ctx.set({
    map_count: mm.map_count - vms.detached.length,
    locked_vm: mm.locked_vm - vms.locked_vm,
    total_vm: mm.total_vm - vms.nr_pages,
    exec_vm: mm.exec_vm - vms.exec_vm,
    stack_vm: mm.stack_vm - vms.stack_vm,
    data_vm: mm.data_vm - vms.data_vm,
  });
  dropGuards(ctx, vms.start, vms.end);
  ctx.step(
    'vms_complete_munmap_vmas',
    VMA_C,
    () => `freed ${vms.detached.map((v) => `vma${v.id}`).join(', ')}`,
  );
}

/** Page tables of [start, end) are freed: their guard markers go with them. */
export function dropGuards(ctx: Ctx, start: number, end: number): void {
  const guards = ctx.cur.guards;
  const keep = guardsRemove(guards, start / PAGE_SIZE, end / PAGE_SIZE);
  if (keep !== guards) ctx.set({ guards: keep });
}

/**
 * mm/vma.c: do_vmi_align_munmap() (Linux 6.18) — unmap [start, end) whose
 * first VMA is `vma`.
 */
export function do_vmi_align_munmap(ctx: Ctx, vma: Vma, start: number, end: number): Result<void> {
  const vms = init_vma_munmap(start, end);
  const g = vms_gather_munmap_vmas(ctx, vms, vma);
  if (!g.ok) return g;
  if (!ctx.allocate('maple', 'vma_iter_clear_gfp')) return err('ENOMEM');
  vma_iter_clear(ctx, start, end);
  ctx.step('vma_iter_clear_gfp', VMA_C, () => `clear ${range(start, end)} in the maple tree`);
  vms_complete_munmap_vmas(ctx, vms);
  return ok(undefined);
}

/** mm/vma.c: do_vmi_munmap() (Linux 6.18). */
export function do_vmi_munmap(ctx: Ctx, start: number, len: number): Result<number> {
  if (start % PAGE_SIZE !== 0 || start > TASK_SIZE_ || len > TASK_SIZE_ - start) {
    return err('EINVAL');
  }
  const end = start + PAGE_ALIGN(len);
  if (end === start) return err('EINVAL');
  const vma = find_vma_intersection(ctx, start, end);
  if (vma === null) return ok(0);
  const r = do_vmi_align_munmap(ctx, vma, start, end);
  return r.ok ? ok(0) : r;
}

const TASK_SIZE_ = 0x7ffffffff000;
export const PAGE_ALIGN = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

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

/**
 * mm/rmap.c: __anon_vma_prepare() (Linux 6.18) — give the VMA an anon_vma
 * before its first anonymous page: a neighbour's if find_mergeable_anon_vma()
 * finds one, else a new one.
 */
export function anon_vma_prepare(ctx: Ctx, vma: Vma): Result<Vma> {
  if (vma.anon_vma !== null) return ok(vma);
  if (!ctx.allocate('anon_vma', 'anon_vma_chain_alloc')) return err('ENOMEM');
  const reuse = find_mergeable_anon_vma(ctx, vma);
  let av = reuse;
  if (av === null) {
    if (!ctx.allocate('anon_vma', 'anon_vma_alloc')) return err('ENOMEM');
    av = ctx.newAnonVmaId();
  }
  const got = ctx.update(vma, { anon_vma: av, anon_vma_chain: 1 });
  ctx.step(
    '__anon_vma_prepare',
    'mm/rmap.c',
    reuse !== null
      ? `vma${vma.id} reuses a neighbour's anon_vma av${av} (find_mergeable_anon_vma)`
      : `vma${vma.id} gets a new anon_vma av${av}`,
  );
  return ok(got);
}
