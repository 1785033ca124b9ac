// SPDX-License-Identifier: GPL-2.0-or-later
// The engine under random calls: seeded generated scenarios run untraced with
// mt_validate and validate_mm after every call. The reliability suite
// (`npm test`) and `npm run bench` share it; a break names the seed and the
// call, so `generateScenario(seed, calls)` reproduces it.
import { runParsed } from './run';
import { generateScenario } from '../scenario/generate';
import { parseScenario } from '../scenario/parse';

/** An exception or invariant break: the scenario that made it and what was thrown. */
export interface RandomRunBreak {
  seed: number;
  message: string;
}

export interface RandomRunsResult {
  /** Calls run, every one validated. */
  calls: number;
  breaks: RandomRunBreak[];
  /** Time spent running (generation and parsing excluded), in ms. */
  runMs: number;
}

/** Runs `count` scenarios of `callsEach` calls, seeds `firstSeed`, `firstSeed + 1`, ... */
export function randomRuns(firstSeed: number, count: number, callsEach: number): RandomRunsResult {
  const result: RandomRunsResult = { calls: 0, breaks: [], runMs: 0 };
  for (let seed = firstSeed; seed < firstSeed + count; seed++) {
    const parsed = parseScenario(generateScenario(seed, callsEach), `seed-${seed}`);
    const t0 = performance.now();
    try {
      // Untraced and no step kept: only the checks after each call cost.
      const out = runParsed(parsed, `seed-${seed}`, {
        trace: false,
        validate: true,
        onStep: () => {},
      });
      if (!out.ok) {
        const d = out.diagnostics[0];
        result.breaks.push({ seed, message: `refused: ${d.line}:${d.column}: ${d.message}` });
      } else {
        result.calls += out.calls.length;
      }
    } catch (e) {
      result.breaks.push({ seed, message: e instanceof Error ? e.message : String(e) });
    }
    result.runMs += performance.now() - t0;
  }
  return result;
}
