// SPDX-License-Identifier: GPL-2.0-or-later
// What the judge refuses to run, checked before any call runs: a call that
// could change memory outside the window [JUDGE_WINDOW_START,
// JUDGE_WINDOW_END) (the runner's own code, stack and data live there), or
// that could make the kernel fill more memory than the machine should spare.
//
// Decisions:
// - Every address a call names, with its length, must lie in the window.
//   `mmap` without MAP_FIXED / MAP_FIXED_NOREPLACE runs: the kernel never
//   replaces anything then, and the judge's mmap_base is the window's end, so
//   the kernel's choice lands at the top of the window (a hint, if given, must
//   lie in the window too). A moving `mremap` is the same.
// - `brk` runs: the judge's break starts at JUDGE_START_BRK, the window's
//   start, so the [heap] it grows is in the window. Its argument must not lie
//   above the window; below it the kernel refuses by itself, because the
//   judge's end_data is the window's start too.
// - `mlockall`/`munlockall` run; they lock and unlock the runner's own pages
//   as well, which changes nothing the output shows. Only the window's VMAs
//   are printed (with `lo` after MCL_CURRENT; MCL_FUTURE locks later mappings).
// - Calls that fill memory are capped at POPULATE_LIMIT bytes.
// - `mremap` whose new length the kernel refuses up front (check_mremap_params())
//   runs whatever its addresses: it fails with EINVAL before looking at them.
// - Calls outside the contract's table (a strace log's `execve`) never run.
// - `prctl` runs only as PR_SET_VMA; MADV_HWPOISON and MADV_SOFT_OFFLINE never
//   run (they would take a physical page of this machine out of service).
import type { Diagnostic, ScenarioCall } from '../../engine';
import { JUDGE_WINDOW_END, JUDGE_WINDOW_START } from '../../engine/world/process';
import { CALLS } from '../../engine/scenario/calls';
import { FLAG_VALUES } from '../../engine/scenario/flags';

/** The most memory one call may make the kernel fill (fault in, lock, populate). */
export const POPULATE_LIMIT = 256n << 20n;
/** arch/x86: TASK_SIZE with 4-level paging. */
const TASK_SIZE = 0x7ffffffff000n;
/** The longest string the runner takes (PATH_MAX). */
export const STRING_LIMIT = 4096;

const WS = BigInt(JUDGE_WINDOW_START);
const WE = BigInt(JUDGE_WINDOW_END);
const MAP = FLAG_VALUES.MAP;
const MADV = FLAG_VALUES.MADV;
const MCL = FLAG_VALUES.MCL;
const MAP_FIXED_ANY = BigInt(MAP.MAP_FIXED | MAP.MAP_FIXED_NOREPLACE);
const MAP_FILLS = BigInt(MAP.MAP_POPULATE | MAP.MAP_LOCKED);
const FILLING_ADVICE = new Set([
  MADV.MADV_WILLNEED,
  MADV.MADV_POPULATE_READ,
  MADV.MADV_POPULATE_WRITE,
]);
const REFUSED_ADVICE = new Map([
  [MADV.MADV_HWPOISON, 'MADV_HWPOISON'],
  [MADV.MADV_SOFT_OFFLINE, 'MADV_SOFT_OFFLINE'],
]);
const LOCKING = new Set(['mlock', 'mlock2', 'mlockall']);
const hex = (n: bigint): string => '0x' + n.toString(16);
const WINDOW = `the judge's window ${hex(WS)}-${hex(WE)}`;

/** The diagnostics for every call the judge will not run; empty when it runs them all. */
export function validateForJudge(calls: readonly ScenarioCall[], file: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const scenarioLocks = calls.some(
    (c) =>
      LOCKING.has(c.name) || (c.name === 'mmap' && (int(c, 3) & BigInt(MAP.MAP_LOCKED)) !== 0n),
  );
  const mappedBound = upperBoundOfMappedBytes(calls);

  for (const c of calls) {
    const refuse = (arg: number, message: string): void => {
      const a = arg >= 0 ? (c.args[arg] ?? null) : null;
      out.push({
        file,
        line: c.line,
        column: a ? a.column : c.column,
        message,
        text: a ? a.text : c.name,
      });
    };
    /** [addr, addr + len) must lie in the window; returns false after refusing. */
    const range = (addrArg: number, len: bigint, what = c.name): boolean => {
      const start = u64(c, addrArg);
      const end = start + len;
      if (start >= WS && end <= WE) return true;
      refuse(addrArg, `${what} range ${hex(start)}-${hex(end)} reaches outside ${WINDOW}`);
      return false;
    };
    const fills = (arg: number, len: bigint): void => {
      if (len > POPULATE_LIMIT) {
        refuse(
          arg,
          `${c.name} would fill ${hex(len)} bytes; the judge's limit is ${hex(POPULATE_LIMIT)}`,
        );
      }
    };

    if (!(c.name in CALLS)) {
      refuse(-1, `the judge does not run ${c.name}: it would replace or end the runner`);
      continue;
    }
    switch (c.name) {
      case 'mmap': {
        const flags = int(c, 3);
        const len = u64(c, 1);
        if (flags & MAP_FIXED_ANY) {
          range(0, len);
        } else if (u64(c, 0) !== 0n) {
          // The kernel rounds the hint and the length up to pages, separately.
          const hint = u64(c, 0);
          range(0, pageAlign(hint) - hint + pageAlign(len), 'mmap hint');
        } else if (len > WE - WS) {
          refuse(1, `mmap length ${hex(len)} does not fit in ${WINDOW}`);
        }
        // With MAP_FIXED, MAP_32BIT changes nothing; without, the kernel maps below 2 GiB.
        if (flags & BigInt(MAP.MAP_32BIT) && !(flags & MAP_FIXED_ANY)) {
          refuse(3, `MAP_32BIT without MAP_FIXED maps outside ${WINDOW}`);
        }
        if (flags & MAP_FILLS) fills(1, len);
        break;
      }
      case 'munmap':
      case 'mprotect':
      case 'pkey_mprotect':
      case 'munlock':
      case 'mseal':
        range(0, u64(c, 1));
        break;
      case 'mlock':
      case 'mlock2':
        if (range(0, u64(c, 1))) fills(1, u64(c, 1));
        break;
      case 'madvise': {
        const advice = Number(int(c, 2));
        const refused = REFUSED_ADVICE.get(advice);
        if (refused) refuse(2, `the judge does not run ${refused}: it would damage this machine`);
        else if (range(0, u64(c, 1)) && FILLING_ADVICE.has(advice)) fills(1, u64(c, 1));
        break;
      }
      case 'mremap': {
        const oldLen = u64(c, 1);
        const newLen = u64(c, 2);
        const flags = int(c, 3);
        // check_mremap_params() refuses a new length that page-aligns to 0 or
        // above TASK_SIZE before anything else: such a call runs (EINVAL).
        const aligned = BigInt.asUintN(64, pageAlign(newLen));
        if (aligned === 0n || aligned > TASK_SIZE) break;
        range(0, oldLen > newLen ? oldLen : newLen, 'mremap (old address and the larger length)');
        if (flags & BigInt(FLAG_VALUES.MREMAP.MREMAP_FIXED)) range(4, newLen, 'mremap new');
        if (scenarioLocks) fills(2, newLen);
        break;
      }
      case 'brk':
        // Below the window the kernel refuses by itself (end_data is the window's start).
        if (u64(c, 0) > WE) refuse(0, `brk ${hex(u64(c, 0))} is beyond the end of ${WINDOW}`);
        break;
      case 'mlockall': {
        const flags = int(c, 0);
        const populates =
          (flags & BigInt(MCL.MCL_CURRENT | MCL.MCL_FUTURE)) !== 0n &&
          (flags & BigInt(MCL.MCL_ONFAULT)) === 0n;
        if (populates && mappedBound > POPULATE_LIMIT) {
          refuse(
            0,
            `mlockall could fill up to ${hex(mappedBound)} bytes of this scenario's mappings; the judge's limit is ${hex(POPULATE_LIMIT)}`,
          );
        }
        break;
      }
      case 'prctl':
        if (int(c, 0) !== BigInt(FLAG_VALUES.PR.PR_SET_VMA)) {
          refuse(0, 'the judge runs prctl only as PR_SET_VMA');
        } else {
          range(2, u64(c, 3));
          stringArg(c, 4, refuse);
        }
        break;
      case '@touch':
      case '@read': {
        const len = c.args.length > 1 ? u64(c, 1) : 1n;
        if (range(0, len)) fills(c.args.length > 1 ? 1 : 0, len);
        break;
      }
      case 'openat':
        stringArg(c, 1, refuse);
        break;
      case 'open':
        stringArg(c, 0, refuse);
        break;
      default:
        break;
    }
  }
  return out;
}

function stringArg(c: ScenarioCall, i: number, refuse: (arg: number, m: string) => void): void {
  const a = c.args[i];
  if (a?.kind === 'string' && Buffer.byteLength(a.value) >= STRING_LIMIT) {
    refuse(i, `string longer than the judge's limit of ${STRING_LIMIT - 1} bytes`);
  }
}

/** Every byte the scenario could map: the sum of mmap and mremap lengths and the break's growth. */
function upperBoundOfMappedBytes(calls: readonly ScenarioCall[]): bigint {
  let sum = 0n;
  for (const c of calls) {
    if (c.name === 'mmap') sum += u64(c, 1);
    else if (c.name === 'mremap') sum += u64(c, 2);
    else if (c.name === 'brk' && u64(c, 0) > WS) sum += u64(c, 0) - WS;
  }
  return sum;
}

const pageAlign = (n: bigint): bigint => (n + 0xfffn) & ~0xfffn;

/** An integer argument as the kernel sees an unsigned long. */
function u64(c: ScenarioCall, i: number): bigint {
  return BigInt.asUintN(64, int(c, i));
}

function int(c: ScenarioCall, i: number): bigint {
  const a = c.args[i];
  return a && a.kind === 'int' ? a.value : 0n;
}
