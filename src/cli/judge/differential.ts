// SPDX-License-Identifier: GPL-2.0-or-later
// Engine against kernel: runs one scenario on both and counts where they part.
import {
  formatDiagnostic,
  runScenario,
  smapsLines,
  type Diagnostic,
  type KernelProfile,
} from '../../engine';
import { emptyMm, type MmState } from '../../engine/kernel/mm/mm-snapshot';
import { JUDGE_START_BRK } from '../../engine/world/process';
import { hostProfile, type ProbeReport } from './host-profile';
import { judgeScenario } from './judge';

/** The address space a scenario starts in on the judge: empty, the break at JUDGE_START_BRK. */
export const JUDGE_PROCESS: MmState = {
  ...emptyMm,
  start_brk: JUDGE_START_BRK,
  brk: JUDGE_START_BRK,
};

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
}

/** One side's run in the contract's terms: per-call results and smaps lines. */
export interface RunRecord {
  results: readonly { line: number; call: string; ret: string }[];
  smaps: readonly string[];
}

/** The engine as the comparison runs it; tests pass a stand-in. */
export type EngineRun = (
  text: string,
  file: string,
  kernel?: KernelProfile,
) => RunRecord | { diagnostics: Diagnostic[] };

/** runScenario in the judge's starting address space. */
export const runEngine: EngineRun = (text, file, kernel) => {
  const out = runScenario(text, file, { initial: JUDGE_PROCESS, kernel });
  if (!out.ok) return { diagnostics: out.diagnostics };
  return { results: out.calls, smaps: smapsLines(out.steps[out.steps.length - 1].mm) };
};

/**
 * Runs `text` on the engine, modelling the `host` profile, and on the real
 * kernel, and compares results and smaps lines.
 */
export async function compareWithEngine(
  text: string,
  file = 'scn',
  engine: EngineRun = runEngine,
): Promise<DiffReport> {
  const kernel = await judgeScenario(text, file);
  const none = { differences: 0, first: null, suspect: null };
  if (!kernel.ok) {
    return { status: 'judge-refused', ...none, reason: formatDiagnostic(kernel.diagnostics[0]) };
  }
  const host = await hostProfile();
  const model = engine(text, file, host.profile);
  if ('diagnostics' in model) {
    return {
      status: 'engine-cannot-run',
      ...none,
      reason: formatDiagnostic(model.diagnostics[0]),
    };
  }
  const diff = diffRuns(kernel, model, file);
  const suspect = diff.differences ? suspectSetting(kernel, text, file, engine, host) : null;
  return { status: 'compared', ...diff, reason: null, suspect };
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
): string | null {
  for (const [setting, other] of alternatives(host.profile)) {
    const model = engine(text, file, other);
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
