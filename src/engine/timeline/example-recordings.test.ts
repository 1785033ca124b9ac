// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel recordings shipped with the examples (scripts/record-examples.ts)
// are of the examples as they are now: every call of each, in order, with
// its events. An example edited since its recording fails here until it is
// recorded again. And the model, run in the judge's process the recording
// carries, agrees with every call's events (the app marks each confirmed).
// Runs anywhere; no kernel needed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LINUX_6_18 } from '../world/kernel-profile';
import { createEngineSession } from './engine-session';
import { HeldRecording } from './recording-session';
import { runScenario } from './run';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../public/scenarios');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as {
  file: string;
  recording?: string;
}[];

describe('the examples’ kernel recordings', () => {
  for (const { file, recording } of index.filter((e) => e.recording)) {
    it(`the model agrees with every call of ${recording}`, async () => {
      const session = createEngineSession();
      const run = await session.run({
        text: readFileSync(join(DIR, file), 'utf8'),
        kernel: LINUX_6_18,
      });
      expect(run.ok).toBe(true);
      const held = await session.loadRecording(
        readFileSync(join(DIR, recording!), 'utf8'),
        recording!,
      );
      if (!held.ok) throw new Error(held.diagnostics[0].message);
      expect(held.summary).toMatchObject({ different: 0, mismatch: null });
      expect(held.summary.confirmed).toBeGreaterThan(0);
      expect(held.summary.confirmed).toBe(held.summary.calls.filter((c) => c !== null).length);
    });
  }

  it('ships one with every scenario the judge runs, none with an strace log', () => {
    for (const e of index) expect(e.recording !== undefined, e.file).toBe(e.file.endsWith('.scn'));
  });

  for (const { file, recording } of index.filter((e) => e.recording)) {
    it(`${recording} is a recording of ${file}, every call`, () => {
      const out = runScenario(readFileSync(join(DIR, file), 'utf8'), file);
      if (!out.ok) throw new Error(`${file} does not run`);
      const held = HeldRecording.parse(readFileSync(join(DIR, recording!), 'utf8'), recording!);
      if (!(held instanceof HeldRecording)) throw new Error(held.message);
      expect(held.compare(out.calls, out.steps)).toBeNull();
      expect(held.summary(out.calls).covered).toBe(out.calls.length);
      expect(held.recording.release).toMatch(/^6\.18\./);
    });
  }
});
