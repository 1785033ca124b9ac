// SPDX-License-Identifier: GPL-2.0-or-later
// Engine against kernel: runs one scenario on both and counts where they part.
import { formatDiagnostic, runScenario, smapsLines, type Diagnostic } from '../../engine';
import { emptyMm, type MmState } from '../../engine/mm/mm';
import { JUDGE_START_BRK } from '../../engine/scenario/generate';
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
}

/** One side's run in the contract's terms: per-call results and smaps lines. */
export interface RunRecord {
  results: readonly { line: number; call: string; ret: string }[];
  smaps: readonly string[];
}

/** The engine as the comparison runs it; tests pass a stand-in. */
export type EngineRun = (text: string, file: string) => RunRecord | { diagnostics: Diagnostic[] };

/** runScenario in the judge's starting address space. */
export const runEngine: EngineRun = (text, file) => {
  const out = runScenario(text, file, { initial: JUDGE_PROCESS });
  if (!out.ok) return { diagnostics: out.diagnostics };
  return { results: out.calls, smaps: smapsLines(out.steps[out.steps.length - 1].mm) };
};

/** Runs `text` on the engine and on the real kernel and compares results and smaps lines. */
export async function compareWithEngine(
  text: string,
  file = 'scn',
  engine: EngineRun = runEngine,
): Promise<DiffReport> {
  const kernel = await judgeScenario(text, file);
  if (!kernel.ok) {
    return {
      status: 'judge-refused',
      differences: 0,
      first: null,
      reason: formatDiagnostic(kernel.diagnostics[0]),
    };
  }
  const model = engine(text, file);
  if ('diagnostics' in model) {
    return {
      status: 'engine-cannot-run',
      differences: 0,
      first: null,
      reason: formatDiagnostic(model.diagnostics[0]),
    };
  }
  return { status: 'compared', ...diffRuns(kernel, model, file), reason: null };
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
