// SPDX-License-Identifier: GPL-2.0-or-later
// kernel/fork.c (Linux 6.18): fork() as far as the address space goes —
// copy_mm() and dup_mm() make the child's mm a copy of the parent's with
// dup_mmap() (mm/mmap.c since 6.16). The scenario continues in the child.
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
