// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel judge: runs a scenario as real system calls on this machine's
// kernel and reports the results and the final address space in exactly the
// formats the engine prints (shared/spec/scenario-format.md), so the two can
// be compared line by line. The window and the process the scenario runs in
// are described in validate.ts and engine/scenario/generate.ts.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { constants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseScenario, type Diagnostic, type ScenarioCall } from '../../engine';
import type { Expectation } from '../../engine/scenario/parse';
import { CALLS } from '../../engine/scenario/calls';
import { FLAG_VALUES } from '../../engine/scenario/flags';
import { JUDGE_FILE_SIZE } from '../../engine/world/process';
import { RETURNS_ADDRESS } from '../../engine/timeline/call-args';
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import { parseTrace } from './events';
import { JudgeError, runRunner, type RunnerOutput } from './runner';
import { sharedTrace } from './tracefs';
import { validateForJudge } from './validate';

/** One executed call, as the contract's json format has it. */
export interface JudgeResult {
  line: number;
  call: string;
  ret: string;
  expected: string | null;
  match: boolean;
  /** With --events: what the kernel did during the call, as its tracepoints told. */
  events?: KernelEvent[];
}

export interface JudgeOptions {
  /** Record the kernel's events of each call from tracefs (needs root). */
  events?: boolean;
}

export type JudgeOutput =
  | {
      ok: true;
      results: JudgeResult[];
      maps: string[];
      smaps: string[];
      skipped: number;
      /**
       * The runner's whole address space before the first call, as
       * /proc/self/smaps headers and VmFlags lines (the kernel's own text).
       */
      initial: string[];
    }
  | { ok: false; diagnostics: Diagnostic[] };

const O = FLAG_VALUES.O;
/** Every path names an existing file of JUDGE_FILE_SIZE bytes, whatever the flags ask. */
const DROPPED_OPEN_FLAGS = BigInt(O.O_CREAT | O.O_EXCL | O.O_TRUNC);
// fs/proc/task_mmu.c: seq_setwidth(25 + 8 * 6 - 1), then seq_pad() adds one more space: the
// path starts at column 74.
const NAME_COLUMN = 72;

/** Parses, validates and runs a scenario on the real kernel. Throws JudgeError if the judge fails. */
export async function judgeScenario(
  text: string,
  file = 'scn',
  options: JudgeOptions = {},
): Promise<JudgeOutput> {
  const parsed = parseScenario(text, file);
  const diagnostics = [...parsed.diagnostics, ...validateForJudge(parsed.calls, file)];
  if (diagnostics.length) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }

  const files = new ScenarioFiles(parsed.calls);
  try {
    const lines = parsed.calls.map((c) => encodeCall(c, files));
    const { out, events } = options.events
      ? await runTraced(lines)
      : { out: await runRunner(lines), events: null };
    if (out.results.length !== parsed.calls.length) {
      throw new JudgeError(
        `the runner answered ${out.results.length} of ${parsed.calls.length} calls`,
      );
    }
    const results = parsed.calls.map((c, i): JudgeResult => {
      const ret = formatRet(c.name, out.results[i]);
      return {
        line: c.line,
        call: c.text,
        ret,
        expected: c.expect ? c.expect.text : null,
        match: meetsExpectation(c.expect, ret),
        ...(events ? { events: events.filter((e) => e.call === i) } : {}),
      };
    });
    const maps = out.headers.map((h) => normaliseHeader(h, files));
    const smaps = maps.flatMap((m, i) => [m, out.flags[i]]);
    return { ok: true, results, maps, smaps, skipped: parsed.skipped, initial: out.initial };
  } finally {
    files.remove();
  }
}

/** Runs the runner with this process's tracefs instance recording (tracefs.ts). */
async function runTraced(
  lines: readonly string[],
): Promise<{ out: RunnerOutput; events: KernelEvent[] }> {
  const trace = sharedTrace();
  const { result: out, text } = await trace.record(() =>
    runRunner(lines, { markerPath: trace.markerPath }),
  );
  const { events, ended } = parseTrace(text);
  if (ended < lines.length) {
    throw new JudgeError(
      `--events: the trace holds ${ended} of ${lines.length} calls (its buffer filled up); ` +
        'the scenario is too long to record',
    );
  }
  return { out, events };
}

/**
 * The real files behind the scenario's paths: one temporary file of
 * JUDGE_FILE_SIZE bytes per distinct path, created before the run.
 */
class ScenarioFiles {
  private readonly dir: string | null = null;
  private readonly real = new Map<string, string>();
  private readonly scenario = new Map<string, string>();

  constructor(calls: readonly ScenarioCall[]) {
    const paths = new Set<string>();
    for (const c of calls) {
      const p = c.args[c.name === 'openat' ? 1 : 0];
      // An empty path stays empty: the kernel answers ENOENT.
      if ((c.name === 'openat' || c.name === 'open') && p?.kind === 'string' && p.value !== '') {
        paths.add(p.value);
      }
    }
    if (paths.size === 0) return;
    this.dir = mkdtempSync(join(tmpdir(), 'vma-judge-'));
    const data = Buffer.alloc(JUDGE_FILE_SIZE, 'vma-explorer ');
    for (const p of paths) {
      const real = join(this.dir, `f${this.real.size}`);
      writeFileSync(real, data, { mode: 0o600 });
      this.real.set(p, real);
      this.scenario.set(real, p);
    }
  }

  realPath(scenarioPath: string): string {
    return this.real.get(scenarioPath) ?? scenarioPath;
  }

  scenarioPath(realPath: string): string {
    return this.scenario.get(realPath) ?? realPath;
  }

  remove(): void {
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

/** One protocol line for the runner (see runner.ts). */
function encodeCall(c: ScenarioCall, files: ScenarioFiles): string {
  const n = (i: number, dflt = 0n): string => {
    const a = c.args[i];
    return BigInt.asUintN(64, a && a.kind === 'int' ? a.value : dflt).toString();
  };
  const s = (i: number): string => {
    const a = c.args[i];
    return 's' + Buffer.from(a && a.kind === 'string' ? a.value : '', 'utf8').toString('hex');
  };
  const open = (path: number, flags: number, mode: number): string => {
    const a = c.args[path];
    const real = files.realPath(a && a.kind === 'string' ? a.value : '');
    const f = c.args[flags];
    const flagValue = (f && f.kind === 'int' ? f.value : 0n) & ~DROPPED_OPEN_FLAGS;
    const fd = c.expect?.kind === 'value' && c.expect.value >= 0n ? String(c.expect.value) : '-';
    const hexPath = 's' + Buffer.from(real, 'utf8').toString('hex');
    return `openat ${hexPath} ${BigInt.asUintN(64, flagValue)} ${n(mode)} ${fd}`;
  };
  switch (c.name) {
    case 'openat':
      return open(1, 2, 3);
    case 'open':
      return open(0, 1, 2);
    case 'prctl':
      return `prctl ${n(0)} ${n(1)} ${n(2)} ${n(3)} ${s(4)}`;
    case '@touch':
    case '@read':
      return `${c.name} ${n(0)} ${n(1, 1n)}`;
    default: {
      // Optional arguments the scenario left out are 0 (mremap's new_addr).
      const count = CALLS[c.name]?.params.length ?? c.args.length;
      return [c.name, ...Array.from({ length: count }, (_, i) => n(i))].join(' ');
    }
  }
}

const ERRNO_NAMES: ReadonlyMap<number, string> = (() => {
  const names = new Map<number, string>();
  // Where two names share a number, strace prints the first of these.
  for (const preferred of ['EAGAIN', 'EOPNOTSUPP', 'EDEADLK']) {
    const v = (constants.errno as Record<string, number>)[preferred];
    if (v !== undefined) names.set(v, preferred);
  }
  for (const [name, v] of Object.entries(constants.errno)) if (!names.has(v)) names.set(v, name);
  return names;
})();

/** A raw return as strace prints it: `0x200000000000`, `3`, `-1 ENOMEM`, `SIGSEGV`. */
export function formatRet(name: string, raw: string): string {
  if (raw === 'SIGSEGV' || raw === 'SIGBUS') return raw;
  const v = BigInt(raw);
  if (v < 0n && v >= -4095n) return `-1 ${ERRNO_NAMES.get(Number(-v)) ?? `E${-v}`}`;
  return RETURNS_ADDRESS.has(name) ? '0x' + BigInt.asUintN(64, v).toString(16) : v.toString();
}

/** Whether a result agrees with the scenario's `= RESULT`. */
export function meetsExpectation(e: Expectation | null, ret: string): boolean {
  if (!e || e.kind === 'unknown') return true;
  if (e.kind === 'errno') return ret === `-1 ${e.errno}`;
  if (e.kind === 'signal') return ret === e.signal;
  if (!/^(0x[0-9a-f]+|\d+)$/.test(ret)) return false;
  return BigInt.asUintN(64, BigInt(ret)) === BigInt.asUintN(64, e.value);
}

/**
 * A smaps header line as the contract prints it: device and inode `00:00 0`,
 * the scenario's path instead of the temporary file's, at column 74.
 */
function normaliseHeader(line: string, files: ScenarioFiles): string {
  const m = /^(\S+ \S+ \S+) \S+ \d+ ?(.*)$/.exec(line);
  if (!m) throw new JudgeError(`unexpected smaps line: ${line}`);
  const head = `${m[1]} 00:00 0 `;
  const name = m[2].trimStart();
  return name === '' ? head : head.padEnd(NAME_COLUMN, ' ') + ' ' + files.scenarioPath(name);
}
