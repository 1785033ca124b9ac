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

/** The shortest time worth comparing, in milliseconds: below it, timer and scheduling noise win. */
const MIN_MS = 8;

/**
 * The time of `task(4 * n)` over that of `task(n)`, for the first n (from
 * the one given, doubling) whose task takes long enough to time. A busy
 * machine (the other test files run alongside) only ever slows one of the
 * two, so the least of a few tries is taken, stopping at one that reads
 * linear: quadratic work never does.
 */
export function growthRatio(task: (n: number) => void, n: number, runs = 3): number {
  task(n); // warm up the JIT
  let small = bestTime(() => task(n), runs);
  for (let i = 0; i < 6 && small < MIN_MS; i++) {
    n *= 2;
    small = bestTime(() => task(n), runs);
  }
  let ratio = Infinity;
  for (let attempt = 0; attempt < 3 && ratio >= LINEAR_BOUND; attempt++) {
    if (attempt > 0) small = bestTime(() => task(n), runs);
    ratio = Math.min(ratio, bestTime(() => task(4 * n), runs) / Math.max(small, 1));
  }
  return ratio;
}

/** Well under quadratic (16) with room for a noisy machine; linear gives about 4. */
export const LINEAR_BOUND = 10;
