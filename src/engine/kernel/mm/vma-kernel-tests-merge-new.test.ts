// SPDX-License-Identifier: GPL-2.0-or-later
// tools/testing/vma/vma.c (Linux 6.18), in our words: merging a new range
// (vma_merge_new_range()), special mappings and close hooks.
import { describe, expect, it } from 'vitest';
import type { Ctx } from './ctx';
import { vmaList } from './mm-snapshot';
import { VM_DONTEXPAND, VM_IO, VM_MIXEDMAP, VM_PFNMAP, VM_SPECIAL, VM_STICKY } from './vm-flags';
import type { Vma } from './mm_types';
import {
  IS_SET,
  alloc_and_link_vma,
  cleanup_mm,
  draw,
  dummy_anon_vma,
  expectNoMerge,
  merge_existing,
  merge_new,
  mm,
  now,
  permutations,
  setVma,
  span,
  try_merge_new_vma,
  vm_flags,
  vma_set_dummy_anon_vma,
  vma_write_started,
  vmg_set_range,
} from './vma-kernel-tests.fixture';

/**
 * The checks test_merge_new makes after each merge: which VMA took the range,
 * that it merged, its span and anon_vma, that it was written, map_count, and
 * that it kept VM_STICKY when one of the merged parts had it.
 */
function expectMerged(
  ctx: Ctx,
  got: { vma: Vma; merged: boolean },
  want: Vma,
  range: [number, number, number],
  map_count: number,
  sticky: boolean,
): void {
  expect(got.vma.id).toBe(want.id);
  expect(got.merged).toBe(true);
  expect(span(ctx, got.vma)).toEqual(range);
  expect(now(ctx, got.vma)?.anon_vma).toBe(dummy_anon_vma);
  expect(vma_write_started(ctx, got.vma)).toBe(true);
  expect(ctx.mm.map_count).toBe(map_count);
  if (sticky) expect(IS_SET(now(ctx, got.vma)?.vm_flags ?? 0, VM_STICKY)).toBe(true);
}

/**
 * __test_merge_new(): new ranges merge with the VMAs around them, or not.
 * VM_STICKY is on every new range (and so on D) when is_sticky, and on A, B
 * and C as asked; a merge must keep it if any part had it.
 */
function __test_merge_new(
  is_sticky: boolean,
  a_is_sticky: boolean,
  b_is_sticky: boolean,
  c_is_sticky: boolean,
): void {
  const ctx = mm();
  const flags = is_sticky ? vm_flags | VM_STICKY : vm_flags;
  const stick = (vma: Vma, yes: boolean): Vma =>
    yes ? setVma(ctx, vma, { vm_flags: vma.vm_flags | VM_STICKY }) : vma;

  // 0123456789abc
  // AA B       C      (the kernel draws C two pages wide; it is one, at b)
  const vma_a = stick(alloc_and_link_vma(ctx, 0, 0x2000, 0, flags), a_is_sticky);
  expect(now(ctx, vma_a)).not.toBeNull();
  const vma_b = stick(alloc_and_link_vma(ctx, 0x3000, 0x4000, 3, flags), b_is_sticky);
  expect(now(ctx, vma_b)).not.toBeNull();
  const vma_c = stick(alloc_and_link_vma(ctx, 0xb000, 0xc000, 0xb, flags), c_is_sticky);
  expect(now(ctx, vma_c)).not.toBeNull();
  // Each VMA has one anon_vma_chain entry in C, so that duplicating an
  // anon_vma can be seen; here the chain comes with the anon_vma set below.

  // No merge: nothing touches the new range.
  // 0123456789abc
  // AA B   **  C
  const d = try_merge_new_vma(ctx, 0x7000, 0x9000, 7, flags);
  const vma_d = d.vma;
  expect(now(ctx, vma_d)).not.toBeNull();
  expect(d.merged).toBe(false);
  expect(ctx.mm.map_count).toBe(4);
  const layout = () => draw(ctx, { A: vma_a, B: vma_b, C: vma_c, D: vma_d });
  expect(layout()).toBe('AA B   DD  C');

  // Merge both sides: A grows over the range and B, which is deleted.
  // 0123456789abc
  // AA*B   DD  C
  setVma(ctx, vma_a, { vm_ops_close: true }); /* A close hook on A changes nothing. */
  vma_set_dummy_anon_vma(ctx, vma_b);
  let got = try_merge_new_vma(ctx, 0x2000, 0x3000, 2, flags);
  expectMerged(ctx, got, vma_a, [0, 0x4000, 0], 3, is_sticky || a_is_sticky || b_is_sticky);
  expect(layout()).toBe('AAAA   DD  C');

  // Merge with the previous VMA: A grows.
  // 0123456789abc
  // AAAA*  DD  C
  got = try_merge_new_vma(ctx, 0x4000, 0x5000, 4, flags);
  expectMerged(ctx, got, vma_a, [0, 0x5000, 0], 3, is_sticky || a_is_sticky);
  expect(layout()).toBe('AAAAA  DD  C');

  // Merge with the next VMA: D grows down (a close hook on D changes nothing).
  // 0123456789abc
  // AAAAA *DD  C
  vma_set_dummy_anon_vma(ctx, vma_d);
  setVma(ctx, vma_d, { vm_ops_close: true });
  got = try_merge_new_vma(ctx, 0x6000, 0x7000, 6, flags);
  expectMerged(ctx, got, vma_d, [0x6000, 0x9000, 6], 3, is_sticky /* D has is_sticky's flags */);
  expect(layout()).toBe('AAAAA DDD  C');

  // Merge both sides: A grows over the range and D, which is deleted (with
  // its close hook D could not be deleted: the test takes it away first).
  // 0123456789abc
  // AAAAA*DDD  C
  setVma(ctx, vma_d, { vm_ops_close: false });
  got = try_merge_new_vma(ctx, 0x5000, 0x6000, 5, flags);
  expectMerged(ctx, got, vma_a, [0, 0x9000, 0], 2, is_sticky || a_is_sticky);
  expect(layout()).toBe('AAAAAAAAA  C');

  // Merge with the next VMA: C grows down.
  // 0123456789abc
  // AAAAAAAAA *C
  vma_set_dummy_anon_vma(ctx, vma_c);
  got = try_merge_new_vma(ctx, 0xa000, 0xb000, 0xa, flags);
  expectMerged(ctx, got, vma_c, [0xa000, 0xc000, 0xa], 2, is_sticky || c_is_sticky);
  expect(layout()).toBe('AAAAAAAAA CC');

  // Merge both sides: A grows over the range and C, which is deleted.
  // 0123456789abc
  // AAAAAAAAA*CC
  got = try_merge_new_vma(ctx, 0x9000, 0xa000, 0x9, flags);
  expectMerged(ctx, got, vma_a, [0, 0xc000, 0], 1, is_sticky || a_is_sticky || c_is_sticky);

  // Final state: one VMA, A, over all of it.
  // 0123456789abc
  // AAAAAAAAAAAA
  expect(vmaList(ctx.mm).map((v) => [v.id, v.vm_start, v.vm_end, v.vm_pgoff, v.anon_vma])).toEqual([
    [vma_a.id, 0, 0xc000, 0, dummy_anon_vma],
  ]);
  cleanup_mm(ctx);
}

/**
 * The changes of an existing VMA in test_vma_merge_with_close: V at [3, 5),
 * prev at [0, 3) and next at [5, 9) if asked, a close hook on V or N, and a
 * merge state that changes all of V.
 */
function closeCase(want: { prev: boolean; next: boolean; close: 'V' | 'N' }) {
  const ctx = mm();
  const vma_prev = want.prev ? alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags) : null;
  const vma = alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags);
  const vma_next = want.next ? alloc_and_link_vma(ctx, 0x5000, 0x9000, 5, vm_flags) : null;
  setVma(ctx, want.close === 'V' ? vma : (vma_next as Vma), { vm_ops_close: true });
  const vmg = vmg_set_range(ctx, 0x3000, 0x5000, 3, vm_flags);
  vmg.prev = vma_prev;
  vmg.middle = now(ctx, vma);
  const names: { [letter: string]: Vma } = { V: vma };
  if (vma_prev) names.P = vma_prev;
  if (vma_next) names.N = vma_next;
  return { ctx, vmg, vma_prev, layout: () => draw(ctx, names) };
}

describe('tools/testing/vma, in our words: merging new ranges', () => {
  // test_merge_new runs __test_merge_new() for every permutation of sticky flags.
  describe('test_merge_new: every way a new range merges, or does not', () => {
    it.each(permutations(4))('sticky: new ranges %s, A %s, B %s, C %s', __test_merge_new);
  });

  it('test_vma_merge_special_flags: VM_SPECIAL never merges', () => {
    const ctx = mm();
    const special_flags = [VM_IO, VM_DONTEXPAND, VM_PFNMAP, VM_MIXEDMAP];
    // No VM_SPECIAL flag has been added that this test would miss.
    expect(special_flags.reduce((all, f) => all | f, 0)).toBe(VM_SPECIAL);
    // 01234
    // AAA
    const vma_left = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    expect(now(ctx, vma_left)).not.toBeNull();

    // 1. A new range that would merge with A but for the special flag.
    // 01234
    // AAA*
    const vmg = vmg_set_range(ctx, 0x3000, 0x4000, 3, vm_flags);
    for (const special_flag of special_flags) {
      setVma(ctx, vma_left, { vm_flags: vm_flags | special_flag });
      vmg.vm_flags = vm_flags | special_flag;
      expect(merge_new(ctx, vmg)).toBeNull();
      expect(vmg.state).toBe('VMA_MERGE_NOMERGE');
    }

    // 2. A VMA whose change would merge it with A but for the special flag.
    // 01234
    // AAAB
    const vma = alloc_and_link_vma(ctx, 0x3000, 0x4000, 3, vm_flags);
    expect(now(ctx, vma)).not.toBeNull();
    vmg.middle = vma;
    for (const special_flag of special_flags) {
      vmg.prev = setVma(ctx, vma_left, { vm_flags: vm_flags | special_flag });
      vmg.vm_flags = vm_flags | special_flag;
      expectNoMerge(ctx, vmg);
    }
    expect(draw(ctx, { A: vma_left, B: vma })).toBe('AAAB');
    cleanup_mm(ctx);
  });

  it('test_vma_merge_with_close: a VMA with a close hook is never deleted by a merge', () => {
    // A merge may delete middle, or next, never prev (prev grows). A close
    // hook frees what belongs to the VMA's own range, so a VMA that has one
    // must not be deleted: a new range next to such a next only extends prev,
    // and a change that would delete such a middle does not merge at all. (A
    // middle without a hook before a next with one cannot occur: the same
    // vm_ops would mean the same file.)

    // A new range between prev and a next with a close hook: prev grows, next stays.
    // 0123456789
    // PPP**NNNN  ->  PPPPPNNNN
    const ctx = mm();
    const vma_prev = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    const vma_next = setVma(ctx, alloc_and_link_vma(ctx, 0x5000, 0x9000, 5, vm_flags), {
      vm_ops_close: true,
    });
    const vmg = vmg_set_range(ctx, 0x3000, 0x5000, 3, vm_flags);
    expect(merge_new(ctx, vmg)?.id).toBe(vma_prev.id);
    expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
    expect(span(ctx, vma_prev)).toEqual([0, 0x5000, 0]);
    expect(draw(ctx, { P: vma_prev, N: vma_next })).toBe('PPPPPNNNN');
    expect(cleanup_mm(ctx)).toBe(2);

    // All of V, which has a close hook, would merge into prev: it cannot be deleted.
    //    <>
    // 0123456789
    // PPPVV
    let c = closeCase({ prev: true, next: false, close: 'V' });
    expectNoMerge(c.ctx, c.vmg);
    expect(c.layout()).toBe('PPPVV');
    expect(cleanup_mm(c.ctx)).toBe(2);

    // The same towards next. A refusal, not an out-of-memory report (which,
    // the kernel's comment recalls, it once was).
    //    <>
    // 0123456789
    //    VVNNNN
    c = closeCase({ prev: false, next: true, close: 'V' });
    expectNoMerge(c.ctx, c.vmg);
    expect(c.layout()).toBe('   VVNNNN');
    expect(cleanup_mm(c.ctx)).toBe(2);

    // Both sides would merge, but V has a close hook: no merge at all.
    //    <>
    // 0123456789
    // PPPVVNNNN
    c = closeCase({ prev: true, next: true, close: 'V' });
    expectNoMerge(c.ctx, c.vmg);
    expect(c.layout()).toBe('PPPVVNNNN');
    expect(cleanup_mm(c.ctx)).toBe(3);

    // Both sides would merge, but N has a close hook: prev takes V only.
    //    <>
    // 0123456789
    // PPPVVNNNN  ->  PPPPPNNNN
    c = closeCase({ prev: true, next: true, close: 'N' });
    expect(merge_existing(c.ctx, c.vmg)?.id).toBe(c.vma_prev?.id);
    expect(c.vmg.state).toBe('VMA_MERGE_SUCCESS');
    expect(span(c.ctx, c.vma_prev)).toEqual([0, 0x5000, 0]);
    expect(c.layout()).toBe('PPPPPNNNN');
    expect(cleanup_mm(c.ctx)).toBe(2);
  });

  it('test_vma_merge_new_with_close: neighbours with close hooks: prev grows, next stays', () => {
    // Both neighbours of the new range have a close hook. Deleting next is
    // not allowed, so instead of prev growing over next, prev grows up to it.
    //        new
    //    A  v-------v  B
    // |-----|       |-----|
    //  close         close
    //                        ->
    //        new
    //       A          B
    // |------------||-----|
    //  close         close
    const ctx = mm();
    const vma_prev = alloc_and_link_vma(ctx, 0, 0x2000, 0, vm_flags);
    const vma_next = alloc_and_link_vma(ctx, 0x5000, 0x7000, 5, vm_flags);
    setVma(ctx, vma_prev, { vm_ops_close: true });
    setVma(ctx, vma_next, { vm_ops_close: true });
    const vmg = vmg_set_range(ctx, 0x2000, 0x5000, 2, vm_flags);
    const vma = merge_new(ctx, vmg);
    expect(vma).not.toBeNull();
    expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
    expect(span(ctx, vma)).toEqual([0, 0x5000, 0]);
    expect(vma?.vm_ops_close).toBe(true);
    expect(vma_write_started(ctx, vma_prev)).toBe(true);
    expect(ctx.mm.map_count).toBe(2);
    expect(draw(ctx, { A: vma_prev, B: vma_next })).toBe('AAAAABB');
    cleanup_mm(ctx);
  });
});
