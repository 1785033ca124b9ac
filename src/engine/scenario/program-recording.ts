// SPDX-License-Identifier: GPL-2.0-or-later
// A recording of a real program, as `vma-explorer record` writes it (format
// "vma-explorer-recording", version 2; README.md, "Recording a program"):
// per address space, the smaps execve or fork left, every memory call with
// its arguments and result, every user page fault, the kernel's step events
// of each, and the smaps at the end. Reading one is bounded and never
// throws: a damaged or foreign file is a diagnostic naming the line (for
// JSON syntax) or the field.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { lineColumn, type Diagnostic } from './diagnostic';

export const PROGRAM_RECORDING_FORMAT = 'vma-explorer-recording';
export const PROGRAM_RECORDING_VERSION = 2;

/** One system call as the kernel saw it: arguments and result as `0x` hex of the raw u64. */
export interface RecordedSyscall {
  name: string;
  args: string[];
  /** Null when the task exited inside the call (no sys_exit). */
  ret: string | null;
  tid: number;
  events: KernelEvent[];
  /**
   * open/openat/openat2/memfd_create that gave an fd: the file the fd names
   * (readlink), and its size (null: not a regular file); unlink/unlinkat
   * that unlinked: the absolute name.
   */
  path?: string;
  size?: number | null;
  /** clone/fork/vfork whose child got a recorded address space of its own: its index. */
  child?: number;
}

/** One user page fault (or the kernel's fault on a user address outside a recorded call). */
export interface RecordedFault {
  /** How many of the space's calls took effect before it. */
  after: number;
  address: string;
  ip: string;
  /** x86 page-fault error code: bit 0 present, 1 write, 2 user, 4 instruction fetch. */
  errorCode: number;
  tid: number;
  kernel?: boolean;
  events: KernelEvent[];
}

/** One address space (mm) of the recorded command. */
export interface RecordedSpace {
  pid: number;
  tids: number[];
  from: 'exec' | 'fork';
  parent: { space: number; call: number } | null;
  /** /proc/PID/smaps when execve had built it, or when fork had copied it. */
  start: string[];
  calls: RecordedSyscall[];
  faults: RecordedFault[];
  /** /proc/PID/smaps when its last task began to exit, or at the execve that replaced it. */
  end: string[] | null;
  endedBy: 'exit' | 'exec';
}

export interface ProgramRecording {
  format: typeof PROGRAM_RECORDING_FORMAT;
  version: typeof PROGRAM_RECORDING_VERSION;
  command: string[];
  /** The machine's kernel: release, configuration, and its profile (`profile`). */
  kernel: { release?: string; profile?: unknown } & Record<string, unknown>;
  exit: { code: number } | { signal: number };
  files: Array<{ path: string; size: number | null }>;
  spaces: RecordedSpace[];
}

export type ProgramRecordingRead =
  { ok: true; recording: ProgramRecording } | { ok: false; diagnostics: Diagnostic[] };

/** Whether a text is (the start of) a program recording, by its format field. */
export function isProgramRecording(text: string): boolean {
  return /^\s*\{\s*"format"\s*:\s*"vma-explorer-recording"/.test(text.slice(0, 200));
}

const isStringArray = (v: unknown): v is string[] =>
  Array.isArray(v) && v.every((s) => typeof s === 'string');
const isHex = (v: unknown): v is string => typeof v === 'string' && /^0x[0-9a-f]{1,16}$/.test(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** The first thing wrong with one space, as `field: what`, or null. */
function spaceProblem(s: unknown, at: string, spaces: number): string | null {
  const o = s as Partial<RecordedSpace> | null;
  if (typeof o !== 'object' || o === null) return `${at}: not an object`;
  if (!isCount(o.pid)) return `${at}.pid: not a pid`;
  if (!Array.isArray(o.tids) || !o.tids.every(isCount)) return `${at}.tids: not a list of tids`;
  if (o.from !== 'exec' && o.from !== 'fork') return `${at}.from: not "exec" or "fork"`;
  if (o.parent !== null) {
    const p = o.parent as Partial<{ space: number; call: number }> | undefined;
    if (!isCount(p?.space) || p.space >= spaces || !isCount(p.call))
      return `${at}.parent: not null or {"space", "call"}`;
  }
  if (!isStringArray(o.start)) return `${at}.start: not a list of smaps lines`;
  if (o.end !== null && !isStringArray(o.end)) return `${at}.end: not null or smaps lines`;
  if (o.endedBy !== 'exit' && o.endedBy !== 'exec') return `${at}.endedBy: not "exit" or "exec"`;
  if (!Array.isArray(o.calls)) return `${at}.calls: not an array`;
  for (const [i, c] of o.calls.entries()) {
    const call = c as Partial<RecordedSyscall> | null;
    const where = `${at}.calls[${i}]`;
    if (typeof call?.name !== 'string' || !/^\w+$/.test(call.name)) return `${where}.name`;
    if (!Array.isArray(call.args) || !call.args.every(isHex) || call.args.length > 6)
      return `${where}.args: not up to six 0x numbers`;
    if (call.ret !== null && !isHex(call.ret)) return `${where}.ret: not null or a 0x number`;
    if (!isCount(call.tid)) return `${where}.tid`;
    if (!Array.isArray(call.events)) return `${where}.events: not an array`;
    if (call.path !== undefined && typeof call.path !== 'string') return `${where}.path`;
    if (call.child !== undefined && (!isCount(call.child) || call.child >= spaces))
      return `${where}.child: not a space`;
  }
  if (!Array.isArray(o.faults)) return `${at}.faults: not an array`;
  for (const [i, f] of o.faults.entries()) {
    const fault = f as Partial<RecordedFault> | null;
    const where = `${at}.faults[${i}]`;
    if (!isCount(fault?.after) || fault.after > o.calls.length) return `${where}.after`;
    if (!isHex(fault.address)) return `${where}.address: not a 0x number`;
    if (!isCount(fault.errorCode)) return `${where}.errorCode`;
    if (!Array.isArray(fault.events)) return `${where}.events: not an array`;
    if (i > 0 && fault.after < (o.faults[i - 1] as RecordedFault).after)
      return `${where}.after: before the fault listed above it`;
  }
  return null;
}

/**
 * Reads a program recording. A field that is wrong is named with the line
 * it starts on: `record` writes each call and fault on a line of its own.
 */
export function readProgramRecording(text: string, file = 'recording.json'): ProgramRecordingRead {
  const fail = (offset: number, message: string): ProgramRecordingRead => ({
    ok: false,
    diagnostics: [{ file, ...lineColumn(text, offset), message, text: '' }],
  });
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    const at = /position (\d+)/.exec(String(e));
    return fail(at ? Number(at[1]) : text.length, `not JSON: ${(e as Error).message}`);
  }
  const r = doc as Partial<ProgramRecording> | null;
  if (typeof r !== 'object' || r === null || r.format !== PROGRAM_RECORDING_FORMAT)
    return fail(0, `not a recording: "format" is not "${PROGRAM_RECORDING_FORMAT}"`);
  if (r.version !== PROGRAM_RECORDING_VERSION)
    return fail(
      Math.max(0, text.indexOf('"version"')),
      `recording version ${String(r.version)} (this reads ${PROGRAM_RECORDING_VERSION}): ` +
        're-record it with this version of `vma-explorer record`',
    );
  if (!isStringArray(r.command)) return fail(0, '"command" is not a list of words');
  if (typeof r.kernel !== 'object' || r.kernel === null) return fail(0, '"kernel" is missing');
  if (!Array.isArray(r.files)) return fail(0, '"files" is not an array');
  if (!Array.isArray(r.spaces) || r.spaces.length === 0)
    return fail(0, '"spaces" is not a non-empty array');
  for (const [i, s] of r.spaces.entries()) {
    const problem = spaceProblem(s, `spaces[${i}]`, r.spaces.length);
    if (problem) return fail(offsetOf(text, problem), problem);
  }
  return { ok: true, recording: r as ProgramRecording };
}

/**
 * Where a field named like `spaces[0].calls[12].args` starts in the text:
 * the line of that call (record writes one a line), else of its list.
 */
function offsetOf(text: string, field: string): number {
  const m = /^spaces\[(\d+)\](?:\.(\w+)(?:\[(\d+)\])?)?/.exec(field);
  if (!m) return 0;
  let at = 0;
  for (let s = 0; s <= Number(m[1]); s++) {
    const next = text.indexOf('"pid"', at + 1);
    if (next < 0) return at;
    at = next;
  }
  if (!m[2]) return at;
  const list = text.indexOf(`"${m[2]}"`, at);
  if (list < 0) return at;
  if (m[3] === undefined) return list;
  let line = text.indexOf('\n', list);
  for (let k = 0; k < Number(m[3]) && line >= 0; k++) line = text.indexOf('\n', line + 1);
  return line < 0 ? list : line + 1;
}
