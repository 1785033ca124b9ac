// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's own VMA unit tests (tools/testing/vma/vma.c, Linux 6.12 and
// later), rewritten in our words against this engine. Address spaces are
// drawn as the kernel's tests draw them: one character a page.
import { describe, expect, it } from 'vitest';
import { AllocCounter, Ctx } from './ctx';
import { mmap_region } from './mmap';
import { emptyMm, vmaList } from './mm';
import { copy_vma } from './mremap';
import { validate_mm } from './validate';
import { VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE } from './vm-flags';
import {
  VMG_STATE,
  VMG_VMA_STATE,
  do_vmi_munmap,
  vma_expand,
  vma_merge_new_range,
  vma_modify_flags,
  vma_shrink,
  type VmaMergeStruct,
} from './vma-ops';
import { vma_init, type Vma } from './vma';

const flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
const P = 0x1000;

function mm(failAt = 0): Ctx {
  return new Ctx({ ...emptyMm }, () => {}, new AllocCounter(failAt));
}

/** alloc_and_link_vma(): a VMA of [start, end) at pgoff, linked into the tree. */
function link(ctx: Ctx, start: number, end: number, pgoff: number, patch: Partial<Vma> = {}): Vma {
  const v = vma_init(ctx.newVmaId(), start, end, pgoff, flags, patch);
  ctx.treeStore(start, end, v);
  ctx.set({ map_count: ctx.mm.map_count + 1 });
  return v;
}

function vmgNew(ctx: Ctx, start: number, end: number, pgoff: number, f = flags): VmaMergeStruct {
  const vmg = VMG_STATE(ctx, start, end, f, pgoff);
  vmg.prev = ctx.prevOf(start);
  vmg.next = ctx.findVma(start);
  return vmg;
}

const range = (v: Vma | null) => (v ? [v.vm_start, v.vm_end, v.vm_pgoff] : null);

describe('tools/testing/vma, in our words', () => {
  it('test_simple_merge: a new range between two VMAs joins them into one', () => {
    const ctx = mm();
    link(ctx, 0, 0x1000, 0);
    link(ctx, 0x2000, 0x3000, 2);
    const got = vma_merge_new_range(ctx, vmgNew(ctx, 0x1000, 0x2000, 1));
    expect(range(got)).toEqual([0, 0x3000, 0]);
    expect(ctx.mm.map_count).toBe(1);
    validate_mm(ctx.mm);
  });

  it('test_simple_modify: changing the middle page splits into three', () => {
    const ctx = mm();
    const v = link(ctx, 0, 0x3000, 0);
    const r = vma_modify_flags(ctx, v, v, 0x1000, 0x2000, VM_READ | VM_MAYREAD);
    expect(r.ok && range(r.value)).toEqual([0x1000, 0x2000, 1]);
    // We modify the given VMA; a split allocates the new ones.
    expect(r.ok && r.value.id).toBe(v.id);
    expect(vmaList(ctx.mm).map(range)).toEqual([
      [0, 0x1000, 0],
      [0x1000, 0x2000, 1],
      [0x2000, 0x3000, 2],
    ]);
    validate_mm(ctx.mm);
  });

  it('test_simple_expand: vma_expand() grows a VMA over free space', () => {
    const ctx = mm();
    const v = link(ctx, 0, 0x1000, 0);
    const vmg = VMG_VMA_STATE(ctx, null, v, 0, 0x3000);
    vmg.target = v;
    vmg.middle = null;
    expect(vma_expand(ctx, vmg).ok).toBe(true);
    expect(range(ctx.lookup(0))).toEqual([0, 0x3000, 0]);
    validate_mm(ctx.mm);
  });

  it('test_simple_shrink: vma_shrink() keeps the first page', () => {
    const ctx = mm();
    const v = link(ctx, 0, 0x3000, 0);
    const r = vma_shrink(ctx, v, 0, 0x1000, 0);
    expect(r.ok && range(r.value)).toEqual([0, 0x1000, 0]);
    expect(ctx.lookup(0x1000)).toBeNull();
    validate_mm(ctx.mm);
  });

  it('test_merge_extend: mremap growth fills the gap up to the next VMA and joins it', () => {
    const ctx = mm();
    const v = link(ctx, 0, 0x1000, 0);
    link(ctx, 0x3000, 0x4000, 3);
    const vmg = VMG_VMA_STATE(ctx, v, v, 0x1000, 0x3000);
    vmg.next = ctx.findVma(0x1000);
    vmg.middle = null;
    const got = vma_merge_new_range(ctx, vmg);
    expect(got?.id).toBe(v.id);
    expect(range(got)).toEqual([0, 0x4000, 0]);
    expect(ctx.mm.map_count).toBe(1);
  });

  it('test_copy_vma: a copy lands alone, or merges with the VMA next to it', () => {
    let ctx = mm();
    let v = link(ctx, 0x3000, 0x5000, 3);
    let r = copy_vma(ctx, v, 0, 0x2000, 0);
    expect(r.ok && r.value.new_vma.id !== v.id).toBe(true);
    expect(r.ok && range(r.value.new_vma)).toEqual([0, 0x2000, 0]);

    ctx = mm();
    v = link(ctx, 0, 0x2000, 0);
    const next = link(ctx, 0x6000, 0x8000, 6);
    r = copy_vma(ctx, v, 0x4000, 0x2000, 4);
    expect(r.ok && r.value.new_vma.id).toBe(next.id);
    validate_mm(ctx.mm);
  });

  it('test_expand_only_mode: just_expand grows prev without looking further', () => {
    const ctx = mm();
    link(ctx, 0, 0x2000, 0);
    const prev = link(ctx, 0x3000, 0x5000, 3);
    const vmg = VMG_STATE(ctx, 0x5000, 0x9000, flags, 5);
    vmg.prev = prev;
    vmg.just_expand = true;
    const got = vma_merge_new_range(ctx, vmg);
    expect(got?.id).toBe(prev.id);
    expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
    expect(range(got)).toEqual([0x3000, 0x9000, 3]);
  });

  it('test_mmap_region_basic: mappings placed one after another become one VMA', () => {
    const ctx = mm();
    const base = 0x300000000000 - 0x10000;
    for (const [addr, pages] of [
      [base + 0x3000, 3],
      [base + 0x6000, 3],
      [base, 3],
    ] as const) {
      const r = mmap_region(ctx, null, addr, pages * P, flags, addr / P, 0);
      expect(r.ok).toBe(true);
    }
    expect(vmaList(ctx.mm).map(range)).toEqual([[base, base + 0x9000, base / P]]);
    const u = do_vmi_munmap(ctx, base + 0x1000, 0x1000);
    expect(u.ok).toBe(true);
    expect(ctx.mm.map_count).toBe(2);
    validate_mm(ctx.mm);
  });
});
