// SPDX-License-Identifier: GPL-2.0-or-later
// kernel/sys.c (Linux 6.18): prctl(), as far as it touches VMAs —
// PR_SET_VMA, which names anonymous memory.
import type { Result } from './errno';
import type { Ctx } from './mm/ctx';
import { madvise_set_anon_name } from './mm/madvise';

const PR_SET_VMA = 0x53564d41;
const PR_SET_VMA_ANON_NAME = 0;
/** include/linux/mm_types.h: ANON_VMA_NAME_MAX_LEN, the terminating NUL included. */
const ANON_VMA_NAME_MAX_LEN = 80;
/** kernel/sys.c: is_valid_name_char() — printable ASCII but for `\\`, `` ` ``, `$`, `[`, `]`. */
const VALID_NAME = /^[\x20-\x7e]*$/;
const INVALID_NAME_CHARS = /[\\`$[\]]/;

/** The arguments of prctl() as the caller decoded them. */
export interface PrctlArgs {
  option: number;
  arg2: number;
  /** arg3 and arg4 of PR_SET_VMA: the range. */
  addr: number;
  size: number;
  /** arg5 of PR_SET_VMA_ANON_NAME: the name, or null for a NULL pointer (clears it). */
  name: string | null;
  /** Whether addr + size wraps past 2^64 (only 64-bit arithmetic can tell). */
  rangeWraps: boolean;
}

/** kernel/sys.c: prctl() (Linux 6.18) — PR_SET_VMA is the only option modelled. */
export function sys_prctl(ctx: Ctx, a: PrctlArgs): Result<number> {
  return prctl_set_vma(ctx, a);
}

/**
 * kernel/sys.c: prctl_set_vma() (Linux 6.18): PR_SET_VMA_ANON_NAME, the only
 * option; EINVAL without CONFIG_ANON_VMA_NAME (the profile says).
 */
function prctl_set_vma(ctx: Ctx, a: PrctlArgs): Result<number> {
  const fail = (why: string): Result<number> =>
    ctx.refuse('prctl_set_vma', 'kernel/sys.c', 'EINVAL', why);
  if (a.option !== PR_SET_VMA) {
    return ctx.refuse('sys_prctl', 'kernel/sys.c', 'EINVAL', () => `unknown option ${a.option}`);
  }
  if (!ctx.cur.kernel.anonVmaName) return fail('CONFIG_ANON_VMA_NAME is not set');
  if (a.arg2 !== PR_SET_VMA_ANON_NAME) return fail(`unknown PR_SET_VMA option ${a.arg2}`);
  if (a.name !== null) {
    // strndup_user(): a name as long as the limit or longer is EINVAL.
    if (a.name.length >= ANON_VMA_NAME_MAX_LEN) {
      return fail(`the name is ${ANON_VMA_NAME_MAX_LEN} characters or longer`);
    }
    if (!VALID_NAME.test(a.name) || INVALID_NAME_CHARS.test(a.name)) {
      return fail('the name has a character that is not allowed');
    }
  }
  // madvise_set_anon_name(): a range that wraps is EINVAL.
  if (a.addr % 0x1000 === 0 && a.rangeWraps) {
    const why = 'addr + size wraps past the end of memory';
    return ctx.refuse('madvise_set_anon_name', 'mm/madvise.c', 'EINVAL', why);
  }
  return madvise_set_anon_name(ctx, a.addr, a.size, a.name);
}
