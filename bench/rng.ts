// SPDX-License-Identifier: GPL-2.0-or-later
// The benches' seeded random numbers, so every run measures the same input.

/** A seeded xorshift generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}
