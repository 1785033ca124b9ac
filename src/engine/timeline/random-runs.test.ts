// SPDX-License-Identifier: GPL-2.0-or-later
// The reliability suite: the engine under at least 100,000 random calls each
// run, mt_validate and validate_mm after every one. Seeded, so a break is
// reproducible; `npm run bench` runs ten times more.
import { describe, expect, it } from 'vitest';
import { randomRuns } from './random-runs';

describe('the engine under random calls', () => {
  it('120,000 validated calls: no exception, no invariant break', () => {
    const got = randomRuns(1, 120, 1000);
    expect(got.breaks).toEqual([]);
    expect(got.calls).toBeGreaterThanOrEqual(100_000);
  }, 120_000);
});
