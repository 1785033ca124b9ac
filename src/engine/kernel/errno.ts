// SPDX-License-Identifier: GPL-2.0-or-later
// include/uapi/asm-generic/errno-base.h: the errors memory calls return.

export type Errno =
  | 'EPERM'
  | 'ENOENT'
  | 'EINTR'
  | 'EBADF'
  | 'EAGAIN'
  | 'ENOMEM'
  | 'EACCES'
  | 'EFAULT'
  | 'EBUSY'
  | 'EEXIST'
  | 'ENODEV'
  | 'EINVAL'
  | 'ENFILE'
  | 'EMFILE'
  | 'ETXTBSY'
  | 'EFBIG'
  | 'EOVERFLOW'
  | 'EOPNOTSUPP';

/** One error channel, as style.md asks: a value or an errno. */
export type Result<T> = { ok: true; value: T } | { ok: false; errno: Errno };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const err = <T = never>(errno: Errno): Result<T> => ({ ok: false, errno });
