// SPDX-License-Identifier: GPL-2.0-or-later
// Seeded random numbers for tests and benches that need the same long
// sequence on every run.

/** A seeded xorshift32 generator: each call gives the next 32-bit value. */
export function xorshift32(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * A seeded xorshift32 draw in [0, n). (An LCG in doubles, seed *
 * 1103515245, loses precision above 2^53: a maple history once reached
 * only 101 of its 600 pages with one.)
 */
export function xorshift(seed: number): (n: number) => number {
  const next = xorshift32(seed);
  return (n) => next() % n;
}
