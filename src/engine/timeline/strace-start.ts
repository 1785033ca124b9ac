// SPDX-License-Identifier: GPL-2.0-or-later
// A plain strace log (no capture of the address space it started from)
// still reveals most of that address space: the break in the first
// brk(NULL), where the kernel put each mapping in what mmap returned, and
// the ranges the program had before its first call (its own image, the
// dynamic loader) in the calls that act on ranges nothing in the log
// mapped. This reads those, so the replay lands where the kernel did;
// without it, mmap(NULL) lands in the judge's window and every later call
// on a real address misses.
import { MAP_FIXED, MAP_FIXED_NOREPLACE } from '../kernel/mm/mman';
import { MREMAP_MAYMOVE } from '../kernel/mm/mremap';
import { emptyMm, mmSnapshot, type MmState } from '../kernel/mm/mm-snapshot';
import { MTREE_INIT } from '../kernel/maple/tree';
import { mtree_store_range } from '../kernel/maple/store';
import {
  VM_ACCOUNT,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYWRITE,
  VM_READ,
  VM_WRITE,
} from '../kernel/mm/vm-flags';
import { PAGE_SIZE, TASK_SIZE, hex, vma_init, vma_pages, type Vma } from '../kernel/mm/mm_types';
import { vmStatPatch, type VmStat } from '../kernel/mm/mmap';
import { intArgNumber, type Arg, type ScenarioCall } from '../scenario/parse';

/**
 * The `struct file` identities of inferred VMAs start here, far above any a
 * run hands out: each placeholder is a file of its own (so it never merges
 * with what the log maps, as the real image would not), and the mark
 * survives splits, mprotect and fork, which keep vm_file.
 */
export const INFERRED_FILE_BASE = 2 ** 40;

/** Whether a VMA is (a piece of) a placeholder this module inferred. */
export const isInferred = (v: Vma): boolean =>
  v.vm_file !== null && v.vm_file >= INFERRED_FILE_BASE;

const MREMAP_FIXED = 2;
const MREMAP_DONTUNMAP = 4;
/** arch/x86: arch_randomize_brk() puts the break up to 32 GiB after the image. */
const BRK_RANDOM = 2 ** 35;

/** A range the log acts on that nothing in it mapped, found at `line`. */
export interface InferredRange {
  start: number;
  end: number;
  line: number;
  /** The call that needed it, as written. */
  call: string;
}

/** The layout one address space (the log's start, or an execve) began with. */
export interface InferredStart {
  mm: MmState;
  inferred: InferredRange[];
  /** What was inferred, in words, for the step that installs it. */
  message: string;
}

export interface StraceStart {
  /** The calls to run: the log's, with mmap/mremap placed where the log says. */
  calls: ScenarioCall[];
  /** For each call placed at the address the log returned, why (by call index). */
  placed: Map<number, string>;
  /** Layouts by the index of the call they follow: -1 before the first, else an execve. */
  starts: Map<number, InferredStart>;
  /** Inferred VMAs over all address spaces. */
  inferred: number;
}

const pageUp = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

/**
 * A set of page ranges `[start, end)`, kept sorted and disjoint. Each
 * change finds its place by binary search and splices only the ranges it
 * meets, so a log of many mappings costs no more than its calls.
 */
class Ranges {
  readonly list: Array<[number, number]> = [];
  /** The first range that ends after `at` (or touches it, with `touch`). */
  private firstFrom(at: number, touch: boolean): number {
    let lo = 0;
    let hi = this.list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const end = this.list[mid][1];
      if (touch ? end < at : end <= at) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
  add(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstFrom(start, true);
    let j = i;
    let s = start;
    let e = end;
    while (j < this.list.length && this.list[j][0] <= e) {
      s = Math.min(s, this.list[j][0]);
      e = Math.max(e, this.list[j][1]);
      j++;
    }
    this.list.splice(i, j - i, [s, e]);
  }
  remove(start: number, end: number): void {
    if (end <= start) return;
    const i = this.firstFrom(start, false);
    let j = i;
    const kept: Array<[number, number]> = [];
    while (j < this.list.length && this.list[j][0] < end) {
      const [a, b] = this.list[j];
      if (a < start) kept.push([a, start]);
      if (b > end) kept.push([end, b]);
      j++;
    }
    this.list.splice(i, j - i, ...kept);
  }
  /** The parts of `[start, end)` outside every range here. */
  gaps(start: number, end: number): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    let at = start;
    for (let k = this.firstFrom(start, false); k < this.list.length && at < end; k++) {
      const [a, b] = this.list[k];
      if (a >= end) break;
      if (a > at) out.push([at, a]);
      at = Math.max(at, b);
    }
    if (at < end) out.push([at, end]);
    return out;
  }
}

const u64 = (a: Arg | undefined): bigint =>
  a && a.kind === 'int' ? BigInt.asUintN(64, a.value) : 0n;
/** An address or length as a number, or null when it is no user address at all. */
function addr(v: bigint): number | null {
  return v <= BigInt(TASK_SIZE) ? Number(v) : null;
}
/** An integer argument with `value`, written where and as `like` was. */
const intArg = (value: bigint, like: Arg | undefined): Arg => ({
  kind: 'int',
  value,
  num: intArgNumber(value),
  column: like?.column ?? 0,
  text: like?.text ?? '0x' + value.toString(16),
});

/** The value a call returned in the log, or null (failed, unknown, not written). */
function returned(c: ScenarioCall): bigint | null {
  return c.expect?.kind === 'value' ? BigInt.asUintN(64, c.expect.value) : null;
}

/** Calls that fail (ENOMEM, EFAULT) on a range with a hole: a success says all of it was mapped. */
const NEEDS_MAPPED = new Set([
  'mprotect',
  'pkey_mprotect',
  'madvise',
  'mlock',
  'mlock2',
  'munlock',
  'mseal',
]);

/** Reads one address space's calls `[from, to)` of `calls`, rewriting placements in place. */
function readSpace(
  calls: ScenarioCall[],
  from: number,
  to: number,
  program: string | null,
  placed: Map<number, string>,
  nextFile: { id: number },
): InferredStart {
  const known = new Ranges();
  // Every range the log mapped or unmapped: a placeholder there would be
  // wrong (the log's own mmap would find it taken).
  const touched = new Ranges();
  const inferred: InferredRange[] = [];
  const guessed = new Ranges();
  let startBrk: number | null = null;
  let brkFrom = '';
  let mmapTop = 0;
  const need = (c: ScenarioCall, start: number, end: number): void => {
    for (const [s, e] of known.gaps(start, end)) {
      for (const [gs, ge] of touched.gaps(s, e)) {
        for (const [hs, he] of guessed.gaps(gs, ge)) {
          inferred.push({ start: hs, end: he, line: c.line, call: c.text });
          guessed.add(hs, he);
        }
      }
    }
  };
  // Every value brk() returns is where the break stood then, so the lowest
  // one bounds start_brk from above: a forked heap may later shrink below
  // its first move (sys_brk refuses any brk < mm->start_brk).
  for (let i = from; i < to; i++) {
    const c = calls[i];
    const ret = c.name === 'brk' ? returned(c) : null;
    const at = ret === null ? null : addr(ret);
    if (at === null) continue;
    if (startBrk === null) {
      brkFrom = u64(c.args[0]) === 0n ? 'the first brk(NULL)' : 'the first brk(), of a forked heap';
    }
    if (startBrk === null || at < startBrk) {
      if (startBrk !== null) brkFrom = 'the lowest break the log shows, of a forked heap';
      startBrk = at;
    }
  }
  for (let i = from; i < to; i++) {
    const c = calls[i];
    const ret = returned(c);
    if (ret === null) continue;
    switch (c.name) {
      case 'brk': {
        const at = addr(ret);
        if (at === null || startBrk === null) break;
        known.add(startBrk, pageUp(at));
        touched.add(startBrk, pageUp(at));
        break;
      }
      case 'mmap': {
        const at = addr(ret);
        const len = addr(u64(c.args[1]));
        if (at === null || len === null) break;
        const flags = Number(u64(c.args[3]) & 0xffffffffn);
        if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
          const args = [...c.args];
          args[0] = intArg(BigInt(at), c.args[0]);
          args[3] = intArg(u64(args[3]) | BigInt(MAP_FIXED_NOREPLACE), args[3]);
          calls[i] = { ...c, args };
          placed.set(i, `placed at ${hex(at)}, where the log says the kernel put it`);
        }
        known.add(at, at + pageUp(len));
        touched.add(at, at + pageUp(len));
        mmapTop = Math.max(mmapTop, at + pageUp(len));
        break;
      }
      case 'munmap': {
        const at = addr(u64(c.args[0]));
        const len = addr(u64(c.args[1]));
        if (at === null || len === null) break;
        known.remove(at, at + pageUp(len));
        touched.add(at, at + pageUp(len));
        break;
      }
      case 'mremap': {
        const old = addr(u64(c.args[0]));
        const oldLen = addr(u64(c.args[1]));
        const newLen = addr(u64(c.args[2]));
        const at = addr(ret);
        if (old === null || oldLen === null || newLen === null || at === null) break;
        const flags = Number(u64(c.args[3]) & 0xffffffffn);
        if (oldLen > 0) need(c, old, old + pageUp(oldLen));
        if (at !== old && flags & MREMAP_MAYMOVE && !(flags & MREMAP_FIXED)) {
          const args = [...c.args];
          args[3] = intArg(u64(args[3]) | BigInt(MREMAP_FIXED), args[3]);
          args[4] = intArg(BigInt(at), c.args[4]);
          calls[i] = { ...c, args };
          placed.set(i, `moved to ${hex(at)}, where the log says the kernel put it`);
        }
        if (!(flags & MREMAP_DONTUNMAP)) known.remove(old, old + pageUp(oldLen));
        touched.add(old, old + pageUp(oldLen));
        known.add(at, at + pageUp(newLen));
        touched.add(at, at + pageUp(newLen));
        if (at !== old) mmapTop = Math.max(mmapTop, at + pageUp(newLen));
        break;
      }
      default:
        if (NEEDS_MAPPED.has(c.name) && ret === 0n) {
          const at = addr(u64(c.args[0]));
          const len = addr(u64(c.args[1]));
          if (at === null || len === null || len === 0 || at % PAGE_SIZE) break;
          need(c, at, Math.min(TASK_SIZE, at + pageUp(len)));
        }
    }
  }
  return build(inferred, guessed, startBrk, brkFrom, mmapTop, program, nextFile);
}

/** The starting mm: the break, mmap_base and one placeholder VMA for each inferred range. */
function build(
  inferred: InferredRange[],
  guessed: Ranges,
  startBrk: number | null,
  /** Which call gave the break, in words. */
  brkFrom: string,
  mmapTop: number,
  program: string | null,
  nextFile: { id: number },
): InferredStart {
  let mt = MTREE_INIT<Vma>();
  let stat: VmStat = { total_vm: 0, exec_vm: 0, stack_vm: 0, data_vm: 0 };
  let nextVmaId = emptyMm.nextVmaId;
  // What a program's data segment is before its RELRO mprotect: private,
  // readable and writable. The real contents are unknown; this is a guess
  // that gives the calls of the log the results the kernel gave.
  const flags = (VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC | VM_ACCOUNT) >>> 0;
  const names: string[] = [];
  for (const [start, end] of guessed.list) {
    // The program's own image lies below the break, at most 32 GiB below.
    const isImage = startBrk !== null && end <= startBrk && startBrk - end <= BRK_RANDOM;
    const file = isImage ? program : null;
    const v = vma_init(nextVmaId++, start, end, 0, flags, {
      vm_ops: 'file',
      vm_file: nextFile.id++,
      file,
    });
    mt = mtree_store_range(mt, start, end - 1, v);
    stat = { ...stat, ...vmStatPatch(stat, flags, vma_pages(v)) };
    names.push(`vma${v.id} [${hex(start)}, ${hex(end)})${isImage ? ' (the program)' : ''}`);
  }
  const brk = startBrk ?? emptyMm.start_brk;
  const mmap_base = mmapTop > 0 ? mmapTop : emptyMm.mmap_base;
  const mm = mmSnapshot(emptyMm, {
    mt,
    map_count: guessed.list.length,
    ...stat,
    start_brk: brk,
    brk,
    mmap_base,
    nextVmaId,
  });
  const parts = [
    startBrk !== null ? `the break at ${hex(brk)} (${brkFrom})` : null,
    mmapTop > 0 ? `mmap_base at ${hex(mmap_base)} (above every address mmap returned)` : null,
    names.length > 0
      ? `${names.length} inferred VMA${names.length === 1 ? '' : 's'} for ranges the log uses but never maps: ${names.join(', ')}`
      : null,
  ].filter((p) => p !== null);
  const message =
    parts.length > 0
      ? `layout read from the strace log: ${parts.join('; ')}`
      : 'empty address space (the strace log reveals nothing of its layout)';
  return { mm, inferred, message };
}

/**
 * Reads the starting layout of each address space of a log (the start, and
 * each successful execve) and places each mmap/mremap at the address the
 * log says the kernel chose (as MAP_FIXED_NOREPLACE / MREMAP_FIXED there).
 */
export function inferStraceStart(logCalls: readonly ScenarioCall[]): StraceStart {
  const calls = [...logCalls];
  const placed = new Map<number, string>();
  const starts = new Map<number, InferredStart>();
  const nextFile = { id: INFERRED_FILE_BASE };
  let begin = 0;
  let after = -1;
  let program: string | null = null;
  const finish = (end: number): void => {
    starts.set(after, readSpace(calls, begin, end, program, placed, nextFile));
  };
  for (let i = 0; i < calls.length; i++) {
    const c = calls[i];
    if (c.name !== 'execve') continue;
    finish(i);
    begin = i + 1;
    after = i;
    const path = c.args[0];
    program = path && path.kind === 'string' ? path.value : null;
  }
  finish(calls.length);
  let inferred = 0;
  for (const s of starts.values()) inferred += s.mm.map_count;
  return { calls, placed, starts, inferred };
}
