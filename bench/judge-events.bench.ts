// SPDX-License-Identifier: GPL-2.0-or-later
// What `npm run judge -- --events` costs: one seeded 200-call scenario judged
// on the real kernel with and without recording its tracepoints (the
// tracefs instance is made once, before the timed runs, as in a judge that
// runs many scenarios). Needs root and gcc; elsewhere it gives no rows.
import { judgeScenario } from '../src/cli/judge/judge';
import { closeSharedTrace } from '../src/cli/judge/tracefs';
import { generateScenario } from '../src/engine/scenario/generate';
import type { BenchRow } from './bench-row';

const CALLS = 200;

/** The best of 5 runs, in ms; null when the judge cannot run here. */
async function judgeMs(scenario: string, events: boolean): Promise<number | null> {
  let best = Infinity;
  for (let i = 0; i < 6; i++) {
    const t0 = performance.now();
    const out = await judgeScenario(scenario, 'bench.scn', { events });
    if (!out.ok) return null;
    // The first run builds the runner or the instance: not timed.
    if (i > 0) best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export default async function (): Promise<BenchRow[]> {
  const scenario = generateScenario(13, CALLS);
  let plain: number | null;
  let traced: number | null;
  try {
    plain = await judgeMs(scenario, false);
    traced = await judgeMs(scenario, true);
  } catch (e) {
    console.error(`judge-events: no rows (${(e as Error).message})`);
    return [];
  } finally {
    closeSharedTrace();
  }
  if (plain === null || traced === null) return [];
  return [
    { suite: 'judge', name: `judge, ${CALLS} calls on the kernel`, value: plain, unit: 'ms' },
    { suite: 'judge', name: `judge --events, ${CALLS} calls`, value: traced, unit: 'ms' },
    {
      suite: 'judge',
      name: 'judge --events slowdown',
      value: traced / plain,
      unit: 'x',
      target: '< 3x',
    },
  ];
}
