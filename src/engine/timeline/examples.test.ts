// SPDX-License-Identifier: GPL-2.0-or-later
// The example library under the default profile: every example states, on
// each call, the result the real kernel returned (examples.kernel.test.ts
// checks that on the machine), and the engine modelling mainline Linux 6.18
// must give exactly those results. This runs anywhere; no kernel needed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINUX_6_18 } from '../world/kernel-profile';
import { runScenario } from './run';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../public/scenarios');
const files = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[])
  .map((e) => e.file)
  .filter((f) => f.endsWith('.scn'));

describe('examples under linux-6.18', () => {
  it('has the library', () => {
    expect(files.length).toBeGreaterThanOrEqual(20);
  });

  for (const file of files) {
    it(`${file}: every call gives the result recorded in it`, () => {
      const out = runScenario(readFileSync(join(DIR, file), 'utf8'), file, {
        kernel: LINUX_6_18,
        validate: true,
        trace: false,
      });
      if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
      const stated = out.calls.filter((c) => c.expected !== null);
      expect(stated.length).toBeGreaterThan(0);
      expect(
        out.calls
          .filter((c) => !c.match)
          .map((c) => `${file}:${c.line}: ${c.ret}, recorded ${c.expected}`),
      ).toEqual([]);
    });
  }
});
