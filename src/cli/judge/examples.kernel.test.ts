// SPDX-License-Identifier: GPL-2.0-or-later
// The example library against the real kernel: every result an example
// states must be what the kernel returns, and every call states one. (That
// the engine runs each example as the kernel does is kernel-differential.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine';
import { judgeScenario } from './judge';

const DIR = join(process.cwd(), 'public', 'scenarios');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[];
// Hand-written scenarios run in the judge's window; the strace log of a real
// program ran at its own addresses, and its results are the kernel's own.
const scenarios = index.map((e) => e.file).filter((f) => f.endsWith('.scn'));

describe('example scenarios on the real kernel', () => {
  it('has a library of at least 20', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of scenarios) {
    it(`${file}: every call states the result the kernel returns`, async () => {
      const text = readFileSync(join(DIR, file), 'utf8');
      const kernel = await judgeScenario(text, file);
      if (!kernel.ok) throw new Error(JSON.stringify(kernel.diagnostics));
      const calls = parseScenario(text, file).calls;
      const unstated = calls.filter((c) => c.name !== '@note' && c.expect === null);
      expect(unstated.map((c) => `${file}:${c.line}`)).toEqual([]);
      const misses = kernel.results.filter((r) => !r.match);
      expect(misses.map((r) => `${file}:${r.line}: kernel ${r.ret}, stated ${r.expected}`)).toEqual(
        [],
      );
    });
  }
});
