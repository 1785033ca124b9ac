// SPDX-License-Identifier: GPL-2.0-or-later
// fs/open.c (Linux 6.18): openat() and ftruncate(), as far as the model
// needs files — their identity, access mode and size.
import { ok, type Errno, type Result } from '../errno';
import type { Ctx, Why } from '../mm/ctx';
import { fget, type OpenFile } from '../mm/mm-snapshot';
import { hex } from '../mm/mm_types';
import { JUDGE_FILE_SIZE } from '../../world/process';

const OPEN_C = 'fs/open.c';
const O_ACCMODE = 3;
const O_PATH = 0o10000000;
const FMODE_READ = 1;
const FMODE_WRITE = 2;

/**
 * What a log recorded for an open: the file system is not modelled, so a
 * recorded failure (ENOENT, EACCES...) and a recorded fd are taken as given.
 */
export type OpenRecord = { errno: Errno } | { fd: number } | null;

/**
 * fs/open.c: do_sys_openat2() (Linux 6.18) — a new `struct file` for path
 * in the lowest free descriptor (or the one the log recorded).
 */
export function do_sys_openat2(
  ctx: Ctx,
  path: string,
  flags: number,
  recorded: OpenRecord,
): Result<number> {
  // do_dentry_open(): FMODE_READ / FMODE_WRITE from OPEN_FMODE() (access
  // mode 3 gives neither); O_PATH gives FMODE_PATH alone.
  const pathOnly = (flags & O_PATH) !== 0;
  const fmode = pathOnly ? 0 : ((flags & O_ACCMODE) + 1) & O_ACCMODE;
  if (recorded !== null && 'errno' in recorded) {
    const why = `${path}: the log recorded this failure (the file system is not modelled)`;
    return ctx.refuse('do_sys_openat2', OPEN_C, recorded.errno, why);
  }
  let fd = 3;
  while (ctx.cur.fds.has(fd)) fd++;
  if (recorded !== null) fd = recorded.fd;
  const id = ctx.cur.nextFileId;
  const file: OpenFile = {
    id,
    path,
    readable: (fmode & FMODE_READ) !== 0,
    writable: (fmode & FMODE_WRITE) !== 0,
    pathOnly,
  };
  const fds = new Map(ctx.cur.fds);
  fds.set(fd, file);
  // The size belongs to the path (fileSizes): an open does not change it.
  ctx.set({ fds, nextFileId: id + 1 });
  ctx.step('do_sys_openat2', OPEN_C, () => `fd ${fd} opens ${path}`);
  return ok(fd);
}

/**
 * fs/ext4/super.c: ext4_max_size() with 4 KiB blocks and extents, the
 * s_maxbytes of the file system the judge's files live on: ftruncate()
 * beyond it is EFBIG (mm/truncate.c: inode_newsize_ok()).
 */
const EXT4_MAX_BYTES = 2 ** 44 - 4096;

/**
 * fs/open.c: do_sys_ftruncate() and do_ftruncate() (Linux 6.18). The size
 * belongs to the file, that is to its path: every open of it sees it.
 */
export function do_sys_ftruncate(ctx: Ctx, fd: number, length: bigint): Result<number> {
  const fn = 'do_sys_ftruncate';
  const fail = (e: Errno, why: Why): Result<number> => ctx.refuse(fn, OPEN_C, e, why);
  if (length < 0n) return fail('EINVAL', () => `length ${length} is negative`);
  const file = fget(ctx.cur.fds, fd);
  if (file === null) return fail('EBADF', () => `fd ${fd} is not open (or O_PATH)`);
  if (!file.writable) {
    return ctx.refuse('do_ftruncate', OPEN_C, 'EINVAL', () => `fd ${fd} is not open for writing`);
  }
  if (length > BigInt(EXT4_MAX_BYTES)) {
    const why = (): string => `length ${length} is beyond the file system's limit`;
    return ctx.refuse('inode_newsize_ok', 'mm/truncate.c', 'EFBIG', why);
  }
  const size = Number(length);
  const sizes = new Map(ctx.cur.fileSizes);
  if (size === JUDGE_FILE_SIZE) sizes.delete(file.path);
  else sizes.set(file.path, size);
  ctx.set({ fileSizes: sizes });
  ctx.step(fn, OPEN_C, () => `${file.path} is now ${hex(size)} bytes long`);
  return ok(0);
}
