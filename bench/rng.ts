// SPDX-License-Identifier: GPL-2.0-or-later
// The benches' seeded random numbers, so every run measures the same input.
import { xorshift32 } from '../src/engine/testing/xorshift';

/** A seeded xorshift generator of numbers in [0, 1). */
export function rng(seed: number): () => number {
  const next = xorshift32(seed);
  return () => next() / 2 ** 32;
}
