// SPDX-License-Identifier: GPL-2.0-or-later
// The scenario contract's calls: decode each call's arguments as the
// syscall's C types would hold them (unsigned long, int, 64-bit flag words)
// and dispatch to the kernel twin (the SYSCALL_DEFINE()s of mm/*.c,
// fs/open.c, fs/file.c, fs/exec.c and kernel/sys.c). Only what plain
// numbers cannot carry is worked out here: whether start + len wraps past
// 2^64, which the callers' kernels check first.
import { CALLS } from '../scenario/calls';
import { ok, type Errno, type Result } from '../kernel/errno';
import type { Diagnostic } from '../scenario/diagnostic';
import type { Arg } from '../scenario/parse';
import { MOST_ARGS, type CallArgs } from './call-args';
import type { Ctx } from '../kernel/mm/ctx';
import { touchRange } from '../kernel/mm/memory';
import { copy_mm } from '../kernel/fork';
import { do_madvise } from '../kernel/mm/madvise';
import { exec_mmap } from '../kernel/fs/exec';
import { close_fd } from '../kernel/fs/file';
import { do_sys_ftruncate, do_sys_openat2, type OpenRecord } from '../kernel/fs/open';
import { sys_prctl } from '../kernel/sys';
import {
  MAP_32BIT,
  MAP_DROPPABLE,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_HUGETLB,
  MAP_SYNC,
  MAP_TYPE,
} from '../kernel/mm/mman';
import { do_mmap, sys_brk } from '../kernel/mm/mmap';
import { do_mprotect_pkey } from '../kernel/mm/mprotect';
import { do_mremap } from '../kernel/mm/mremap';
import {
  do_mlock,
  sys_mlock2,
  sys_mlockall,
  sys_munlock,
  sys_munlockall,
} from '../kernel/mm/mlock';
import { do_mseal } from '../kernel/mm/mseal';
import { VM_LOCKED } from '../kernel/mm/vm-flags';
import { do_vmi_munmap } from '../kernel/mm/vma';

/** What a call returned: a value, an errno, or a signal for a pseudo-call. */
export type CallResult = Result<number> | { ok: false; signal: 'SIGSEGV' | 'SIGBUS' };

// Every call of the contract (the parser's table), and a strace log's execve.
export const MODELLED_CALLS: ReadonlySet<string> = new Set([...Object.keys(CALLS), 'execve']);

// Each helper reads the argument's `num` (its value as a number, set once
// by the parser, decoded once per run: call-args.ts) and falls back to
// BigInt arithmetic only for what a number cannot hold exactly: a negative
// or past-2^52 value.

const U52 = 2n ** 52n;
const TWO32 = 2 ** 32;
/** A 64-bit value as a number; values past 2^52 (never valid addresses) saturate. */
const saturate = (v: bigint): number => (v >= U52 ? Number(U52) * 2 : Number(v));
/** The argument's value as a number (NaN past 2^52), or the default's for a missing one. */
function num(a: CallArgs, i: number): number {
  return i < MOST_ARGS ? a.nums[a.base + i] : 0;
}
/** The argument's exact value (0 for a missing one). */
function int(a: CallArgs, i: number): bigint {
  const arg = a.call.args[i];
  return arg && arg.kind === 'int' ? arg.value : 0n;
}
/** An unsigned 64-bit argument as a number, saturated. */
function u(a: CallArgs, i: number): number {
  const n = num(a, i);
  return n >= 0 ? n : saturate(BigInt.asUintN(64, int(a, i)));
}
/** An unsigned 64-bit argument, exact. */
function u64(a: CallArgs, i: number): bigint {
  return num(a, i) >= 0 ? int(a, i) : BigInt.asUintN(64, int(a, i));
}
/** Bits 0..31 of an argument (flag words: every MAP_* bit lives there). */
function low32(a: CallArgs, i: number): number {
  const n = num(a, i);
  // ToUint32 keeps bits 0..31 of any integer a number holds exactly.
  return n === n ? n >>> 0 : Number(u64(a, i) & 0xffffffffn);
}
/** Bits 32..63 of an argument. */
function high32(a: CallArgs, i: number): number {
  const n = num(a, i);
  return n >= 0 ? Math.floor(n / TWO32) : Number(u64(a, i) >> 32n);
}
/**
 * An unsigned long flag word that the kernel refuses with unknown bits
 * (mremap's flags, mprotect's prot): bits 32..63, where no flag lives, fold
 * into bit 31, which none of these calls knows either, so `flags & ~KNOWN`
 * still sees them.
 */
const flagWord = (a: CallArgs, i: number): number =>
  (low32(a, i) | (high32(a, i) ? 0x80000000 : 0)) >>> 0;
/** PAGE_ALIGN() of an unsigned 64-bit argument (it wraps to 0 near 2^64), then as u() gives it. */
function pageAligned(a: CallArgs, i: number): number {
  const n = num(a, i);
  if (n >= 0) {
    const up = n + 0xfff - ((n + 0xfff) % 0x1000);
    return up >= 2 ** 52 ? 2 ** 53 : up;
  }
  return saturate(BigInt.asUintN(64, u64(a, i) + 0xfffn) & ~0xfffn);
}
function s32(a: CallArgs, i: number): number {
  const n = num(a, i);
  // ToInt32: bits 0..31 as a signed int, as the C cast to int takes them.
  return n === n ? n | 0 : Number(BigInt.asIntN(32, int(a, i)));
}

/** Whether start + PAGE_ALIGN(len) wraps past 2^64 (the C `end < start` checks). */
function wraps(a: CallArgs, si: number, li: number): boolean {
  // Two values below 2^52 add up to far below 2^64.
  if (num(a, si) >= 0 && num(a, li) >= 0) return false;
  const len = (u64(a, li) + 0xfffn) & ~0xfffn;
  return u64(a, si) + len >= 2n ** 64n;
}

/** What unmodelled() says of the argument `at`. */
function notModelled(at: Arg, message: string): Omit<Diagnostic, 'file' | 'line'> {
  return { column: at.column, message, text: at.text };
}

/** Why the engine cannot run this call faithfully, or null. */
export function unmodelled(a: CallArgs): Omit<Diagnostic, 'file' | 'line'> | null {
  const c = a.call;
  if (!MODELLED_CALLS.has(c.name)) {
    return { column: c.column, message: `${c.name} is not modelled`, text: c.name };
  }
  if (c.name === 'madvise' && u(a, 2) === 25) {
    const at = c.args[2];
    return {
      column: at.column,
      message:
        'MADV_COLLAPSE is not modelled: its result depends on the pages (THPs) behind the range',
      text: at.text,
    };
  }
  if (c.name === 'mmap') {
    const flags = low32(a, 3);
    const at = c.args[3];
    if (flags & MAP_HUGETLB) {
      return notModelled(at, 'MAP_HUGETLB is not modelled (no huge pages reserved)');
    }
    if (flags & MAP_SYNC) {
      return notModelled(
        at,
        'MAP_SYNC is not modelled: its result depends on the file system (DAX)',
      );
    }
    if (flags & MAP_32BIT && !(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
      // arch/x86/kernel/sys_x86_64.c: arch_get_unmapped_area_topdown() goes
      // bottom-up below 2 GiB for it; with MAP_FIXED it changes nothing.
      return notModelled(
        at,
        'MAP_32BIT without MAP_FIXED is not modelled: the kernel searches bottom-up below 2 GiB',
      );
    }
    if ((flags & MAP_TYPE) === MAP_DROPPABLE) {
      return notModelled(at, 'MAP_DROPPABLE is not modelled');
    }
  }
  return null;
}

const fromResult = (r: Result<number>): CallResult => r;

/** start + len wraps past 2^64: the `end < start` check of `fn` refuses it. */
const wrapped = (ctx: Ctx, fn: string, source: string): Result<number> =>
  ctx.refuse(fn, source, 'EINVAL', 'start + len wraps past the end of memory');

/** Runs one call on the model. */
export function executeCall(ctx: Ctx, a: CallArgs): CallResult {
  const c = a.call;
  switch (c.name) {
    case 'openat':
    case 'open': {
      const off = c.name === 'openat' ? 1 : 0;
      const p = c.args[off];
      const path = p && p.kind === 'string' ? p.value : '';
      // A log's recorded answer: its failure, or the descriptor it got.
      const e = c.expect;
      const recorded: OpenRecord =
        e?.kind === 'errno'
          ? { errno: e.errno as Errno }
          : e?.kind === 'value' && e.value >= 0n && e.value < 65536n
            ? { fd: Number(e.value) }
            : null;
      return do_sys_openat2(ctx, path, low32(a, off + 1), recorded);
    }
    case 'close':
      return close_fd(ctx, s32(a, 0));
    case 'ftruncate':
      return do_sys_ftruncate(ctx, s32(a, 0), BigInt.asIntN(64, u64(a, 1)));
    case 'mmap':
      return fromResult(
        do_mmap(ctx, {
          addr: u(a, 0),
          len: u(a, 1),
          prot: u(a, 2),
          flags: low32(a, 3),
          flagsHigh: high32(a, 3),
          fd: s32(a, 4),
          offset: u64(a, 5),
          // Only a length past 2^52 can wrap (num() is NaN for it).
          lenAlignWraps: !(num(a, 1) >= 0) && u64(a, 1) !== 0n && pageAligned(a, 1) === 0,
        }),
      );
    case 'munmap':
      return do_vmi_munmap(ctx, u(a, 0), u(a, 1));
    case 'mprotect':
      return do_mprotect_pkey(ctx, u(a, 0), u(a, 1), flagWord(a, 2), -1, wraps(a, 0, 1));
    case 'pkey_mprotect':
      return do_mprotect_pkey(ctx, u(a, 0), u(a, 1), flagWord(a, 2), s32(a, 3), wraps(a, 0, 1));
    case 'mremap':
      // do_mremap() page-aligns both lengths first, in 64 bits.
      return do_mremap(ctx, u(a, 0), pageAligned(a, 1), pageAligned(a, 2), flagWord(a, 3), u(a, 4));
    case 'madvise':
      // is_valid_madvise(): a range that wraps is EINVAL.
      if (wraps(a, 0, 1)) return wrapped(ctx, 'is_valid_madvise', 'mm/madvise.c');
      return do_madvise(ctx, u(a, 0), u(a, 1), s32(a, 2));
    case 'mlock':
      if (wraps(a, 0, 1)) return wrapped(ctx, 'apply_vma_lock_flags', 'mm/mlock.c');
      return do_mlock(ctx, u(a, 0), u(a, 1), VM_LOCKED);
    case 'mlock2':
      // sys_mlock2() checks its flags before the range.
      if (u(a, 2) & ~1) return sys_mlock2(ctx, 0, 0, u(a, 2));
      if (wraps(a, 0, 1)) return wrapped(ctx, 'apply_vma_lock_flags', 'mm/mlock.c');
      return sys_mlock2(ctx, u(a, 0), u(a, 1), u(a, 2));
    case 'munlock':
      if (wraps(a, 0, 1)) return wrapped(ctx, 'apply_vma_lock_flags', 'mm/mlock.c');
      return sys_munlock(ctx, u(a, 0), u(a, 1));
    case 'mlockall':
      return sys_mlockall(ctx, u(a, 0));
    case 'munlockall':
      return sys_munlockall(ctx);
    case 'brk':
      // A loaded process without [heap] has an unknown break (the kernel
      // randomises it): take the one the log recorded for brk(NULL).
      if (ctx.cur.start_brk === 0 && u(a, 0) === 0 && c.expect?.kind === 'value') {
        const at = Number(BigInt.asUintN(64, c.expect.value));
        ctx.set({ start_brk: at, brk: at });
      }
      return ok(sys_brk(ctx, u(a, 0)));
    case 'mseal':
      if (!u(a, 2) && u(a, 0) % 0x1000 === 0 && wraps(a, 0, 1)) {
        return wrapped(ctx, 'do_mseal', 'mm/mseal.c');
      }
      return do_mseal(ctx, u(a, 0), u(a, 1), u(a, 2));
    case 'prctl': {
      const name = c.args[4];
      return sys_prctl(ctx, {
        option: u(a, 0),
        arg2: u(a, 1),
        addr: u(a, 2),
        size: u(a, 3),
        // A NULL pointer (or 0) clears the name.
        name: name?.kind === 'string' ? name.value : null,
        rangeWraps: wraps(a, 2, 3),
      });
    }
    case '@touch':
    case '@read': {
      const start = u(a, 0);
      const len = c.args.length > 1 ? u(a, 1) : 1;
      if (len === 0) return ok(0);
      const r = touchRange(ctx, start, start + len, c.name === '@touch');
      return r === 'ok' ? ok(0) : { ok: false, signal: r };
    }
    case '@fork':
      return copy_mm(ctx);
    case 'execve':
      return exec_mmap(ctx);
    default:
      return ok(0);
  }
}
