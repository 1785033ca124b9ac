// SPDX-License-Identifier: GPL-2.0-or-later
// tools/testing/vma/vma.c (Linux 6.18), in our words: changing part of an
// existing VMA and merging it with its neighbours (vma_merge_existing_range()).
import { describe, expect, it } from 'vitest';
import type { Ctx } from './ctx';
import { VM_STICKY } from './vm-flags';
import type { VmaMergeStruct } from './vma';
import type { Vma } from './mm_types';
import {
  IS_SET,
  alloc_and_link_vma,
  cleanup_mm,
  draw,
  dummy_anon_vma,
  dummy_anon_vma_2,
  expectNoMerge,
  merge_existing,
  merge_new,
  mm,
  now,
  permutations,
  setVma,
  span,
  vm_flags,
  vma_set_dummy_anon_vma,
  vma_write_started,
  vmg_set_range,
} from './vma-kernel-tests.fixture';

/**
 * The checks test_merge_existing makes of the VMA that grew: that the merge
 * returned it, succeeded, its span, that it took the anon_vma, that it was
 * written, map_count, and that it kept VM_STICKY when a merged part had it.
 */
function expectGrew(
  ctx: Ctx,
  vmg: VmaMergeStruct,
  grew: Vma,
  range: [number, number, number],
  map_count: number,
  sticky: boolean,
): void {
  expect(merge_existing(ctx, vmg)?.id).toBe(grew.id);
  expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
  expect(span(ctx, grew)).toEqual(range);
  expect(now(ctx, grew)?.anon_vma).toBe(dummy_anon_vma);
  expect(vma_write_started(ctx, grew)).toBe(true);
  expect(ctx.mm.map_count).toBe(map_count);
  if (sticky) expect(IS_SET(now(ctx, grew)?.vm_flags ?? 0, VM_STICKY)).toBe(true);
}

/** The checks of the VMA that shrank: its span, and that it was written. */
function expectShrank(ctx: Ctx, vma: Vma, range: [number, number, number]): void {
  expect(span(ctx, vma)).toEqual(range);
  expect(vma_write_started(ctx, vma)).toBe(true);
}

/**
 * The range [start, end) of `vma` gets the new attributes (with `vma`'s own
 * anon_vma, which the test gives it here): vmg_set_range_anon_vma() and
 * vma_set_dummy_anon_vma().
 */
function changing(
  ctx: Ctx,
  prev: Vma | null,
  vma: Vma,
  start: number,
  end: number,
  flags: number,
): VmaMergeStruct {
  const vmg = vmg_set_range(ctx, start, end, vma.vm_pgoff + (start - vma.vm_start) / 0x1000, flags);
  vmg.anon_vma = dummy_anon_vma;
  vmg.middle = vma_set_dummy_anon_vma(ctx, vma);
  vmg.prev = prev?.id === vma.id ? vmg.middle : prev;
  return vmg;
}

/**
 * __test_merge_existing(): each way a changed range merges into prev, next or
 * both, and the ranges that cannot merge. VM_STICKY is on prev, on the
 * middle VMA (and so on the change) and on next as asked.
 */
function __test_merge_existing(
  prev_is_sticky: boolean,
  middle_is_sticky: boolean,
  next_is_sticky: boolean,
): void {
  const sticky = (yes: boolean) => (yes ? vm_flags | VM_STICKY : vm_flags);
  const flags = sticky(middle_is_sticky);
  const prev_flags = sticky(prev_is_sticky);
  const next_flags = sticky(next_is_sticky);
  const withClose = (vma: Vma) => setVma(ctx, vma, { vm_ops_close: true });

  // Merge right, part of V: next grows down, V shrinks. The close hooks on V
  // and N change nothing: neither is deleted.
  //    <->
  // 0123456789
  //   VVVVNNN  ->  VNNNNNN
  let ctx = mm();
  let vma = withClose(alloc_and_link_vma(ctx, 0x2000, 0x6000, 2, flags));
  let vma_next = withClose(alloc_and_link_vma(ctx, 0x6000, 0x9000, 6, next_flags));
  let vmg = changing(ctx, vma, vma, 0x3000, 0x6000, flags);
  expectGrew(ctx, vmg, vma_next, [0x3000, 0x9000, 3], 2, middle_is_sticky || next_is_sticky);
  expectShrank(ctx, vma, [0x2000, 0x3000, 2]);
  expect(draw(ctx, { V: vma, N: vma_next })).toBe('  VNNNNNN');
  expect(cleanup_mm(ctx)).toBe(2);

  // Merge right, all of V: next grows down over V, which is deleted.
  //   <-->
  // 0123456789
  //   VVVVNNN  ->  NNNNNNN
  ctx = mm();
  vma = alloc_and_link_vma(ctx, 0x2000, 0x6000, 2, flags);
  vma_next = withClose(alloc_and_link_vma(ctx, 0x6000, 0x9000, 6, next_flags));
  vmg = changing(ctx, null, vma, 0x2000, 0x6000, flags);
  expectGrew(ctx, vmg, vma_next, [0x2000, 0x9000, 2], 1, middle_is_sticky || next_is_sticky);
  expect(now(ctx, vma)).toBeNull();
  expect(cleanup_mm(ctx)).toBe(1);

  // Merge left, part of V: prev grows, V shrinks.
  //    <->
  // 0123456789
  // PPPVVVV  ->  PPPPPPV
  ctx = mm();
  let vma_prev = withClose(alloc_and_link_vma(ctx, 0, 0x3000, 0, prev_flags));
  vma = withClose(alloc_and_link_vma(ctx, 0x3000, 0x7000, 3, flags));
  vmg = changing(ctx, vma_prev, vma, 0x3000, 0x6000, flags);
  expectGrew(ctx, vmg, vma_prev, [0, 0x6000, 0], 2, prev_is_sticky || middle_is_sticky);
  expectShrank(ctx, vma, [0x6000, 0x7000, 6]);
  expect(draw(ctx, { P: vma_prev, V: vma })).toBe('PPPPPPV');
  expect(cleanup_mm(ctx)).toBe(2);

  // Merge left, all of V: prev grows over V, which is deleted.
  //    <-->
  // 0123456789
  // PPPVVVV  ->  PPPPPPP
  ctx = mm();
  vma_prev = withClose(alloc_and_link_vma(ctx, 0, 0x3000, 0, prev_flags));
  vma = alloc_and_link_vma(ctx, 0x3000, 0x7000, 3, flags);
  vmg = changing(ctx, vma_prev, vma, 0x3000, 0x7000, flags);
  expectGrew(ctx, vmg, vma_prev, [0, 0x7000, 0], 1, prev_is_sticky || middle_is_sticky);
  expect(now(ctx, vma)).toBeNull();
  expect(cleanup_mm(ctx)).toBe(1);

  // Merge both: prev grows over V and next, which are deleted.
  //    <-->
  // 0123456789
  // PPPVVVVNN  ->  PPPPPPPPP
  ctx = mm();
  vma_prev = withClose(alloc_and_link_vma(ctx, 0, 0x3000, 0, prev_flags));
  vma = alloc_and_link_vma(ctx, 0x3000, 0x7000, 3, flags);
  vma_next = alloc_and_link_vma(ctx, 0x7000, 0x9000, 7, next_flags);
  vmg = changing(ctx, vma_prev, vma, 0x3000, 0x7000, flags);
  const any_sticky = prev_is_sticky || middle_is_sticky || next_is_sticky;
  expectGrew(ctx, vmg, vma_prev, [0, 0x9000, 0], 1, any_sticky);
  expect([now(ctx, vma), now(ctx, vma_next)]).toEqual([null, null]);
  expect(cleanup_mm(ctx)).toBe(1);

  // Ranges that touch neither end of V cannot merge (callers only ever pass
  // ranges inside the VMA, so no others need trying). The kernel tries six;
  // the last repeats the second.
  // 0123456789a
  // PPPVVVVVNN      (the kernel draws N a page wider than it is)
  //     *           [4, 5)
  //      *          [5, 6)
  //       *         [6, 7)
  //     ***         [4, 7)
  //     **          [4, 6)
  //      *          [5, 6)
  ctx = mm();
  vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, prev_flags);
  vma = alloc_and_link_vma(ctx, 0x3000, 0x8000, 3, flags);
  vma_next = alloc_and_link_vma(ctx, 0x8000, 0xa000, 8, next_flags);
  for (const [start, end] of [
    [4, 5],
    [5, 6],
    [6, 7],
    [4, 7],
    [4, 6],
    [5, 6],
  ]) {
    const middle = vmg_set_range(ctx, start * 0x1000, end * 0x1000, start, flags);
    middle.prev = vma;
    middle.middle = vma;
    expectNoMerge(ctx, middle);
  }
  expect(draw(ctx, { P: vma_prev, V: vma, N: vma_next })).toBe('PPPVVVVVNN');
  expect(cleanup_mm(ctx)).toBe(3);
}

/**
 * The checks test_anon_vma_non_mergeable makes: prev took the range and grew
 * to [0, 7), next was not touched; then the mm has the two VMAs.
 */
function expectOnlyPrevGrew(
  ctx: Ctx,
  vmg: VmaMergeStruct,
  got: Vma | null,
  vma_prev: Vma,
  vma_next: Vma,
): void {
  expect(got?.id).toBe(vma_prev.id);
  expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
  expect(span(ctx, vma_prev)).toEqual([0, 0x7000, 0]);
  expect(vma_write_started(ctx, vma_prev)).toBe(true);
  expect(vma_write_started(ctx, vma_next)).toBe(false);
  expect(draw(ctx, { P: vma_prev, N: vma_next })).toBe('PPPPPPPNN');
  expect(cleanup_mm(ctx)).toBe(2);
}

describe('tools/testing/vma, in our words: merging a changed range', () => {
  // test_merge_existing runs __test_merge_existing() for every permutation of sticky flags.
  describe('test_merge_existing: the middle VMA kept, shrunk or deleted', () => {
    it.each(permutations(3))('sticky: prev %s, middle %s, next %s', __test_merge_existing);
  });

  it('test_anon_vma_non_mergeable: prev and next with different anon_vmas: only prev merges', () => {
    // prev and next each have an anon_vma with a chain of one, so each would
    // merge with a range that has none; but with each other they cannot.
    //    <-->
    // 0123456789
    // PPPVVVVNN  ->  PPPPPPPNN
    let ctx = mm();
    let vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    const vma = alloc_and_link_vma(ctx, 0x3000, 0x7000, 3, vm_flags);
    let vma_next = alloc_and_link_vma(ctx, 0x7000, 0x9000, 7, vm_flags);
    let vmg = vmg_set_range(ctx, 0x3000, 0x7000, 3, vm_flags, null);
    vmg.prev = vma_set_dummy_anon_vma(ctx, vma_prev);
    vmg.middle = vma;
    vma_next = vma_set_dummy_anon_vma(ctx, vma_next, dummy_anon_vma_2);
    expectOnlyPrevGrew(ctx, vmg, merge_existing(ctx, vmg), vma_prev, vma_next);

    // The same for a new range in the gap between them.
    //    <-->
    // 0123456789
    // PPP****NN  ->  PPPPPPPNN
    ctx = mm();
    vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    vma_next = alloc_and_link_vma(ctx, 0x7000, 0x9000, 7, vm_flags);
    vmg = vmg_set_range(ctx, 0x3000, 0x7000, 3, vm_flags, null);
    vma_set_dummy_anon_vma(ctx, vma_prev);
    vma_set_dummy_anon_vma(ctx, vma_next, dummy_anon_vma_2);
    expectOnlyPrevGrew(ctx, vmg, merge_new(ctx, vmg), vma_prev, vma_next);
  });
});
