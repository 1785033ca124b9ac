// SPDX-License-Identifier: GPL-2.0-or-later
// The recording `vma-explorer record` writes (format "vma-explorer-recording",
// version 1; README.md, "Command line"), and how it is read from the text of
// a tracefs instance: the command's system calls from the syscalls
// tracepoints (sys_enter_* with the arguments, sys_exit_* with the result),
// its user page faults, and the kernel's step events (the judge's
// tracepoints, events.ts), each attached to the call or fault it happened in.
// Only the events between the launcher's two markers count: `vmx record
// exec` (execve has built the image) and `vmx record exit` (the command
// starts to exit, its address space still whole).
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import { kernelEventParser } from '../judge/events';

export const RECORDING_FORMAT = 'vma-explorer-recording';
export const RECORDING_VERSION = 1;

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
  'close',
] as const;

/** One system call: arguments and result as the kernel saw them, `0x` hex of the raw u64. */
export interface RecordedCall {
  name: string;
  args: string[];
  /** Null when the command exited inside the call (no sys_exit). */
  ret: string | null;
  /** The kernel's step events during the call; their `call` is this call's index. */
  events: KernelEvent[];
}

/** One user page fault and the kernel's events while handling it. */
export interface RecordedFault {
  /** How many calls had started before it: it happened after calls[after - 1]. */
  after: number;
  address: string;
  ip: string;
  errorCode: number;
  /** Events after the fault and before the next call; their `call` is `after`. */
  events: KernelEvent[];
}

export interface RecordedFile {
  path: string;
  /** Its size in bytes when the recording ended; null when it could not be read. */
  size: number | null;
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  version: typeof RECORDING_VERSION;
  command: string[];
  pid: number;
  /** The machine's kernel: release, relevant configuration, CPU, profile. */
  kernel: unknown;
  /** /proc/PID/smaps when execve had built the image. */
  start: string[];
  calls: RecordedCall[];
  faults: RecordedFault[];
  /** Every file mapped at the start or the end (smaps paths), with its size. */
  files: RecordedFile[];
  /** /proc/PID/smaps when the command began to exit. */
  end: string[];
  exit: { code: number } | { signal: number };
}

/** What the trace holds: the calls and faults of one recording. */
export interface TracedRun {
  calls: RecordedCall[];
  faults: RecordedFault[];
  /** Whether both launcher markers were seen (a full buffer loses the last). */
  sawExec: boolean;
  sawExit: boolean;
}

// kernel/trace/trace_output.c: `TASK-PID [CPU] FLAGS TIMESTAMP: ` then the event.
const LINE = /^\s*.+?-(\d+)\s+\[\d+\]\s+(?:\S+\s+)?\d+\.\d+: (.*)$/;
// kernel/trace/trace_syscalls.c: print_syscall_enter() `sys_NAME(arg: VALUE, ...)`,
// print_syscall_exit() `sys_NAME -> 0xRET`.
const ENTER = /^sys_(\w+)\((.*)\)$/;
const EXIT = /^sys_(\w+) -> (\S+)$/;
const EVENT = /^(\w+): (.*)$/;

/** A value printed by the syscall events (`0`, `3`, `0x2000`) as `0x` hex. */
const asHex = (v: string): string => '0x' + BigInt(v.startsWith('0x') ? v : '0x' + v).toString(16);

/** The calls and faults of process `pid` in the text of `trace` or `trace_pipe`. */
export function parseRecordingTrace(text: string, pid: number): TracedRun {
  const parse = kernelEventParser();
  const calls: RecordedCall[] = [];
  const faults: RecordedFault[] = [];
  let sawExec = false;
  let sawExit = false;
  /** The call in progress, or null between calls. */
  let inCall: RecordedCall | null = null;
  /** The last fault since the last call: events outside a call are its handling. */
  let fault: RecordedFault | null = null;
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m) continue;
    const [, linePid, rest] = m;
    const e = EVENT.exec(rest);
    if (e && (e[1] === 'tracing_mark_write' || e[1] === 'print')) {
      const mark = e[2].trim();
      if (mark === 'vmx record exec') sawExec = true;
      if (mark === 'vmx record exit') sawExit = true;
      continue;
    }
    if (!sawExec || sawExit || Number(linePid) !== pid) continue;
    const enter = ENTER.exec(rest);
    if (enter) {
      const args = enter[2] ? enter[2].split(', ').map((a) => asHex(a.replace(/^\w+: /, ''))) : [];
      inCall = { name: enter[1], args, ret: null, events: [] };
      calls.push(inCall);
      fault = null;
      continue;
    }
    const exit = EXIT.exec(rest);
    if (exit) {
      if (inCall && inCall.name === exit[1]) inCall.ret = asHex(exit[2]);
      inCall = null;
      continue;
    }
    if (!e) continue;
    const [, name, body] = e;
    if (name === 'page_fault_user' && !inCall) {
      const f = new Map(body.split(/\s+/).map((kv) => kv.split('=') as [string, string]));
      fault = {
        after: calls.length,
        address: f.get('address') ?? '0x0',
        ip: f.get('ip') ?? '0x0',
        errorCode: Number(f.get('error_code') ?? '0'),
        events: [],
      };
      faults.push(fault);
      continue;
    }
    const owner = inCall ?? fault;
    const event = parse(name, body, inCall ? calls.length - 1 : calls.length);
    if (event && owner) owner.events.push(event);
  }
  return { calls, faults, sawExec, sawExit };
}

/**
 * The recording as text: one JSON document, each call and fault on a line of
 * its own and smaps one line per line, so that it diffs and greps well.
 */
export function formatRecording(r: Recording): string {
  const list = (items: readonly unknown[]): string =>
    items.length ? `[\n  ${items.map((i) => JSON.stringify(i)).join(',\n  ')}\n ]` : '[]';
  const fields: [string, string][] = [
    ['format', JSON.stringify(r.format)],
    ['version', JSON.stringify(r.version)],
    ['command', JSON.stringify(r.command)],
    ['pid', JSON.stringify(r.pid)],
    ['kernel', JSON.stringify(r.kernel)],
    ['start', list(r.start)],
    ['calls', list(r.calls)],
    ['faults', list(r.faults)],
    ['files', list(r.files)],
    ['end', list(r.end)],
    ['exit', JSON.stringify(r.exit)],
  ];
  return `{\n${fields.map(([k, v]) => ` ${JSON.stringify(k)}: ${v}`).join(',\n')}\n}\n`;
}

/** Reads a recording; throws an Error naming what is wrong. */
export function parseRecording(text: string): Recording {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    throw new Error(`not a recording: ${(e as Error).message}`, { cause: e });
  }
  const r = doc as Partial<Recording> | null;
  if (typeof r !== 'object' || r === null || r.format !== RECORDING_FORMAT) {
    throw new Error(`not a recording: "format" is not "${RECORDING_FORMAT}"`);
  }
  if (r.version !== RECORDING_VERSION) {
    throw new Error(`recording version ${String(r.version)} (this reads ${RECORDING_VERSION})`);
  }
  for (const key of ['command', 'start', 'calls', 'faults', 'files', 'end'] as const) {
    if (!Array.isArray(r[key])) throw new Error(`recording: "${key}" is not an array`);
  }
  return r as Recording;
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
