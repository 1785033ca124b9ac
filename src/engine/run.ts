// SPDX-License-Identifier: GPL-2.0-or-later
// Runs a parsed scenario on the model and keeps every step: the entry point
// the worker and the command line share.
import type { Errno, Result } from './errno';
import { emptyMm, type MmState } from './mm/mm';
import { show_map_vma, show_smap_vma_flags } from './mm/proc-maps';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  SIMPLE_MMAP_FLAGS,
  do_mmap,
  do_vmi_munmap,
} from './mm/simple-mmap';
import type { Diagnostic } from './scenario/diagnostic';
import { parseScenario, type ScenarioCall } from './scenario/parse';
import type { TraceEvent } from './trace/events';

/** One internal step and the address space after it. */
export interface Step extends TraceEvent {
  /** Index of the call this step belongs to in `RunOutput.calls`, or -1 for the start. */
  call: number;
  /** The address space after the step. */
  mm: MmState;
}

/** One executed call and how it ended. */
export interface CallRecord {
  line: number;
  call: string;
  /** As strace prints it: `0x200000000000`, `0`, `-1 ENOMEM`. */
  ret: string;
  expected: string | null;
  match: boolean;
  /** The index in `steps` of the call's last step. */
  lastStep: number;
}

export type { MmState };

export type RunOutput =
  | { ok: true; calls: CallRecord[]; steps: Step[]; skipped: number }
  | { ok: false; diagnostics: Diagnostic[] };

// SIMPLIFICATION (issue 2): the calls the thin model runs; the contract's other
// calls are refused with a diagnostic rather than ignored.
const MODELLED = new Set(['mmap', 'munmap', '@note']);
const RETURNS_ADDRESS = new Set(['mmap', 'mremap', 'brk']);

export interface RunOptions {
  /** The address space to start from (a real process's maps), instead of an empty one. */
  initial?: MmState;
  /** Of a strace log with several processes, the one to replay, or `all` (threads). */
  pid?: number | 'all';
}

/** Parses and runs a scenario; on bad input returns only diagnostics. */
export function runScenario(text: string, file = 'scn', options: RunOptions = {}): RunOutput {
  const parsed = parseScenario(text, file, { pid: options.pid });
  const diagnostics = [...parsed.diagnostics];
  for (const c of parsed.calls) {
    const problem = unmodelled(c);
    if (problem) diagnostics.push({ file, line: c.line, ...problem });
  }
  if (diagnostics.length) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }

  let mm: MmState = options.initial ?? emptyMm;
  const steps: Step[] = [
    options.initial
      ? {
          call: -1,
          fn: 'mm_init',
          source: 'scenario',
          message: `loaded ${mm.vmas.length} VMAs`,
          mm,
        }
      : { call: -1, fn: 'mm_init', source: 'kernel/fork.c', message: 'empty address space', mm },
  ];
  const calls: CallRecord[] = [];
  for (const c of parsed.calls) {
    const index = calls.length;
    const sink = (event: TraceEvent, state: MmState): void => {
      steps.push({ ...event, call: index, mm: state });
    };
    const { mm: after, ret } = execute(mm, c, sink);
    mm = after;
    const retText = formatRet(c.name, ret);
    steps.push({
      call: index,
      fn: c.name.startsWith('@') ? c.name : `sys_${c.name}`,
      source: c.name.startsWith('@') ? 'scenario' : 'mm/mmap.c',
      message: c.name === '@note' ? noteText(c) : `${c.text} = ${retText}`,
      mm,
    });
    const expected = c.expect ? c.expect.text : null;
    calls.push({
      line: c.line,
      call: c.text,
      ret: retText,
      expected,
      match: meetsExpectation(c, ret),
      lastStep: steps.length - 1,
    });
  }
  return { ok: true, calls, steps, skipped: parsed.skipped };
}

function execute(
  mm: MmState,
  c: ScenarioCall,
  sink: (e: TraceEvent, s: MmState) => void,
): { mm: MmState; ret: Result<number> } {
  const n = (i: number): number => Number(BigInt.asUintN(64, argValue(c, i)));
  switch (c.name) {
    case 'mmap':
      return do_mmap(mm, n(0), n(1), n(2), n(3), sink);
    case 'munmap':
      return do_vmi_munmap(mm, n(0), n(1), sink);
    default:
      return { mm, ret: { ok: true, value: 0 } };
  }
}

function argValue(c: ScenarioCall, i: number): bigint {
  const a = c.args[i];
  return a && a.kind === 'int' ? a.value : 0n;
}

function noteText(c: ScenarioCall): string {
  const a = c.args[0];
  return a && a.kind === 'string' ? a.value : '';
}

/** Why the thin model cannot run this call, located at the argument at fault. */
function unmodelled(c: ScenarioCall): Omit<Diagnostic, 'file' | 'line'> | null {
  if (!MODELLED.has(c.name)) {
    return {
      column: c.column,
      message: `${c.name} is not modelled yet: this build runs mmap (MAP_FIXED, anonymous) and munmap`,
      text: c.name,
    };
  }
  if (c.name !== 'mmap') return null;
  const flags = Number(argValue(c, 3));
  const at = c.args[3];
  if (!(flags & MAP_ANONYMOUS)) {
    return { column: at.column, message: 'file mappings are not modelled yet', text: at.text };
  }
  if (!(flags & (MAP_FIXED | MAP_FIXED_NOREPLACE))) {
    return {
      column: at.column,
      message: 'only MAP_FIXED mappings are modelled yet (no address search)',
      text: at.text,
    };
  }
  if (flags & ~SIMPLE_MMAP_FLAGS) {
    return {
      column: at.column,
      message: `mmap flags ${hexOf(flags & ~SIMPLE_MMAP_FLAGS)} are not modelled yet`,
      text: at.text,
    };
  }
  const prot = Number(argValue(c, 2));
  if (prot & ~0x7) {
    const p = c.args[2];
    return {
      column: p.column,
      message: 'only PROT_READ, PROT_WRITE and PROT_EXEC are modelled yet',
      text: p.text,
    };
  }
  return null;
}

const hexOf = (n: number): string => '0x' + (n >>> 0).toString(16);

/** The result as strace prints it. */
function formatRet(name: string, ret: Result<number>): string {
  if (!ret.ok) return `-1 ${ret.errno}`;
  return RETURNS_ADDRESS.has(name) ? '0x' + ret.value.toString(16) : String(ret.value);
}

function meetsExpectation(c: ScenarioCall, ret: Result<number>): boolean {
  const e = c.expect;
  if (!e || e.kind === 'unknown') return true;
  if (e.kind === 'errno') return !ret.ok && ret.errno === (e.errno as Errno);
  if (e.kind === 'signal') return false;
  return ret.ok && BigInt(ret.value) === BigInt.asUintN(64, e.value);
}

/** The /proc/PID/maps lines of an address space. */
export function mapsLines(mm: MmState): string[] {
  return mm.vmas.map((v) => show_map_vma(mm, v));
}

/** The smaps lines the contract compares: each maps line followed by its VmFlags line. */
export function smapsLines(mm: MmState): string[] {
  return mm.vmas.flatMap((v) => [show_map_vma(mm, v), show_smap_vma_flags(v)]);
}
