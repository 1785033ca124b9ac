// SPDX-License-Identifier: GPL-2.0-or-later
// tools/testing/vma/vma.c (Linux 6.18), in our words: which VMA ends up with
// the anon_vma when a merge joins a touched VMA and an untouched one
// (dup_anon_vma()), and what a merge that then runs out of memory gives back.
import { describe, expect, it } from 'vitest';
import type { Ctx } from './ctx';
import type { VmaMergeStruct } from './vma';
import type { Vma } from './mm_types';
import {
  ENOMEM,
  alloc_and_link_vma,
  cleanup_mm,
  dummy_anon_vma,
  expand_existing,
  merge_existing,
  mm,
  now,
  span,
  vm_flags,
  vma_set_dummy_anon_vma,
  vmg_set_range,
  wasCloned,
  wasUnlinked,
} from './vma-kernel-tests.fixture';

/**
 * The checks test_dup_anon_vma makes of each merge: it returned the VMA that
 * grew, succeeded, the VMA's new [start, end), and that the VMA took the
 * anon_vma by cloning it.
 */
function expectTook(ctx: Ctx, vmg: VmaMergeStruct, grew: Vma, start: number, end: number): void {
  expect(merge_existing(ctx, vmg)?.id).toBe(grew.id);
  expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
  expect(span(ctx, grew)?.slice(0, 2)).toEqual([start, end]);
  expect(now(ctx, grew)?.anon_vma).toBe(dummy_anon_vma);
  expect(wasCloned(ctx)).toBe(true);
  cleanup_mm(ctx);
}

/** A merge state for [start, end) of `vma` with prev, as the C cases set it up. */
function change(ctx: Ctx, prev: Vma, vma: Vma, start: number, end: number): VmaMergeStruct {
  const vmg = vmg_set_range(ctx, start, end, start / 0x1000, vm_flags, now(ctx, vma)?.anon_vma);
  vmg.prev = now(ctx, prev);
  vmg.middle = now(ctx, vma);
  return vmg;
}

describe('tools/testing/vma, in our words: anon_vma on merge', () => {
  it('test_dup_anon_vma: the VMA that grows takes the anon_vma of what it swallows', () => {
    // vma_expand() over next, which has an anon_vma: target clones it. New
    // ranges merge through vma_expand(), so this covers them too.
    // 012345
    // PPPNN  ->  PPPPP
    let ctx = mm();
    let vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    let vma_next = vma_set_dummy_anon_vma(
      ctx,
      alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags),
    );
    const vmg = vmg_set_range(ctx, 0, 0x5000, 0, vm_flags);
    vmg.target = vma_prev;
    vmg.next = vma_next;
    expect(expand_existing(ctx, vmg)).toBe(0);
    expect(now(ctx, vma_prev)?.anon_vma).toBe(dummy_anon_vma);
    expect(wasCloned(ctx)).toBe(true);
    cleanup_mm(ctx);

    // next has the anon_vma; prev takes it.
    //         |<----->|
    // |-------*********-------|
    //   prev     vma     next
    //  extend   delete  delete
    ctx = mm();
    vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    let vma = alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags);
    vma_next = alloc_and_link_vma(ctx, 0x5000, 0x8000, 5, vm_flags);
    vma_set_dummy_anon_vma(ctx, vma_next);
    expectTook(ctx, change(ctx, vma_prev, vma, 0x3000, 0x5000), vma_prev, 0, 0x8000);

    // vma has the anon_vma; prev takes it.
    //         |<----->|
    // |-------*********-------|
    //   prev     vma     next
    //  extend   delete  delete
    ctx = mm();
    vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    vma = alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags);
    alloc_and_link_vma(ctx, 0x5000, 0x8000, 5, vm_flags);
    vma_set_dummy_anon_vma(ctx, vma);
    expectTook(ctx, change(ctx, vma_prev, vma, 0x3000, 0x5000), vma_prev, 0, 0x8000);

    // vma has the anon_vma; prev takes it and vma shrinks.
    //         |<----->|
    // |-------*************
    //   prev       vma
    //  extend shrink/delete
    ctx = mm();
    vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    vma = alloc_and_link_vma(ctx, 0x3000, 0x8000, 3, vm_flags);
    vma_set_dummy_anon_vma(ctx, vma);
    expectTook(ctx, change(ctx, vma_prev, vma, 0x3000, 0x5000), vma_prev, 0, 0x5000);

    // vma has the anon_vma; next takes it and vma shrinks.
    //     |<----->|
    // *************-------|
    //      vma       next
    // shrink/delete extend
    ctx = mm();
    vma = alloc_and_link_vma(ctx, 0, 0x5000, 0, vm_flags);
    vma_next = alloc_and_link_vma(ctx, 0x5000, 0x8000, 5, vm_flags);
    vma_set_dummy_anon_vma(ctx, vma);
    expectTook(ctx, change(ctx, vma, vma, 0x3000, 0x5000), vma_next, 0x3000, 0x8000);
  });

  it('test_vmi_prealloc_fail: a merge that runs out of memory unlinks the anon_vma it cloned', () => {
    // vma, which has an anon_vma, merges into prev: prev clones it, then the
    // tree preallocation fails (the first allocation: mm(1)).
    // 012345
    // PPPVV
    let ctx = mm(1);
    let vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    let vma = vma_set_dummy_anon_vma(ctx, alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags));
    const vmg = change(ctx, vma_prev, vma, 0x3000, 0x5000);
    expect(vmg.anon_vma).toBe(dummy_anon_vma);
    expect(merge_existing(ctx, vmg)).toBeNull();
    expect(vmg.state).toBe('VMA_MERGE_ERROR_NOMEM');
    // The C asserts vma_prev->anon_vma is still &dummy_anon_vma: its
    // unlink_anon_vmas() stub (tools/testing/vma/vma_internal.h) only sets
    // was_unlinked. mm/rmap.c's unlink_anon_vmas() also sets vma->anon_vma
    // to NULL, which the engine models: prev is left as it was.
    expect(now(ctx, vma_prev)?.anon_vma).toBeNull();
    // It was both cloned and unlinked.
    expect(wasCloned(ctx)).toBe(true);
    expect(wasUnlinked(ctx)).toBe(true);
    expect(span(ctx, vma_prev)).toEqual([0, 0x3000, 0]);
    expect(now(ctx, vma)?.anon_vma).toBe(dummy_anon_vma);
    cleanup_mm(ctx);

    // The same through vma_expand(), which new ranges merge through too.
    ctx = mm(1);
    vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    vma = vma_set_dummy_anon_vma(ctx, alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags));
    const expand = vmg_set_range(ctx, 0, 0x5000, 3, vm_flags);
    expand.target = vma_prev;
    expand.next = vma;
    expect(expand_existing(ctx, expand)).toBe(-ENOMEM);
    expect(expand.state).toBe('VMA_MERGE_ERROR_NOMEM');
    // As above: NULL here where the C stub leaves &dummy_anon_vma.
    expect(now(ctx, vma_prev)?.anon_vma).toBeNull();
    expect(wasCloned(ctx)).toBe(true);
    expect(wasUnlinked(ctx)).toBe(true);
    expect(ctx.mm.map_count).toBe(2);
    cleanup_mm(ctx);
  });
});
