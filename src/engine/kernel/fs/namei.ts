// SPDX-License-Identifier: GPL-2.0-or-later
// fs/namei.c (Linux 6.18): unlinking a name, as far as /proc's view of the
// mappings goes. The model names a file by its path; once the path is
// unlinked, every `struct file` open on it, and every VMA mapping one,
// prints the name with " (deleted)" (fs/d_path.c), while the inode lives on
// until its last user goes. A later open of the same path is a new file.
import type { Ctx } from '../mm/ctx';
import { vmaList } from '../mm/mm-snapshot';

/** fs/namei.c: do_unlinkat() (Linux 6.18), seen from the address space. */
export function do_unlinkat(ctx: Ctx, path: string): void {
  const unlinked = new Set(ctx.cur.unlinked);
  for (const f of ctx.cur.fds.values()) if (f.path === path) unlinked.add(f.id);
  for (const v of vmaList(ctx.mm))
    if (v.file === path && v.vm_file !== null) unlinked.add(v.vm_file);
  ctx.set({ unlinked });
  ctx.step(
    'do_unlinkat',
    'fs/namei.c',
    () => `${path} is unlinked: its mappings show it (deleted)`,
  );
}
