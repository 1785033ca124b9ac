// SPDX-License-Identifier: GPL-2.0-or-later
// Every public golden case must replay to the kernel's dumps, line for line.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replayMapleCase } from './replay';

const GOLDEN = resolve(process.cwd(), '../shared/golden/maple');

function caseNames(): string[] {
  if (!existsSync(GOLDEN)) throw new Error(`golden cases not found at ${GOLDEN}`);
  const names = readdirSync(GOLDEN)
    .filter((f) => f.endsWith('.case'))
    .map((f) => f.slice(0, -'.case'.length))
    .sort();
  if (names.length === 0) throw new Error(`no .case files in ${GOLDEN}`);
  return names;
}

describe('golden maple trees (shared/golden/maple)', () => {
  const names = caseNames();

  it('finds the cases', () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(name, () => {
      const text = readFileSync(join(GOLDEN, `${name}.case`), 'utf8');
      const expected = readFileSync(join(GOLDEN, `${name}.expected`), 'utf8').split('\n');
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
