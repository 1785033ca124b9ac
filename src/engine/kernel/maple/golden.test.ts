// SPDX-License-Identifier: GPL-2.0-or-later
// Every public golden case must replay to the kernel's dumps, line for line.
import { describe, expect, it } from 'vitest';
import { goldenCaseNames, readGolden } from './golden/golden.fixture';
import { replayMapleCase } from './replay';

describe('golden maple trees (golden/, copied from shared/golden/maple)', () => {
  const names = goldenCaseNames();

  it('finds the cases', () => {
    expect(names.length).toBe(64);
  });

  for (const name of names) {
    it(name, () => {
      const text = readGolden(name, 'case');
      const expected = readGolden(name, 'expected').split('\n');
      if (expected[expected.length - 1] === '') expected.pop();
      const result = replayMapleCase(text, { validate: text.length < 20_000 });
      if (!result.ok)
        throw new Error(`${name}: line ${result.error.line}: ${result.error.message}`);
      const got = result.lines;
      for (let i = 0; i < Math.min(got.length, expected.length); i++) {
        if (got[i] !== expected[i]) {
          const op = /^\{"op":(\d+)/.exec(expected[i])?.[1];
          expect.fail(
            `${name}: first mismatch at dump ${i + 1} (op ${op})\n got: ${got[i]}\nwant: ${expected[i]}`,
          );
        }
      }
      expect(got.length).toBe(expected.length);
    });
  }
});
