// SPDX-License-Identifier: GPL-2.0-or-later
// fs/file.c (Linux 6.18): closing a descriptor.
import { ok, type Result } from '../errno';
import type { Ctx } from '../mm/ctx';

/** fs/file.c: close_fd() (Linux 6.18) — the mappings of the file stay. */
export function close_fd(ctx: Ctx, fd: number): Result<number> {
  if (!ctx.cur.fds.has(fd))
    return ctx.refuse('close_fd', 'fs/file.c', 'EBADF', () => `fd ${fd} is not open`);
  const fds = new Map(ctx.cur.fds);
  fds.delete(fd);
  ctx.set({ fds });
  ctx.step('close_fd', 'fs/file.c', () => `fd ${fd} closed (its mappings stay)`);
  return ok(0);
}
