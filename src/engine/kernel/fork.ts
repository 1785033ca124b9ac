// SPDX-License-Identifier: GPL-2.0-or-later
// kernel/fork.c (Linux 6.18): fork() as far as the address space goes —
// copy_mm() and dup_mm() make the child's mm a copy of the parent's with
// dup_mmap() (mm/mmap.c since 6.16). The scenario continues in the child;
// a replay's parent goes on (copy_mm_for_child).
import type { Result } from './errno';
import type { Ctx } from './mm/ctx';
import { dup_mmap } from './mm/mmap';

/**
 * kernel/fork.c: copy_mm() + dup_mm() (Linux 6.18) — the child's mm. The
 * model keeps one address space, so the child's replaces the parent's.
 */
export function copy_mm(ctx: Ctx): Result<number> {
  return dup_mmap(ctx);
}

/**
 * fork() seen from the parent, which goes on (a recording's parent: its
 * child is replayed on its own): the child's mm is built as copy_mm()
 * builds it, for the events the kernel emits, then let go; the parent's
 * address space is as it was.
 */
export function copy_mm_for_child(ctx: Ctx): Result<number> {
  const parent = ctx.mm;
  const names = ctx.events?.keepParentNames();
  const r = copy_mm(ctx);
  // The child's objects stay the child's: new ones the parent makes later are others.
  const { nextVmaId, nextAnonVmaId, nextFileId } = ctx.cur;
  ctx.set({ ...parent, nextVmaId, nextAnonVmaId, nextFileId });
  names?.();
  ctx.step('copy_mm', 'kernel/fork.c', () =>
    r.ok ? 'the child got its copy (dup_mmap); the parent goes on' : `fork failed: ${r.errno}`,
  );
  return r;
}
