// SPDX-License-Identifier: GPL-2.0-or-later
// The step that closes each call of a run (run.ts): what the call returned,
// with its name, source file and words worked out only when a view reads them.
import { keepMap } from '../kernel/keep-map';
import { emptyMm, type MmState } from '../kernel/mm/mm-snapshot';
import type { Step } from './run';
import type { KernelEvent } from '../kernel/trace/kernel-events';
import type { MapleStepChanges } from '../kernel/trace/maple-step';
import type { ScenarioCall } from '../scenario/parse';
import type { UntracedHistory } from './untraced-history';

/** `sys_mmap` and the like, made once per name (a timeline reads every step's). */
const SYS_FN = new Map<string, string>();

/**
 * The step that closes a call: the address space after it and what it
 * returned. Its kernel function, source file and message are worked out when
 * read: a run keeps one per call, and most of them are never shown.
 */
export class CallStep implements Step {
  declare maple?: MapleStepChanges;
  declare kernelEvents?: KernelEvent[];

  constructor(
    readonly call: number,
    /** The address space after the call; null until read, in an untraced run. */
    private after: MmState | null,
    private readonly history: UntracedHistory | null,
    /** The call's name: `mmap`, `@note`. */
    private readonly name: string,
    /** The call as written; for a `@note`, its text. */
    private readonly words: string,
    /** What the call returned, as its CallRecord says it. */
    private readonly ret: string,
    /** Whether the call was placed at the address the log returned. */
    private readonly placed: boolean,
  ) {}

  /**
   * The step closing call `c`. It keeps the call's name and words, not the
   * parsed call: a traced run keeps every step, and a parsed call (its
   * arguments, each an object with a BigInt) was about a ninth of what a
   * run of a 100,000-call recording kept.
   */
  static of(
    call: number,
    after: MmState | null,
    history: UntracedHistory | null,
    c: ScenarioCall,
    ret: string,
    placed: boolean,
  ): CallStep {
    const words = c.name === '@note' ? noteText(c) : c.text;
    return new CallStep(call, after, history, c.name, words, ret, placed);
  }

  get mm(): MmState {
    if (this.after === null) this.after = (this.history as UntracedHistory).mmAfter(this.call);
    return this.after;
  }

  get fn(): string {
    const name = this.name;
    if (name.startsWith('@')) return name;
    let fn = SYS_FN.get(name);
    if (fn === undefined) SYS_FN.set(name, (fn = `sys_${name}`));
    return fn;
  }

  get source(): string {
    const name = this.name;
    return name.startsWith('@') ? 'scenario' : sourceOf(name);
  }

  get message(): string {
    if (this.name === '@note') return this.words;
    const placed = this.placed ? ' (address from the log)' : '';
    return `${this.words} = ${this.ret}${placed}`;
  }
}

// A run's call steps all go when the run does: their maps would die between
// two runs (keep-map.ts). An untraced run that logs kernel events gives each
// its call's events, a map of its own.
keepMap(new CallStep(-1, emptyMm, null, '@note', '', '', false));
keepMap(new CallStep(-1, emptyMm, null, '@note', '', '', false)).kernelEvents = undefined;

function sourceOf(name: string): string {
  switch (name) {
    case 'mprotect':
    case 'pkey_mprotect':
      return 'mm/mprotect.c';
    case 'mremap':
      return 'mm/mremap.c';
    case 'madvise':
      return 'mm/madvise.c';
    case 'mlock':
    case 'mlock2':
    case 'munlock':
    case 'mlockall':
    case 'munlockall':
      return 'mm/mlock.c';
    case 'mseal':
      return 'mm/mseal.c';
    case 'prctl':
      return 'kernel/sys.c';
    case 'openat':
    case 'open':
    case 'close':
    case 'ftruncate':
      return 'fs/open.c';
    default:
      return 'mm/mmap.c';
  }
}

function noteText(c: ScenarioCall): string {
  const a = c.args[0];
  return a && a.kind === 'string' ? a.value : '';
}
