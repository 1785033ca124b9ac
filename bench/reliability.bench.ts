// SPDX-License-Identifier: GPL-2.0-or-later
// The engine under 1,000,000 random calls, mt_validate and validate_mm after
// each: how fast, and how many breaks (the test suite runs 120,000 of them on
// other seeds). A break is printed with its seed to reproduce it.
import { randomRuns } from '../src/engine/timeline/random-runs';
import type { BenchRow } from './bench-row';

const SCENARIOS = 1000;
const CALLS_EACH = 1000;
/** Past the seeds the test suite runs (1 to 120). */
const FIRST_SEED = 1001;

export default async function (): Promise<BenchRow[]> {
  const got = randomRuns(FIRST_SEED, SCENARIOS, CALLS_EACH);
  for (const b of got.breaks.slice(0, 5)) console.log(`break: seed ${b.seed}: ${b.message}`);
  return [
    {
      suite: 'mm',
      name: `random calls, validated after each: ${got.calls.toLocaleString('en')} calls`,
      value: (got.calls * 1000) / got.runMs,
      unit: 'calls/s',
    },
    {
      suite: 'mm',
      name: `random calls: breaks (exceptions, invariants) in ${SCENARIOS} scenarios`,
      value: got.breaks.length,
      unit: 'breaks',
      target: '0',
    },
  ];
}
