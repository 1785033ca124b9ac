// SPDX-License-Identifier: GPL-2.0-or-later
// The harness of the kernel's own VMA unit tests (tools/testing/vma/vma.c,
// Linux 6.18), in our words: the helpers those tests share, over this engine.
// Helpers that stand for the C test's own keep its names; the rest, which
// exist only here, are camelCase.
//
// What the C harness has and the engine does not, and what stands for it:
// - VMAs are immutable here: a change stores a new object with the same id.
//   The tests hold the object they linked and ask `now()` for what the tree
//   holds for its id today (null once a merge deleted it).
// - vma_write_started(): the engine takes no VMA locks (vm_lock_seq). What a
//   write lock announces is that the VMA is about to change, so ours answers
//   whether the engine stored a new object for the VMA since it was linked or
//   last asked (or deleted it); like the C helper it forgets on each ask.
// - The dummy anon_vma's was_cloned / was_unlinked: the steps the engine
//   records, dup_anon_vma (anon_vma_clone()) and unlink_anon_vmas.
// - fail_prealloc: the allocation counter fails the Nth allocation; linking
//   a test VMA allocates nothing, so `mm(1)` fails the merge's preallocation.
// - An anon_vma_chain of one entry (vma_set_dummy_anon_vma()): anon_vma_chain
//   1. validate_mm() requires a chain exactly when there is an anon_vma, so a
//   VMA the C test gives an anon_vma without a chain gets one entry too; that
//   only matters to is_mergeable_anon_vma(), which those cases do not reach.
// - The iterator (vma_iter_addr()) is not modelled: the engine has no vmi.
import { expect } from 'vitest';
import { AllocCounter, Ctx } from './ctx';
import { emptyMm, vmaList } from './mm-snapshot';
import { validate_mm } from './validate';
import { VM_MAYREAD, VM_MAYWRITE, VM_READ, VM_WRITE } from './vm-flags';
import {
  VMG_STATE,
  VMG_VMA_STATE,
  vma_expand,
  vma_merge_existing_range,
  vma_merge_new_range,
  type VmaMergeStruct,
} from './vma';
import { PAGE_SIZE, vma_init, type Vma } from './mm_types';
import { vma_lookup, find_vma, vma_prev, vma_iter_store_new } from './vma_iter';

export const vm_flags = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE;
export const ENOMEM = 12;

/** IS_SET(): every bit of `flags` is set in `val`. */
export const IS_SET = (val: number, flags: number): boolean => (val & flags) === flags;

/** The C test's `static struct anon_vma dummy_anon_vma` (and a second one). */
export const dummy_anon_vma = 1;
export const dummy_anon_vma_2 = 2;

interface HarnessRecord {
  /** The functions whose steps ran in this mm (was_cloned, was_unlinked). */
  ran: string[];
  /** The object each VMA id had when the test last looked (vma_write_started()). */
  seen: Map<number, Vma | null>;
}
const records = new WeakMap<Ctx, HarnessRecord>();
const record = (ctx: Ctx): HarnessRecord => records.get(ctx) as HarnessRecord;

/** An empty mm_struct; allocation `failAt` fails with ENOMEM (fail_prealloc). */
export function mm(failAt = 0): Ctx {
  const ran: string[] = [];
  const ctx = new Ctx(emptyMm, (fn) => ran.push(fn), new AllocCounter(failAt));
  records.set(ctx, { ran, seen: new Map() });
  return ctx;
}

/** What the tree holds for `vma`'s id now, or null if it is gone. */
export function now(ctx: Ctx, vma: Vma): Vma | null {
  return vmaList(ctx.mm).find((v) => v.id === vma.id) ?? null;
}

/** [vm_start, vm_end, vm_pgoff] of the VMA as it is now, or null if it is gone. */
export function span(ctx: Ctx, vma: Vma | null): [number, number, number] | null {
  const v = vma === null ? null : now(ctx, vma);
  return v === null ? null : [v.vm_start, v.vm_end, v.vm_pgoff];
}

/** alloc_and_link_vma(): a VMA of [start, end) at pgoff, linked into the tree. */
export function alloc_and_link_vma(
  ctx: Ctx,
  start: number,
  end: number,
  pgoff: number,
  flags: number,
): Vma {
  const vma = vma_init(ctx.newVmaId(), start, end, pgoff, flags);
  vma_iter_store_new(ctx, vma);
  ctx.set({ map_count: ctx.cur.map_count + 1 });
  record(ctx).seen.set(vma.id, vma);
  return vma;
}

/**
 * A test's own write to a VMA's fields (`vma->vm_ops = &vm_ops`,
 * vm_flags_set(), vma_set_dummy_anon_vma()): not a write the engine made, so
 * vma_write_started() does not count it.
 */
export function setVma(ctx: Ctx, vma: Vma, fields: Partial<Vma>): Vma {
  const got = ctx.update(now(ctx, vma) as Vma, fields);
  record(ctx).seen.set(got.id, got);
  return got;
}

/** vma_set_dummy_anon_vma() / __vma_set_dummy_anon_vma(): an anon_vma with a chain of one. */
export function vma_set_dummy_anon_vma(ctx: Ctx, vma: Vma, anon_vma = dummy_anon_vma): Vma {
  return setVma(ctx, vma, { anon_vma, anon_vma_chain: 1 });
}

/** vma_write_started(): see the top of this file. */
export function vma_write_started(ctx: Ctx, vma: Vma): boolean {
  const { seen } = record(ctx);
  const before = seen.has(vma.id) ? seen.get(vma.id) : vma;
  const after = now(ctx, vma);
  seen.set(vma.id, after);
  return after !== before;
}

/** anon_vma->was_cloned: dup_anon_vma() cloned an anon_vma in this mm. */
export const wasCloned = (ctx: Ctx): boolean => record(ctx).ran.includes('dup_anon_vma');
/** anon_vma->was_unlinked: unlink_anon_vmas() ran in this mm. */
export const wasUnlinked = (ctx: Ctx): boolean => record(ctx).ran.includes('unlink_anon_vmas');

/** vma_assert_attached(): the VMA is the one the tree holds for its range. */
function vma_assert_attached(ctx: Ctx, vma: Vma): void {
  expect(vma_lookup(ctx, vma.vm_start)).toBe(vma);
}

/**
 * vmg_set_range() (and vmg_set_range_anon_vma()): a merge state for
 * [start, end) with nothing else set; the tests fill in prev, middle, next
 * and target themselves.
 */
export function vmg_set_range(
  ctx: Ctx,
  start: number,
  end: number,
  pgoff: number,
  flags: number,
  anon_vma: number | null = null,
): VmaMergeStruct {
  const vmg = VMG_STATE(ctx, start, end, flags, pgoff);
  vmg.anon_vma = anon_vma;
  return vmg;
}

/** merge_new(): vma_merge_new_range() between the VMAs around the range. */
export function merge_new(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  vmg.next = find_vma(ctx, vmg.start);
  vmg.prev = vma_prev(ctx, vmg.start);
  const vma = vma_merge_new_range(ctx, vmg);
  if (vma !== null) vma_assert_attached(ctx, vma);
  return vma;
}

/** merge_existing(): vma_merge_existing_range(). */
export function merge_existing(ctx: Ctx, vmg: VmaMergeStruct): Vma | null {
  const vma = vma_merge_existing_range(ctx, vmg);
  if (vma !== null) vma_assert_attached(ctx, vma);
  return vma;
}

/** expand_existing(): vma_expand(); 0 or -ENOMEM as in C. */
export function expand_existing(ctx: Ctx, vmg: VmaMergeStruct): number {
  return vma_expand(ctx, vmg).ok ? 0 : -ENOMEM;
}

/**
 * try_merge_new_vma(): merge a new range, or else link a VMA for it; either
 * way the state must say which happened.
 */
export function try_merge_new_vma(
  ctx: Ctx,
  start: number,
  end: number,
  pgoff: number,
  flags: number,
): { vma: Vma; merged: boolean } {
  const vmg = vmg_set_range(ctx, start, end, pgoff, flags);
  const merged = merge_new(ctx, vmg);
  if (merged !== null) {
    expect(vmg.state).toBe('VMA_MERGE_SUCCESS');
    return { vma: merged, merged: true };
  }
  expect(vmg.state).toBe('VMA_MERGE_NOMERGE');
  return { vma: alloc_and_link_vma(ctx, start, end, pgoff, flags), merged: false };
}

/**
 * mm/vma.c: vma_merge_extend() (Linux 6.18) — grow `vma` by delta into the
 * gap above it, merging with the next VMA if it then touches it. (The engine
 * does this inline in mremap's expand_vma().)
 */
export function vma_merge_extend(ctx: Ctx, vma: Vma, delta: number): Vma | null {
  const vmg = VMG_VMA_STATE(ctx, vma, vma, vma.vm_end, vma.vm_end + delta);
  vmg.next = find_vma(ctx, vma.vm_end);
  vmg.middle = null; /* Only used to fill in the merge state. */
  return vma_merge_new_range(ctx, vmg);
}

/**
 * cleanup_mm(): how many VMAs the mm has; the address space must still be
 * valid. The tests then start again from a fresh `mm()`, which also resets
 * fail_prealloc and the dummy anon_vma.
 */
export function cleanup_mm(ctx: Ctx): number {
  validate_mm(ctx.mm);
  return vmaList(ctx.mm).length;
}

/** Every combination of n booleans, as the kernel's nested loops make them. */
export const permutations = (n: number): boolean[][] =>
  Array.from({ length: 1 << n }, (_, i) =>
    Array.from({ length: n }, (_, b) => ((i >> (n - 1 - b)) & 1) === 1),
  );

/** vma_merge_existing_range() must refuse the change: NULL and VMA_MERGE_NOMERGE. */
export function expectNoMerge(ctx: Ctx, vmg: VmaMergeStruct): void {
  expect(merge_existing(ctx, vmg)).toBeNull();
  expect(vmg.state).toBe('VMA_MERGE_NOMERGE');
}

/**
 * The address space drawn as the kernel's tests draw it, one character a
 * page from address 0: each VMA by the letter the test gave it (`?` for one
 * it did not name), a space for a gap.
 */
export function draw(ctx: Ctx, names: { [letter: string]: Vma }): string {
  const letter = new Map(Object.entries(names).map(([l, v]) => [v.id, l]));
  let out = '';
  for (const v of vmaList(ctx.mm)) {
    const from = v.vm_start / PAGE_SIZE;
    out = out.padEnd(from, ' ') + (letter.get(v.id) ?? '?').repeat(v.vm_end / PAGE_SIZE - from);
  }
  return out;
}
