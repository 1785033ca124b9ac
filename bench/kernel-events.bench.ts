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

/** Every scenario run traced once, in ms. */
function tracedMs(parsed: ReturnType<typeof parseScenario>[], kernelEvents: boolean): number {
  const t0 = performance.now();
  for (const p of parsed) {
    const out = runParsed(p, 'bench', { trace: true, kernelEvents });
    if (!out.ok) throw new Error('bench scenario refused');
  }
  return performance.now() - t0;
}

/**
 * The best of 12 rounds each, the two sides alternating round by round so
 * that the machine's load and the heap's state weigh on both alike (the
 * first round of each warms up).
 */
function bestOfRounds(parsed: ReturnType<typeof parseScenario>[]): [number, number] {
  let without = Infinity;
  let withEvents = Infinity;
  for (let round = 0; round < 13; round++) {
    const a = tracedMs(parsed, round % 2 === 0);
    const b = tracedMs(parsed, round % 2 !== 0);
    if (round === 0) continue;
    without = Math.min(without, round % 2 === 0 ? b : a);
    withEvents = Math.min(withEvents, round % 2 === 0 ? a : b);
  }
  return [without, withEvents];
}

export default async function (): Promise<BenchRow[]> {
  const parsed = Array.from({ length: SCENARIOS }, (_, i) =>
    parseScenario(generateScenario(i + 1, CALLS), `seed${i + 1}`),
  );
  const [without, withEvents] = bestOfRounds(parsed);
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
