// SPDX-License-Identifier: GPL-2.0-or-later
// Engine against kernel: runs one scenario on both and counts where they part.
import {
  formatDiagnostic,
  runScenario,
  smapsLines,
  type Diagnostic,
  type KernelProfile,
  type Step,
} from '../../engine';
import { emptyMm, mmSnapshot, type MmState } from '../../engine/kernel/mm/mm-snapshot';
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import {
  compareCallEvents,
  comparedEvent,
  describeDifference,
  Identities,
} from '../../engine/timeline/event-parity';
import { judgeStart } from '../../engine/timeline/judge-start';
import { JUDGE_START_BRK, JUDGE_WINDOW_END, JUDGE_WINDOW_START } from '../../engine/world/process';
import { hostProfile, type ProbeReport } from './host-profile';
import { judgeScenario } from './judge';

/** The address space a scenario starts in on the judge: empty, the break at JUDGE_START_BRK. */
export const JUDGE_PROCESS: MmState = mmSnapshot(emptyMm, {
  start_brk: JUDGE_START_BRK,
  brk: JUDGE_START_BRK,
});

/** The judge's window: the part of the runner's address space the contract compares. */
export const JUDGE_WINDOW = { start: JUDGE_WINDOW_START, end: JUDGE_WINDOW_END };

/** The runner's own address space (engine: timeline/judge-start.ts), or a throw naming what is wrong. */
export function judgeProcessStart(initial: readonly string[]): MmState {
  const mm = judgeStart(initial);
  if (typeof mm === 'string') throw new Error(mm);
  return mm;
}

/** How the model's events compared with the kernel's, over a run's calls. */
export interface EventReport {
  /** Events compared (the longer side's count, call by call). */
  compared: number;
  differences: number;
  /** The first difference, described for a person. */
  first: string | null;
  /** Differences by event kind (`ma_write`, `alloc vm_area_struct`, ...). */
  byKind: Record<string, number>;
  /** The kernel's events left out of the comparison (comparedEvent()), by kind. */
  notCompared: Record<string, number>;
  /**
   * How often the left-out kinds would differ, by kind, were they compared
   * (each kind alone): what the README reports for them.
   */
  wouldDiffer: Record<string, number>;
}

export interface DiffReport {
  /**
   * `compared`: both ran; `engine-cannot-run`: the engine refused the scenario
   * (a call it does not model yet), `reason` says which; `judge-refused`: the
   * judge will not run it (outside its window), `reason` says why.
   */
  status: 'compared' | 'engine-cannot-run' | 'judge-refused';
  /** Per-call results and smaps lines that differ (0 unless compared). */
  differences: number;
  /** The first difference, described for a person. */
  first: string | null;
  reason: string | null;
  /**
   * When the engine agrees with the kernel once one probed setting of the
   * host profile is changed, that setting and its probe: the likelier culprit
   * is the probe (or a machine that changed), not mm/vma.c.
   */
  suspect: string | null;
  /** With events: how the model's events compared with the kernel's (step parity). */
  events?: EventReport;
}

/** One side's run in the contract's terms: per-call results and smaps lines. */
export interface RunRecord {
  /** Per call; with events, what the kernel's tracepoints printed (or the model says they would). */
  results: readonly { line: number; call: string; ret: string; events?: readonly KernelEvent[] }[];
  smaps: readonly string[];
}

/** The engine as the comparison runs it; tests pass a stand-in. */
export type EngineRun = (
  text: string,
  file: string,
  kernel?: KernelProfile,
  /** The runner's own address space (judgeProcessStart()); events are wanted then. */
  initial?: MmState,
) => RunRecord | { diagnostics: Diagnostic[] };

/** runScenario in the judge's starting address space. */
export const runEngine: EngineRun = (text, file, kernel, initial) => {
  const out = runScenario(text, file, { initial: initial ?? JUDGE_PROCESS, kernel });
  if (!out.ok) return { diagnostics: out.diagnostics };
  const mm = out.steps[out.steps.length - 1].mm;
  return {
    results: out.calls,
    smaps: initial ? smapsLines(mm, JUDGE_WINDOW) : smapsLines(mm),
  };
};

/** Each call's kernel events of a run's steps, by call index. */
export function eventsByCall(steps: readonly Step[], calls: number): KernelEvent[][] {
  const out: KernelEvent[][] = Array.from({ length: calls }, () => []);
  for (const s of steps) if (s.kernelEvents && s.call >= 0) out[s.call].push(...s.kernelEvents);
  return out;
}

/** The kind an event's differences count under: `ma_write`, `alloc vm_area_struct`, ... */
const kindOf = (e: KernelEvent): string =>
  e.kind === 'alloc' || e.kind === 'free' ? `${e.kind} ${e.cache}` : e.kind;

/** Compares two runs' events call by call, identities bound across the whole run. */
export function diffEvents(kernel: RunRecord, model: RunRecord, file = 'scn'): EventReport {
  const ids = new Identities();
  const report: EventReport = {
    compared: 0,
    differences: 0,
    first: null,
    byKind: {},
    notCompared: {},
    wouldDiffer: {},
  };
  const left = new Map<string, Identities>();
  kernel.results.forEach((k, i) => {
    const kinds = new Set<string>();
    for (const e of [...(k.events ?? []), ...(model.results[i]?.events ?? [])])
      if (!comparedEvent(e)) kinds.add(kindOf(e));
    for (const e of k.events ?? [])
      if (!comparedEvent(e))
        report.notCompared[kindOf(e)] = (report.notCompared[kindOf(e)] ?? 0) + 1;
    for (const kind of kinds) {
      if (!left.has(kind)) left.set(kind, new Identities());
      const only = (e: KernelEvent) => !comparedEvent(e) && kindOf(e) === kind;
      const n = compareCallEvents(
        model.results[i]?.events ?? [],
        k.events ?? [],
        left.get(kind) as Identities,
        only,
      ).differences.length;
      if (n) report.wouldDiffer[kind] = (report.wouldDiffer[kind] ?? 0) + n;
    }
    const m = model.results[i];
    const parity = compareCallEvents(m?.events ?? [], k.events ?? [], ids, comparedEvent);
    report.compared += parity.compared;
    for (const d of parity.differences) {
      report.differences++;
      const e = (d.kernel ?? d.model) as KernelEvent;
      report.byKind[kindOf(e)] = (report.byKind[kindOf(e)] ?? 0) + 1;
      report.first ??= `${file}:${k.line}: ${k.call}: ${describeDifference(d)}`;
    }
  });
  return report;
}

/**
 * Runs `text` on the engine, modelling the `host` profile, and on the real
 * kernel, and compares results and smaps lines.
 */
export async function compareWithEngine(
  text: string,
  file = 'scn',
  engine: EngineRun = runEngine,
  options: { events?: boolean } = {},
): Promise<DiffReport> {
  const kernel = await judgeScenario(text, file, { events: options.events });
  const none = { differences: 0, first: null, suspect: null };
  if (!kernel.ok) {
    return { status: 'judge-refused', ...none, reason: formatDiagnostic(kernel.diagnostics[0]) };
  }
  const host = await hostProfile();
  const initial = options.events ? judgeProcessStart(kernel.initial) : undefined;
  const model = engine(text, file, host.profile, initial);
  if ('diagnostics' in model) {
    return {
      status: 'engine-cannot-run',
      ...none,
      reason: formatDiagnostic(model.diagnostics[0]),
    };
  }
  const diff = diffRuns(kernel, model, file);
  const suspect = diff.differences
    ? suspectSetting(kernel, text, file, engine, host, initial)
    : null;
  const events = options.events ? diffEvents(kernel, model, file) : undefined;
  return { status: 'compared', ...diff, reason: null, suspect, ...(events ? { events } : {}) };
}

/** The probed settings a difference may come from, each with its other values. */
function alternatives(p: KernelProfile): Array<[string, KernelProfile]> {
  const thp = (['always', 'madvise', 'never'] as const).filter((t) => t !== p.thp);
  return [
    ['zeroPage', { ...p, zeroPage: !p.zeroPage }],
    ['pku', { ...p, pku: !p.pku }],
    ['anonVmaName', { ...p, anonVmaName: !p.anonVmaName }],
    ...thp.map((t): [string, KernelProfile] => ['thp', { ...p, thp: t }]),
    [
      'overcommit',
      { ...p, overcommit: { ...p.overcommit, memory: p.overcommit.memory === 1 ? 0 : 1 } },
    ],
  ];
}

/** Names the host setting whose other value would make the engine agree, with its probe. */
function suspectSetting(
  kernel: RunRecord,
  text: string,
  file: string,
  engine: EngineRun,
  host: { profile: KernelProfile; probes: readonly ProbeReport[] },
  initial?: MmState,
): string | null {
  for (const [setting, other] of alternatives(host.profile)) {
    const model = engine(text, file, other, initial);
    if ('diagnostics' in model || diffRuns(kernel, model, file).differences) continue;
    const probe = host.probes.find((p) => p.setting === setting);
    const value = JSON.stringify((other as unknown as Record<string, unknown>)[setting]);
    return `the engine agrees with the kernel if ${setting} were ${value}; the host probe found ${JSON.stringify(probe?.value)} (${probe?.how ?? 'not probed'})`;
  }
  return null;
}

/** Every per-call result and smaps line where the engine's run differs from the kernel's. */
export function diffRuns(
  kernel: RunRecord,
  engine: RunRecord,
  file = 'scn',
): { differences: number; first: string | null } {
  const found: string[] = [];
  kernel.results.forEach((k, i) => {
    const e = engine.results[i];
    if (e?.ret !== k.ret) {
      found.push(`${file}:${k.line}: ${k.call}: kernel ${k.ret}, engine ${e?.ret ?? 'nothing'}`);
    }
  });
  const show = (l: string | undefined): string => (l === undefined ? 'nothing' : `'${l}'`);
  const { smaps: theirs } = kernel;
  const { smaps: mine } = engine;
  for (let i = 0; i < Math.max(mine.length, theirs.length); i++) {
    if (mine[i] !== theirs[i]) {
      found.push(`smaps line ${i + 1}: kernel ${show(theirs[i])}, engine ${show(mine[i])}`);
    }
  }
  return { differences: found.length, first: found[0] ?? null };
}

/**
 * The part of a scenario the engine can run: every line the engine refuses
 * becomes a comment (so line numbers stay), until the engine accepts the rest.
 * As the engine grows, less is cut. Input the parser rejects is returned as it is.
 */
export function engineRunnablePart(text: string, file = 'scn'): string {
  const lines = text.split('\n');
  for (;;) {
    const out = runEngine(lines.join('\n'), file);
    if (!('diagnostics' in out)) return lines.join('\n');
    const refused = new Set(out.diagnostics.map((d) => d.line));
    let cut = 0;
    for (const n of refused) {
      if (!lines[n - 1].startsWith('#')) {
        lines[n - 1] = `# not modelled: ${lines[n - 1]}`;
        cut++;
      }
    }
    if (cut === 0) return text;
  }
}
