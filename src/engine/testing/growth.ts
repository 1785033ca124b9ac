// SPDX-License-Identifier: GPL-2.0-or-later
// Bounded work, measured without a fixed time: how much longer a task takes
// on 4 times the input. Linear work gives about 4, quadratic about 16.

/** The best of a few runs, in milliseconds: the least disturbed by the rest of the machine. */
function bestTime(task: () => void, runs: number): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    task();
    best = Math.min(best, performance.now() - t);
  }
  return best;
}

/**
 * The time of `task(4 * n)` over that of `task(n)`. Times under a
 * millisecond are raised to one, so that tiny tasks do not read as growth.
 */
export function growthRatio(task: (n: number) => void, n: number, runs = 3): number {
  task(n); // warm up the JIT
  const small = Math.max(
    1,
    bestTime(() => task(n), runs),
  );
  const large = bestTime(() => task(4 * n), runs);
  return large / small;
}

/** Well under quadratic (16) with room for a noisy machine; linear gives about 4. */
export const LINEAR_BOUND = 9;
