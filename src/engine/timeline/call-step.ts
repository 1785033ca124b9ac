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
    private readonly c: ScenarioCall,
    /** What the call returned, as its CallRecord says it. */
    private readonly ret: string,
    /** Whether the call was placed at the address the log returned. */
    private readonly placed: boolean,
  ) {}

  get mm(): MmState {
    if (this.after === null) this.after = (this.history as UntracedHistory).mmAfter(this.call);
    return this.after;
  }

  get fn(): string {
    const name = this.c.name;
    if (name.startsWith('@')) return name;
    let fn = SYS_FN.get(name);
    if (fn === undefined) SYS_FN.set(name, (fn = `sys_${name}`));
    return fn;
  }

  get source(): string {
    const name = this.c.name;
    return name.startsWith('@') ? 'scenario' : sourceOf(name);
  }

  get message(): string {
    const c = this.c;
    if (c.name === '@note') return noteText(c);
    const placed = this.placed ? ' (address from the log)' : '';
    return `${c.text} = ${this.ret}${placed}`;
  }
}

// A run's call steps all go when the run does: their maps would die between
// two runs (keep-map.ts). An untraced run that logs kernel events gives each
// its call's events, a map of its own.
{
  const call: ScenarioCall = {
    line: 0,
    column: 0,
    name: '@note',
    args: [],
    expect: null,
    text: '',
    pid: null,
  };
  keepMap(new CallStep(-1, emptyMm, null, call, '', false));
  keepMap(new CallStep(-1, emptyMm, null, call, '', false)).kernelEvents = undefined;
}

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
