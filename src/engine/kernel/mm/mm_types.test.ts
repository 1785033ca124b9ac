// SPDX-License-Identifier: GPL-2.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hex } from './mm_types';

describe('hex', () => {
  it('prints what toString(16) prints, on both sides of its 32-bit fast path', () => {
    for (const n of [
      0,
      1,
      0xfff,
      2 ** 32 - 1,
      2 ** 32,
      2 ** 32 + 1,
      0x200000000000,
      0x7ffffffff000,
    ]) {
      expect(hex(n)).toBe('0x' + n.toString(16));
    }
    for (const n of [2 ** 53 - 1, 2 ** 53, 2 ** 64, -1, -(2 ** 40), 0.5, 2 ** 40 + 0.5]) {
      expect(hex(n)).toBe('0x' + n.toString(16));
    }
    fc.assert(
      fc.property(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), (n) => {
        expect(hex(n)).toBe('0x' + n.toString(16));
      }),
      { numRuns: 20_000 },
    );
  });
});
