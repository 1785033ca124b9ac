// SPDX-License-Identifier: GPL-2.0-or-later
// One address space of a program recording written as a scenario: each call
// with the result the kernel gave it (`= RESULT`, so a replay that differs
// is marked), each page fault as `@touch` (a write) or `@read`, in the order
// they took effect. The text is what the app's editor shows and what the
// command line runs, so a recording replays through the same engine as a
// hand-written scenario.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { FLAG_VALUES, type FlagFamily } from '../scenario/flags';
import { RETURNS_ADDRESS } from './call-args';
import type {
  ProgramRecording,
  RecordedFault,
  RecordedSpace,
  RecordedSyscall,
} from '../scenario/program-recording';

/** A step of a space: a call or a fault, in the order it took effect. */
export type SpaceStep =
  { kind: 'call'; call: RecordedSyscall; index: number } | { kind: 'fault'; fault: RecordedFault };

export interface ProgramScript {
  text: string;
  /** The line of steps[0]; step i is on line firstLine + i. */
  firstLine: number;
  steps: SpaceStep[];
  /** The steps where the process forked a child with an address space of its own, and went on. */
  forkAt: Set<number>;
  /** The steps where a task unlinked a file's name, with the name. */
  unlinkAt: Map<number, string>;
}

/** Calls and faults of a space merged in the order they took effect. */
export function spaceSteps(space: RecordedSpace): SpaceStep[] {
  const steps: SpaceStep[] = [];
  let f = 0;
  for (let i = 0; i <= space.calls.length; i++) {
    while (f < space.faults.length && space.faults[f].after === i)
      steps.push({ kind: 'fault', fault: space.faults[f++] });
    if (i < space.calls.length) steps.push({ kind: 'call', call: space.calls[i], index: i });
  }
  return steps;
}

// include/uapi/asm-generic/errno-base.h and errno.h: the errors a recorded
// call may return, by number.
const ERRNO_NAMES: Record<number, string> = {
  1: 'EPERM',
  2: 'ENOENT',
  4: 'EINTR',
  9: 'EBADF',
  11: 'EAGAIN',
  12: 'ENOMEM',
  13: 'EACCES',
  14: 'EFAULT',
  16: 'EBUSY',
  17: 'EEXIST',
  19: 'ENODEV',
  20: 'ENOTDIR',
  21: 'EISDIR',
  22: 'EINVAL',
  23: 'ENFILE',
  24: 'EMFILE',
  26: 'ETXTBSY',
  27: 'EFBIG',
  36: 'ENAMETOOLONG',
  38: 'ENOSYS',
  40: 'ELOOP',
  75: 'EOVERFLOW',
  95: 'EOPNOTSUPP',
};

const MAX_ERRNO = 4095n;
const U64 = 2n ** 64n;

/** A u64 as the signed long the kernel returned. */
const signed = (v: bigint): bigint => (v >= U64 / 2n ? v - U64 : v);
const num = (hex: string): bigint => BigInt(hex);
const hex = (hex: string): string => '0x' + num(hex).toString(16);
/** An `int` argument (an fd, a pkey): the low 32 bits, signed. */
const int = (hex: string): string => String(BigInt.asIntN(32, num(hex)));

/** A family's names as flags() and named() read them, made once per family. */
interface FlagTable {
  /** The field's mask (the access mode, the mapping type), or 0. */
  field: number;
  /** The single-bit values above the field, each with its first name. */
  bits: ReadonlyArray<readonly [string, number]>;
  /** The name of 0, or '0'. */
  zero: string;
  /** Each value's first name. */
  byValue: ReadonlyMap<number, string>;
}

const FLAG_TABLES = new Map<FlagFamily, FlagTable>();

/** The table of `family`: a recording prints a flags word in every call. */
function flagTable(family: FlagFamily): FlagTable {
  let t = FLAG_TABLES.get(family);
  if (t !== undefined) return t;
  const entries = Object.entries(FLAG_VALUES[family]);
  // The access mode and the mapping type are fields, not bits.
  const field = family === 'O' ? 3 : family === 'MAP' ? 3 : 0;
  // A bit's first name: flags() clears the bit, so an alias after it (MAP_ANON) never prints.
  const bits: Array<[string, number]> = [];
  const byValue = new Map<number, string>();
  for (const [name, bit] of entries) {
    if (!byValue.has(bit)) byValue.set(bit, name);
    if (bit > field && (bit & (bit - 1)) === 0) bits.push([name, bit]);
  }
  t = { field, bits, zero: byValue.get(0) ?? '0', byValue };
  FLAG_TABLES.set(family, t);
  return t;
}

/** A flags word in names when every bit has one (else hex), as strace prints it. */
function flags(family: FlagFamily, raw: string): string {
  const t = flagTable(family);
  let v = Number(num(raw) & 0xffffffffn);
  const names: string[] = [];
  if (t.field) {
    const hit = t.byValue.get(v & t.field);
    if (hit === undefined) return hex(raw);
    names.push(hit);
    v &= ~t.field;
  }
  for (const [name, bit] of t.bits) {
    if (v & bit) {
      names.push(name);
      v &= ~bit;
    }
  }
  if (v !== 0) return hex(raw);
  return names.length ? names.join('|') : t.zero;
}

/** An advice or other enumerated value by its name, else the number. */
function named(family: FlagFamily, raw: string): string {
  const v = Number(num(raw));
  return flagTable(family).byValue.get(v) ?? String(v);
}

const quote = (s: string): string => JSON.stringify(s);

/** The call as a scenario line without its result, or null for one the language has not. */
function callText(c: RecordedSyscall): string | null {
  const a = c.args;
  switch (c.name) {
    case 'mmap':
      return `mmap(${hex(a[0])}, ${hex(a[1])}, ${flags('PROT', a[2])}, ${flags('MAP', a[3])}, ${int(a[4])}, ${hex(a[5])})`;
    case 'munmap':
    case 'mlock':
    case 'munlock':
      return `${c.name}(${hex(a[0])}, ${hex(a[1])})`;
    case 'mprotect':
      return `mprotect(${hex(a[0])}, ${hex(a[1])}, ${flags('PROT', a[2])})`;
    case 'pkey_mprotect':
      return `pkey_mprotect(${hex(a[0])}, ${hex(a[1])}, ${flags('PROT', a[2])}, ${int(a[3])})`;
    case 'mremap': {
      const f = flags('MREMAP', a[3]);
      // The new address is read only with MREMAP_FIXED (mm/mremap.c).
      const fixed = (num(a[3]) & 2n) !== 0n;
      return `mremap(${hex(a[0])}, ${hex(a[1])}, ${hex(a[2])}, ${f}${fixed ? `, ${hex(a[4])}` : ''})`;
    }
    case 'madvise':
      return `madvise(${hex(a[0])}, ${hex(a[1])}, ${named('MADV', a[2])})`;
    case 'mlock2':
      return `mlock2(${hex(a[0])}, ${hex(a[1])}, ${flags('MLOCK', a[2])})`;
    case 'mlockall':
      return `mlockall(${flags('MCL', a[0])})`;
    case 'munlockall':
      return 'munlockall()';
    case 'mseal':
      return `mseal(${hex(a[0])}, ${hex(a[1])}, ${hex(a[2])})`;
    case 'brk':
      return `brk(${hex(a[0])})`;
    case 'close':
      return `close(${int(a[0])})`;
    case 'memfd_create':
      // A memfd is a tmpfs file never linked: its open is written as the
      // open of its name, as /proc prints it (`/memfd:NAME (deleted)`).
      return c.path === undefined ? null : `openat(AT_FDCWD, ${quote(c.path)}, O_RDWR)`;
    case 'open':
    case 'openat':
    case 'openat2': {
      // The launcher names the file an fd was opened on; a failed open names none.
      const path = quote(c.path ?? `(not recorded: ${c.name} failed)`);
      if (c.name === 'open') return `open(${path}, ${flags('O', a[1])})`;
      const dirfd = int(a[0]) === '-100' ? 'AT_FDCWD' : int(a[0]);
      // openat2's flags are in its struct open_how, which is not recorded.
      const how = c.name === 'openat2' ? 'O_RDONLY' : flags('O', a[2]);
      return `openat(${dirfd}, ${path}, ${how})`;
    }
    default:
      return null;
  }
}

/** The calls that unlink a name (fs/namei.c); the launcher records the name. */
const UNLINKS: ReadonlySet<string> = new Set(['unlink', 'unlinkat']);

/** `= RESULT` as strace prints it. */
export function resultText(c: RecordedSyscall): string {
  if (c.ret === null) return '';
  const v = signed(num(c.ret));
  if (v < 0n && -v <= MAX_ERRNO) {
    const name = ERRNO_NAMES[Number(-v)];
    return name ? ` = -1 ${name}` : '';
  }
  return ` = ${RETURNS_ADDRESS.has(c.name) ? hex(c.ret) : String(v)}`;
}

/** The result in words: as `= RESULT` says it (`-1 ENOMEM`), else the signed number. */
export function resultWords(c: RecordedSyscall): string {
  if (c.ret === null) return 'did not return';
  return resultText(c).replace(/^ = /, '') || String(signed(num(c.ret)));
}

/** What a call the language has no line for did, for a `@note`. */
function noteText(c: RecordedSyscall, rec: ProgramRecording): string {
  const ret = c.ret === null ? 'did not return' : `returned ${String(signed(num(c.ret)))}`;
  if (UNLINKS.has(c.name) && c.path !== undefined)
    return `${c.name} of ${c.path} by task ${c.tid} ${ret}`;
  if ((c.name === 'execve' || c.name === 'execveat') && c.ret !== null && num(c.ret) === 0n)
    return `${c.name} by task ${c.tid}: a new image, a new address space (its events build it)`;
  const child =
    c.child !== undefined
      ? `: child process ${rec.spaces[c.child].pid} (space ${c.child}), with a copy of this ` +
        'address space (dup_mmap); this one goes on'
      : '';
  return `${c.name} by task ${c.tid} ${ret}${child}`;
}

/** A page fault as the pseudo-call that does what it did. */
function faultText(f: RecordedFault): string {
  const page = '0x' + (num(f.address) & ~0xfffn).toString(16);
  // arch/x86/include/asm/trap_pf.h: X86_PF_WRITE is bit 1.
  return `${f.errorCode & 2 ? '@touch' : '@read'}(${page})`;
}

const CLONE_VM = 0x100n;

/**
 * Whether a call gave its child a copy of this address space (dup_mmap()),
 * followed or not: fork(), clone() without CLONE_VM, or a clone3() whose
 * child the recording followed into a space of its own (clone3's flags are
 * in memory the recording does not hold; glibc uses it only with CLONE_VM,
 * for threads and posix_spawn()).
 */
function forksSpace(c: RecordedSyscall, rec: ProgramRecording): boolean {
  if (c.ret === null || signed(num(c.ret)) <= 0n) return false;
  if (c.child !== undefined) return rec.spaces[c.child]?.from === 'fork';
  if (c.name === 'fork') return true;
  return c.name === 'clone' && (num(c.args[0] ?? '0x0') & CLONE_VM) === 0n;
}

/**
 * The kernel's events of a step that the replay compares: an execve's
 * build the new image, which its own address space starts from (its
 * smaps), so they are not this space's; an unlink's are a directory's.
 */
export function comparedStepEvents(s: SpaceStep): KernelEvent[] {
  if (s.kind === 'fault') return s.fault.events;
  // An unlink touches no address space; on tmpfs it erases the name from
  // the directory's own maple tree (fs/libfs.c: simple_offset_remove()),
  // whose writes trace as the mm's do.
  if (UNLINKS.has(s.call.name)) return [];
  return s.call.name === 'execve' || s.call.name === 'execveat' ? [] : s.call.events;
}

/** The command as one comment line: a word with a space, a quote or a newline is quoted. */
export const commandLine = (words: readonly string[]): string =>
  words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : JSON.stringify(w))).join(' ');

/** The scenario of space `index` of a recording. */
export function programScript(rec: ProgramRecording, index: number): ProgramScript {
  const space = rec.spaces[index];
  const header = [
    `# Recorded by vma-explorer record on Linux ${String(rec.kernel.release ?? '(unknown)')}:`,
    `#   ${commandLine(rec.command)}`,
    `# Address space ${index} of ${rec.spaces.length}: process ${space.pid}` +
      (space.from === 'exec' ? ', from its execve' : `, forked from space ${space.parent?.space}`) +
      `; ${space.calls.length} calls and ${space.faults.length} page faults.`,
  ];
  const steps = spaceSteps(space);
  const forkAt = new Set<number>();
  const unlinkAt = new Map<number, string>();
  steps.forEach((s, i) => {
    if (s.kind === 'call' && forksSpace(s.call, rec)) forkAt.add(i);
    if (s.kind === 'call' && UNLINKS.has(s.call.name) && s.call.ret === '0x0' && s.call.path)
      unlinkAt.set(i, s.call.path);
  });
  const lines = steps.map((s) => {
    if (s.kind === 'fault') return faultText(s.fault);
    const text = callText(s.call);
    return text === null ? `@note(${quote(noteText(s.call, rec))})` : text + resultText(s.call);
  });
  return {
    text: [...header, ...lines].join('\n') + '\n',
    firstLine: header.length + 1,
    steps,
    forkAt,
    unlinkAt,
  };
}
