// SPDX-License-Identifier: GPL-2.0-or-later
// A run's calls' arguments as numbers, decoded once before the run, and the
// results printed from them. Read call by call from the parsed input, the
// arguments cost an untraced run a tenth of its time (issue 16): each one an
// object and a boxed number somewhere in the parsed scenario, a cache miss
// apiece between two calls' walks of a large tree. Decoded in one pass, the
// misses overlap, and the run then reads one block in order.
import type { CallResult } from './syscalls';
import { keepMap } from '../kernel/keep-map';
import type { ScenarioCall } from '../scenario/parse';

/** The most arguments a call of the contract takes (mmap's six). */
export const MOST_ARGS = 6;

/** The calls whose result strace prints as an address. */
export const RETURNS_ADDRESS: ReadonlySet<string> = new Set(['mmap', 'mremap', 'brk']);

/** An address as strace prints it: `0x`, lowercase hex digits, no leading zero. */
const PRINTED_ADDRESS = /^0x[1-9a-f][0-9a-f]*$/;

/**
 * One call and where its arguments are: argument i's IntArg `num` at
 * nums[base + i] (NaN past 2^52; 0 for a string or a missing argument).
 */
export interface CallArgs {
  call: ScenarioCall;
  nums: Float64Array;
  base: number;
  /** Bit i: argument i is written as strace prints an address (formatRet()). */
  printed: number;
}

/** Every call's arguments of a run, in the run's order. */
export class RunArgs {
  private readonly nums: Float64Array;
  private readonly printed: Uint8Array;
  /** The one view at() hands out: a run reads one call at a time. */
  private readonly view: CallArgs;

  constructor(readonly calls: readonly ScenarioCall[]) {
    this.nums = new Float64Array(calls.length * MOST_ARGS);
    this.printed = new Uint8Array(calls.length);
    calls.forEach((c, k) => {
      this.printed[k] = decode(c, this.nums, k * MOST_ARGS);
    });
    this.view = { call: calls[0], nums: this.nums, base: 0, printed: 0 };
  }

  /** Call k's arguments, valid until the next at(). */
  at(k: number): CallArgs {
    const view = this.view;
    view.call = this.calls[k];
    view.base = k * MOST_ARGS;
    view.printed = this.printed[k];
    return view;
  }
}

// A run's arguments go when the run does: their maps would die between two
// runs (keep-map.ts).
keepMap(new RunArgs([]));

/** The arguments of a call on its own. */
export function callArgs(call: ScenarioCall): CallArgs {
  const nums = new Float64Array(MOST_ARGS);
  return { call, nums, base: 0, printed: decode(call, nums, 0) };
}

/** Writes a call's argument numbers at nums[base...]; its printed-address bits. */
function decode(c: ScenarioCall, nums: Float64Array, base: number): number {
  const args = c.args;
  const address = RETURNS_ADDRESS.has(c.name);
  let printed = 0;
  for (let i = 0; i < args.length && i < MOST_ARGS; i++) {
    const a = args[i];
    if (a.kind !== 'int') continue;
    nums[base + i] = a.num;
    if (address && PRINTED_ADDRESS.test(a.text)) printed |= 1 << i;
  }
  return printed;
}

/** The result as strace prints it. */
export function formatRet(a: CallArgs, ret: CallResult): string {
  if (!ret.ok) return 'signal' in ret ? ret.signal : `-1 ${ret.errno}`;
  if (!RETURNS_ADDRESS.has(a.call.name)) return String(ret.value);
  // The address is mostly one the call was given (MAP_FIXED, MREMAP_FIXED,
  // brk): its text, when written as strace prints it, is the answer as is.
  for (let i = 0; a.printed >> i !== 0; i++) {
    if (a.printed & (1 << i) && a.nums[a.base + i] === ret.value) {
      const arg = a.call.args[i];
      if (arg.kind === 'int') return arg.text;
    }
  }
  return '0x' + ret.value.toString(16);
}
