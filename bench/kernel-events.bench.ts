// SPDX-License-Identifier: GPL-2.0-or-later
// What the model's kernel events cost (issue 13): a traced engine run (every
// step and snapshot kept) of seeded scenarios, with and without the kernel
// event log that gives each step its `kernelEvents`. The target is at most
// 1.2 times the run without.
import { parseScenario, runParsed } from '../src/engine';
import { generateScenario } from '../src/engine/scenario/generate';
import type { BenchRow } from './bench-row';

const SCENARIOS = 40;
const CALLS = 200;

/** Every scenario run traced once, in ms; best of 7 rounds (the first warms up). */
function tracedMs(parsed: ReturnType<typeof parseScenario>[], kernelEvents: boolean): number {
  let best = Infinity;
  for (let round = 0; round < 7; round++) {
    const t0 = performance.now();
    for (const p of parsed) {
      const out = runParsed(p, 'bench', { trace: true, kernelEvents });
      if (!out.ok) throw new Error('bench scenario refused');
    }
    if (round > 0) best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export default async function (): Promise<BenchRow[]> {
  const parsed = Array.from({ length: SCENARIOS }, (_, i) =>
    parseScenario(generateScenario(i + 1, CALLS), `seed${i + 1}`),
  );
  // Interleaved, so a slower machine phase does not land on one side only.
  const without = Math.min(tracedMs(parsed, false), tracedMs(parsed, false));
  const withEvents = Math.min(tracedMs(parsed, true), tracedMs(parsed, true));
  return [
    {
      suite: 'timeline',
      name: `traced run, ${SCENARIOS} seeded scenarios x ${CALLS} calls, no kernel events`,
      value: without,
      unit: 'ms',
    },
    {
      suite: 'timeline',
      name: 'same, with kernel events (Step.kernelEvents)',
      value: withEvents,
      unit: 'ms',
    },
    {
      suite: 'timeline',
      name: 'kernel events: traced run with / without',
      value: withEvents / without,
      unit: 'x',
      target: '<= 1.2x',
    },
  ];
}
