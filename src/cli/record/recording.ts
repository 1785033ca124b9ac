// SPDX-License-Identifier: GPL-2.0-or-later
// The recording `vma-explorer record` writes (format "vma-explorer-recording",
// version 2; README.md, "Recording a program"), and how it is read from the
// text of a tracefs instance: the system calls from the syscalls tracepoints
// (sys_enter_* with the arguments, sys_exit_* with the result), the page
// faults, and the kernel's step events (the judge's tracepoints, events.ts),
// each attached to the call or fault of the same task it happened in.
//
// The launcher (launcher.c) writes markers to trace_marker that say which
// address space ("space") each task uses and when: a task's lines count only
// while a marker has put it in a recorded space. Within a space, calls and
// faults are ordered as they took effect: at their first kernel event (which
// shows them holding the mmap lock), or, without any, at the call's return
// or at the fault's exception; an execve at its return or its exec stop.
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import type {
  ProgramRecording as Recording,
  RecordedFault,
  RecordedSpace,
  RecordedSyscall as RecordedCall,
} from '../../engine/scenario/program-recording';
import { readProgramRecording } from '../../engine/scenario/program-recording';
import { kernelEventParser } from '../judge/events';

export {
  PROGRAM_RECORDING_FORMAT as RECORDING_FORMAT,
  PROGRAM_RECORDING_VERSION as RECORDING_VERSION,
} from '../../engine/scenario/program-recording';

/** The system calls recorded, by their syscalls:sys_enter_NAME tracepoint. */
export const RECORDED_SYSCALLS = [
  'mmap',
  'munmap',
  'mprotect',
  'pkey_mprotect',
  'mremap',
  'madvise',
  'brk',
  'mlock',
  'mlock2',
  'munlock',
  'mlockall',
  'munlockall',
  'mseal',
  'openat',
  'open',
  'openat2',
  'memfd_create',
  'close',
  'unlink',
  'unlinkat',
  'clone',
  'clone3',
  'fork',
  'vfork',
  'execve',
  'execveat',
  // Only prctl(PR_SET_VMA, ...): record-command.ts filters the others out.
  'prctl',
] as const;

/** include/uapi/linux/prctl.h: PR_SET_VMA, the prctl recorded (anon VMA names). */
export const PR_SET_VMA = 0x53564d41;

/** The calls that open a file: the launcher names the fd they return. */
const OPENS: ReadonlySet<string> = new Set(['open', 'openat', 'openat2', 'memfd_create']);
/** The calls that unlink a name: the launcher names what they unlinked. */
const UNLINKS: ReadonlySet<string> = new Set(['unlink', 'unlinkat']);
/** The calls that make a task: one with an address space of its own is a space's `child`. */
const CLONES: ReadonlySet<string> = new Set(['clone', 'clone3', 'fork', 'vfork']);
const EXECS: ReadonlySet<string> = new Set(['execve', 'execveat']);

// The format's types are the engine's (the app and `replay` read it there).
export type {
  RecordedSyscall as RecordedCall,
  RecordedFault,
  RecordedSpace,
  ProgramRecording as Recording,
} from '../../engine/scenario/program-recording';

/** A file the recording names, with its size (when opened, or when the recording ended). */
export type RecordedFile = Recording['files'][number];

/** A space as the trace tells it: without the smaps, which the launcher copied to files. */
export type TracedSpace = Omit<RecordedSpace, 'start' | 'end' | 'endedBy'> & {
  /** Null when the trace lost its end marker (a full buffer). */
  endedBy: RecordedSpace['endedBy'] | null;
};

/** What the trace holds. */
export interface TracedRun {
  spaces: TracedSpace[];
  /** The files the recorded calls opened, in order, with their size when opened. */
  opened: RecordedFile[];
  /** Whether every space that began also ended (a full buffer loses the last markers). */
  complete: boolean;
}

// kernel/trace/trace_output.c: `TASK-PID [CPU] FLAGS TIMESTAMP: ` then the event.
const LINE = /^\s*.+?-(\d+)\s+\[\d+\]\s+(?:\S+\s+)?\d+\.\d+: (.*)$/;
// kernel/trace/trace_syscalls.c: print_syscall_enter() `sys_NAME(arg: VALUE, ...)`,
// print_syscall_exit() `sys_NAME -> 0xRET`.
const ENTER = /^sys_(\w+)\((.*)\)$/;
const EXIT = /^sys_(\w+) -> (\S+)$/;
const EVENT = /^(\w+): (.*)$/;
// arch/x86/include/asm/trace/exceptions.h: `address=%ps ip=%ps error_code=0x%lx`.
const FAULT = /^\s*address=(\S+) ip=(\S+) error_code=(\S+)/;

/** A value printed by the syscall events (`0`, `3`, `0x2000`) as `0x` hex. */
const asHex = (v: string): string => '0x' + BigInt(v.startsWith('0x') ? v : '0x' + v).toString(16);

/** A call or fault of a space, with where it took effect in the trace (a line number). */
interface Item {
  call?: RecordedCall;
  fault?: RecordedFault;
  events: KernelEvent[];
  key: number;
  /** Whether `key` is final: its first event, or the call's return. */
  placed: boolean;
}

interface TaskState {
  space: number;
  call: Item | null;
  fault: Item | null;
  /** The last open* that returned, for the launcher's fd marker that follows it. */
  opened: RecordedCall | null;
  /** Its last unlink* that returned, for the launcher's `vmx unlink` line. */
  unlinked: RecordedCall | null;
}

interface SpaceState {
  space: TracedSpace;
  items: Item[];
  /** For `fork`: the clone call in the parent's space, resolved to an index at the end. */
  parentCall: Item | null;
}

/**
 * The spaces, calls and faults in the text of `trace` or `trace_pipe`, whole
 * or as its lines (raw-trace.ts decodes the binary buffer into them).
 */
export function parseRecordingTrace(text: string | readonly string[]): TracedRun {
  const parse = kernelEventParser();
  const spaces: SpaceState[] = [];
  const opened: RecordedFile[] = [];
  const tasks = new Map<number, TaskState>();
  /** A task that joined its parent's space: the clone that made it, until it execs. */
  const madeBy = new Map<number, Item>();

  const place = (item: Item, at: number): void => {
    if (item.placed) return;
    item.key = at;
    item.placed = true;
  };
  const join = (tid: number, space: number): TaskState => {
    const s: TaskState = { space, call: null, fault: null, opened: null, unlinked: null };
    tasks.set(tid, s);
    const tids = spaces[space].space.tids;
    if (!tids.includes(tid)) tids.push(tid);
    return s;
  };
  const leave = (tid: number): void => {
    tasks.delete(tid);
    madeBy.delete(tid);
  };
  const begin = (n: number, tid: number, from: 'exec' | 'fork', parentCall: Item | null): void => {
    spaces[n] = {
      space: { pid: tid, tids: [], from, parent: null, calls: [], faults: [], endedBy: null },
      items: [],
      parentCall,
    };
    join(tid, n);
  };

  const lines = typeof text === 'string' ? text.split('\n') : text;
  for (let i = 0; i < lines.length; i++) {
    const m = LINE.exec(lines[i]);
    if (!m) continue;
    const [, linePid, rest] = m;
    const e = EVENT.exec(rest);
    if (e && (e[1] === 'tracing_mark_write' || e[1] === 'print')) {
      const w = e[2].trim().split(' ');
      if (w[0] !== 'vmx') continue;
      const tid = Number(w[2]);
      if (w[1] === 'space') {
        const [n, kind, child, parent] = [Number(w[2]), w[3], Number(w[4]), Number(w[5])];
        if (kind === 'fork') {
          const p = tasks.get(parent)?.call ?? null;
          if (p?.call && CLONES.has(p.call.name)) p.call.child = n;
          begin(n, child, 'fork', p);
        } else {
          const made = madeBy.get(child)?.call;
          if (made && made.child === undefined) made.child = n;
          madeBy.delete(child);
          begin(n, child, 'exec', null);
        }
      } else if (w[1] === 'task') {
        const made = tasks.get(Number(w[4]))?.call;
        if (spaces[Number(w[3])]) join(tid, Number(w[3]));
        if (made) madeBy.set(tid, made);
      } else if (w[1] === 'exec' || w[1] === 'exit') {
        const call = tasks.get(tid)?.call;
        // A successful execve returns 0, after the exec stop, in the new image.
        if (w[1] === 'exec' && call?.call && EXECS.has(call.call.name)) {
          call.call.ret = '0x0';
          place(call, i);
        }
        tasks.delete(tid);
        if (w[1] === 'exit') madeBy.delete(tid);
      } else if (w[1] === 'end') {
        const s = spaces[Number(w[2])];
        if (!s) continue;
        s.space.endedBy = w[3] === 'exec' ? 'exec' : 'exit';
        for (const [t, state] of tasks) if (state.space === Number(w[2])) leave(t);
      } else if (w[1] === 'fd') {
        const call = tasks.get(tid)?.opened;
        if (!call || call.ret !== asHex(w[3])) continue;
        call.path = w.slice(5).join(' ');
        call.size = w[4] === '-' ? null : Number(w[4]);
        opened.push({ path: call.path, size: call.size });
      } else if (w[1] === 'unlink') {
        const call = tasks.get(tid)?.unlinked;
        if (call && call.ret === '0x0') call.path = w.slice(3).join(' ');
      }
      continue;
    }
    const task = tasks.get(Number(linePid));
    if (!task) continue;
    const items = spaces[task.space].items;
    const enter = ENTER.exec(rest);
    if (enter) {
      const args = enter[2] ? enter[2].split(', ').map((a) => asHex(a.replace(/^\w+: /, ''))) : [];
      const call = { name: enter[1], args, ret: null, tid: Number(linePid), events: [] };
      task.call = { call, events: call.events, key: i, placed: false };
      task.fault = null;
      items.push(task.call);
      continue;
    }
    const exit = EXIT.exec(rest);
    if (exit) {
      const item = task.call;
      if (item?.call && item.call.name === exit[1]) {
        item.call.ret = asHex(exit[2]);
        place(item, i);
        if (OPENS.has(item.call.name)) task.opened = item.call;
        if (UNLINKS.has(item.call.name)) task.unlinked = item.call;
      }
      task.call = null;
      continue;
    }
    if (!e) continue;
    const [, name, body] = e;
    if (name === 'page_fault_user' || name === 'page_fault_kernel') {
      // A fault the kernel takes inside a recorded call is that call's.
      if (task.call) continue;
      const f = FAULT.exec(body);
      const fault: RecordedFault = {
        after: 0,
        address: f?.[1] ?? '0x0',
        ip: f?.[2] ?? '0x0',
        errorCode: Number(f?.[3] ?? '0'),
        tid: Number(linePid),
        ...(name === 'page_fault_kernel' ? { kernel: true as const } : {}),
        events: [],
      };
      task.fault = { fault, events: fault.events, key: i, placed: false };
      items.push(task.fault);
      continue;
    }
    const owner = task.call ?? task.fault;
    const event = owner && parse(name, body, 0);
    if (!owner || !event) continue;
    owner.events.push(event);
    // An execve's events are of the mm it builds, not of this space's lock.
    if (!(owner.call && EXECS.has(owner.call.name))) place(owner, i);
  }
  return {
    spaces: spaces.map((s) => settle(s, spaces)),
    opened,
    complete: spaces.length > 0 && spaces.every((s) => s?.space.endedBy),
  };
}

/** Orders a space's calls and faults as they took effect and numbers them. */
function settle(s: SpaceState, all: SpaceState[]): TracedSpace {
  const { space } = s;
  const items = [...s.items].sort((a, b) => a.key - b.key);
  for (const item of items) {
    const at = space.calls.length;
    // The events are this parser's own: numbered in place.
    const renumber = (): KernelEvent[] => {
      for (const e of item.events) e.call = at;
      return item.events;
    };
    if (item.call) {
      item.call.events = renumber();
      space.calls.push(item.call);
    } else if (item.fault) {
      item.fault.after = at;
      item.fault.events = renumber();
      space.faults.push(item.fault);
    }
  }
  if (s.parentCall) {
    const n = all.findIndex((p) => p?.items.includes(s.parentCall as Item));
    const call = n >= 0 ? all[n].space.calls.indexOf(s.parentCall.call as RecordedCall) : -1;
    if (call >= 0) space.parent = { space: n, call };
  }
  return space;
}

/**
 * The recording as text: one JSON document, each call and fault on a line of
 * its own and smaps one line per line, so that it diffs and greps well.
 */
export function formatRecording(r: Recording): string {
  const list = (items: readonly unknown[] | null, indent: string): string =>
    items === null
      ? 'null'
      : items.length
        ? `[\n${indent} ${items.map((i) => JSON.stringify(i)).join(`,\n${indent} `)}\n${indent}]`
        : '[]';
  const object = (fields: [string, string][], indent: string): string =>
    `{\n${fields.map(([k, v]) => `${indent} ${JSON.stringify(k)}: ${v}`).join(',\n')}\n${indent}}`;
  const space = (s: RecordedSpace): string =>
    object(
      [
        ['pid', JSON.stringify(s.pid)],
        ['tids', JSON.stringify(s.tids)],
        ['from', JSON.stringify(s.from)],
        ['parent', JSON.stringify(s.parent)],
        ['start', list(s.start, '   ')],
        ['calls', list(s.calls, '   ')],
        ['faults', list(s.faults, '   ')],
        ['end', list(s.end, '   ')],
        ['endedBy', JSON.stringify(s.endedBy)],
      ],
      '  ',
    );
  const spaces = r.spaces.length ? `[\n  ${r.spaces.map(space).join(',\n  ')}\n ]` : '[]';
  const doc = object(
    [
      ['format', JSON.stringify(r.format)],
      ['version', JSON.stringify(r.version)],
      ['command', JSON.stringify(r.command)],
      ['kernel', JSON.stringify(r.kernel)],
      ['exit', JSON.stringify(r.exit)],
      ['files', list(r.files, ' ')],
      ['spaces', spaces],
    ],
    '',
  );
  return `${doc}\n`;
}

/** Reads a recording (the engine's reader); throws an Error naming where it is wrong. */
export function parseRecording(text: string): Recording {
  const read = readProgramRecording(text);
  if (read.ok) return read.recording;
  const d = read.diagnostics[0];
  throw new Error(`not a recording (line ${d.line}, column ${d.column}): ${d.message}`);
}

/** The file paths an smaps dump maps (header lines whose sixth field is a path). */
export function mappedFiles(smaps: readonly string[]): string[] {
  const paths = new Set<string>();
  for (const line of smaps) {
    const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ \S+ \d+\s+(\/.*)$/.exec(line);
    if (m && !m[1].endsWith(' (deleted)')) paths.add(m[1]);
  }
  return [...paths];
}
