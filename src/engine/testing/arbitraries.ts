// SPDX-License-Identifier: GPL-2.0-or-later
// fast-check inputs the reader tests share.
import fc from 'fast-check';

/**
 * One of `seeds` changed by a few random edits (insert, delete, replace,
 * cut or repeat) with `pieces`, on one line: newlines become spaces.
 */
export function mutatedLine(
  seeds: readonly string[],
  pieces: readonly string[],
): fc.Arbitrary<string> {
  return fc
    .tuple(
      fc.constantFrom(...seeds),
      fc.array(
        fc.tuple(fc.nat(), fc.nat(), fc.constantFrom(...pieces), fc.integer({ min: 0, max: 4 })),
        { minLength: 1, maxLength: 6 },
      ),
    )
    .map(([seed, edits]) => {
      let s = seed;
      for (const [a, b, piece, kind] of edits) {
        const i = a % (s.length + 1);
        const j = Math.min(s.length, i + (b % 12));
        if (kind === 0) s = s.slice(0, i) + piece + s.slice(i);
        else if (kind === 1) s = s.slice(0, i) + s.slice(j);
        else if (kind === 2) s = s.slice(0, i) + piece + s.slice(j);
        else if (kind === 3) s = s.slice(0, i);
        else s = s.slice(0, j) + s.slice(i, j) + s.slice(j);
      }
      return s.replace(/[\r\n]/g, ' ');
    });
}
