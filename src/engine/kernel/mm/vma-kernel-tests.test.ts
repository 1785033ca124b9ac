// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's own VMA unit tests (tools/testing/vma/vma.c, Linux 6.18 with
// its sticky-flag tests), rewritten in our words against this engine, each
// under its kernel name and with every assertion the C makes but one, on the
// iterator, which the engine does not have (the harness,
// vma-kernel-tests.fixture.ts, says what stands for what else it lacks).
// All sixteen, by file:
// - this one: test_simple_merge, test_simple_modify, test_simple_expand,
//   test_simple_shrink, test_merge_extend, test_copy_vma,
//   test_expand_only_mode, test_mmap_region_basic;
// - vma-kernel-tests-merge-new.test.ts: test_merge_new,
//   test_vma_merge_special_flags, test_vma_merge_with_close,
//   test_vma_merge_new_with_close;
// - vma-kernel-tests-merge-existing.test.ts: test_merge_existing,
//   test_anon_vma_non_mergeable;
// - vma-kernel-tests-anon-vma.test.ts: test_dup_anon_vma, test_vmi_prealloc_fail.
// Address spaces are drawn as the kernel's tests draw them, a character a page.
import { describe, expect, it } from 'vitest';
import { vmaList } from './mm-snapshot';
import { VM_MAYREAD, VM_READ } from './vm-flags';
import {
  VMG_STATE,
  copy_vma,
  mmap_region,
  vma_merge_new_range,
  vma_modify_flags,
  vma_shrink,
} from './vma';
import {
  alloc_and_link_vma,
  cleanup_mm,
  draw,
  expand_existing,
  merge_new,
  mm,
  now,
  span,
  vm_flags,
  vma_merge_extend,
  vma_write_started,
  vmg_set_range,
} from './vma-kernel-tests.fixture';
import { vma_lookup } from './vma_iter';

describe('tools/testing/vma, in our words: the simple ones and the callers', () => {
  it('test_simple_merge: a new range between two VMAs joins them into one', () => {
    const ctx = mm();
    // Linking cannot fail here (ASSERT_FALSE(attach_vma()) twice): both are in the tree.
    const vma_left = alloc_and_link_vma(ctx, 0, 0x1000, 0, vm_flags);
    const vma_right = alloc_and_link_vma(ctx, 0x2000, 0x3000, 2, vm_flags);
    expect(now(ctx, vma_left)).not.toBeNull();
    expect(now(ctx, vma_right)).not.toBeNull();
    // 0123
    // L*R
    const vma = merge_new(ctx, vmg_set_range(ctx, 0x1000, 0x2000, 1, vm_flags));
    expect(vma).not.toBeNull();
    expect(span(ctx, vma)).toEqual([0, 0x3000, 0]);
    expect(vma?.vm_flags).toBe(vm_flags);
    expect(draw(ctx, { L: vma_left })).toBe('LLL');
    cleanup_mm(ctx);
  });

  it('test_simple_modify: changing the middle page splits the VMA into three', () => {
    const ctx = mm();
    const init_vma = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    expect(now(ctx, init_vma)).not.toBeNull();
    // 0123
    // V*V   -> a VMA a page
    const r = vma_modify_flags(ctx, init_vma, init_vma, 0x1000, 0x2000, VM_READ | VM_MAYREAD);
    const vma = r.ok ? r.value : null;
    expect(vma).not.toBeNull();
    // We modify the VMA we were given; the splits allocate the new ones.
    expect(vma?.id).toBe(init_vma.id);
    expect(span(ctx, vma)).toEqual([0x1000, 0x2000, 1]);
    // The three VMAs, walked from 0.
    const [first, second, third] = vmaList(ctx.mm);
    expect(span(ctx, first)).toEqual([0, 0x1000, 0]);
    expect(span(ctx, second)).toEqual([0x1000, 0x2000, 1]);
    expect(span(ctx, third)).toEqual([0x2000, 0x3000, 2]);
    cleanup_mm(ctx);
  });

  it('test_simple_expand: vma_expand() grows a VMA over free space', () => {
    const ctx = mm();
    const vma = alloc_and_link_vma(ctx, 0, 0x1000, 0, vm_flags);
    expect(now(ctx, vma)).not.toBeNull();
    // The C merge state sets only the target and the range (its flags stay 0).
    const vmg = VMG_STATE(ctx, 0, 0x3000, 0, 0);
    vmg.target = vma;
    expect(expand_existing(ctx, vmg)).toBe(0);
    expect(span(ctx, vma)).toEqual([0, 0x3000, 0]);
    cleanup_mm(ctx);
  });

  it('test_simple_shrink: vma_shrink() keeps the first page', () => {
    const ctx = mm();
    const vma = alloc_and_link_vma(ctx, 0, 0x3000, 0, vm_flags);
    expect(now(ctx, vma)).not.toBeNull();
    expect(vma_shrink(ctx, vma, 0, 0x1000, 0).ok).toBe(true);
    expect(span(ctx, vma)).toEqual([0, 0x1000, 0]);
    cleanup_mm(ctx);
  });

  it('test_merge_extend: growing into the gap up to the next VMA joins it (mremap)', () => {
    const ctx = mm();
    const vma = alloc_and_link_vma(ctx, 0, 0x1000, 0, vm_flags);
    alloc_and_link_vma(ctx, 0x3000, 0x4000, 3, vm_flags);
    // <->
    // V**N  -> VVVV
    expect(vma_merge_extend(ctx, vma, 0x2000)?.id).toBe(vma.id);
    expect(span(ctx, vma)).toEqual([0, 0x4000, 0]);
    expect(vma_write_started(ctx, vma)).toBe(true);
    expect(ctx.mm.map_count).toBe(1);
    cleanup_mm(ctx);
  });

  it('test_copy_vma: a copy lands alone, or merges with the VMA next to it', () => {
    // Move backwards and do not merge:  **VV -> NN VV
    let ctx = mm();
    let vma = alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags);
    let r = copy_vma(ctx, vma, 0, 0x2000, 0);
    const vma_new = r.ok ? r.value.new_vma : null;
    expect(vma_new?.id).not.toBe(vma.id);
    expect(span(ctx, vma_new)).toEqual([0, 0x2000, 0]);
    expect(vma_lookup(ctx, 0)).toBe(vma_new); // vma_assert_attached()
    cleanup_mm(ctx);

    // Move into place below another VMA and merge with it:  VV  **NN
    ctx = mm();
    vma = alloc_and_link_vma(ctx, 0, 0x2000, 0, vm_flags);
    const vma_next = alloc_and_link_vma(ctx, 0x6000, 0x8000, 6, vm_flags);
    r = copy_vma(ctx, vma, 0x4000, 0x2000, 4);
    const merged = r.ok ? r.value.new_vma : null;
    expect(merged && vma_lookup(ctx, merged.vm_start)).toBe(merged); // vma_assert_attached()
    expect(merged?.id).toBe(vma_next.id);
    cleanup_mm(ctx);
  });

  it('test_expand_only_mode: just_expand grows prev and looks no further', () => {
    const ctx = mm();
    const vmg = VMG_STATE(ctx, 0x5000, 0x9000, vm_flags, 5);
    // A VMA below the one we expand, which just_expand must not walk back to.
    // 0123456789
    // AA PP****
    const vma_a = alloc_and_link_vma(ctx, 0, 0x2000, 0, vm_flags);
    const vma_prev = alloc_and_link_vma(ctx, 0x3000, 0x5000, 3, vm_flags);
    vmg.prev = vma_prev;
    vmg.just_expand = true;
    const vma = vma_merge_new_range(ctx, vmg);
    expect(vma).not.toBeNull();
    expect(vma?.id).toBe(vma_prev.id);
    expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
    expect(span(ctx, vma)).toEqual([0x3000, 0x9000, 3]);
    expect(vma_write_started(ctx, vma_prev)).toBe(true);
    // ASSERT_EQ(vma_iter_addr(&vmi), 0x3000) is not ported: the engine has no
    // VMA iterator whose position could be checked.
    expect(vma && vma_lookup(ctx, vma.vm_start)).toBe(vma); // vma_assert_attached()
    expect(draw(ctx, { A: vma_a, P: vma_prev })).toBe('AA PPPPPP');
    cleanup_mm(ctx);
  });

  it('test_mmap_region_basic: mappings placed next to others become two VMAs', () => {
    const ctx = mm();
    const map = (addr: number) => {
      const r = mmap_region(ctx, null, addr, 0x3000, vm_flags, addr / 0x1000, 0);
      return r.ok ? r.value : r.errno;
    };
    // Each is 3 pages: two apart, then one next to each, which merges.
    expect(map(0x300000)).toBe(0x300000);
    expect(map(0x250000)).toBe(0x250000);
    expect(map(0x303000)).toBe(0x303000);
    expect(map(0x24d000)).toBe(0x24d000);
    expect(ctx.mm.map_count).toBe(2);
    for (const vma of vmaList(ctx.mm)) {
      if (vma.vm_start === 0x300000) {
        expect([vma.vm_end, vma.vm_pgoff]).toEqual([0x306000, 0x300]);
      } else if (vma.vm_start === 0x24d000) {
        expect([vma.vm_end, vma.vm_pgoff]).toEqual([0x253000, 0x24d]);
      } else {
        expect.unreachable(`a VMA at ${vma.vm_start.toString(16)}`);
      }
    }
    cleanup_mm(ctx);
  });
});
