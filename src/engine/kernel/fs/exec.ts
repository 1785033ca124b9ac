// SPDX-License-Identifier: GPL-2.0-or-later
// fs/exec.c (Linux 6.18): execve() as far as the address space goes.
import { ok, type Result } from '../errno';
import type { Ctx } from '../mm/ctx';
import { emptyMm, mmFields } from '../mm/mm-snapshot';

/**
 * fs/exec.c: exec_mmap() (Linux 6.18) — the process continues in a fresh
 * address space (what the new program maps is not modelled: a strace log
 * shows its calls).
 */
export function exec_mmap(ctx: Ctx): Result<number> {
  ctx.set(mmFields(emptyMm, { kernel: ctx.cur.kernel }));
  ctx.step('exec_mmap', 'fs/exec.c', 'a fresh address space');
  return ok(0);
}
