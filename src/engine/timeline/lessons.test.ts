// SPDX-License-Identifier: GPL-2.0-or-later
// The guided lessons under the default profile: each reads without a
// diagnostic, every call gives the result the lesson states (as the real
// kernel does: lessons.kernel.test.ts), every checkpoint stops at a step of
// the run, in order, and the maps a checkpoint states are the engine's at
// that step. No kernel needed.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../scenario/diagnostic';
import { checkpointStep, parseLesson } from '../scenario/lesson';
import { LINUX_6_18 } from '../world/kernel-profile';
import { mapsLines, runScenario } from './run';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../public/lessons');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as {
  file: string;
  title: string;
}[];

describe('lessons under linux-6.18', () => {
  it('has at least six lessons', () => {
    expect(index.length).toBeGreaterThanOrEqual(6);
  });

  for (const { file, title } of index) {
    it(`${file}: its checkpoints stop at its steps, and its facts are the engine's`, () => {
      const read = parseLesson(readFileSync(join(DIR, file), 'utf8'), file);
      if (!read.ok) throw new Error(read.diagnostics.map(formatDiagnostic).join('\n'));
      const lesson = read.lesson;
      expect(lesson.title).toBe(title);

      const out = runScenario(lesson.scenario, file, { kernel: LINUX_6_18, validate: true });
      if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
      expect(
        out.calls
          .filter((c) => !c.match)
          .map((c) => `${file}:${c.line}: ${c.ret}, stated ${c.expected}`),
      ).toEqual([]);

      const outline = {
        calls: out.calls,
        stepCall: (s: number) => out.steps[s].call,
        stepFn: (s: number) => out.steps[s].fn,
      };
      let previous = -1;
      let facts = 0;
      for (const cp of lesson.checkpoints) {
        const where = `${file}:${cp.fileLine}`;
        const step = checkpointStep(cp, outline);
        expect(step, `${where}: no step`).not.toBeNull();
        expect(step!, `${where}: before the checkpoint ahead of it`).toBeGreaterThan(previous);
        previous = step!;
        if (cp.step !== null) expect(out.steps[step!].fn).toBe(cp.step);
        if (cp.maps === null) continue;
        facts++;
        const shown = mapsLines(out.steps[step!].mm).map((l) => l.trimEnd());
        expect(shown, `${where}: maps`).toEqual(cp.maps);
      }
      expect(facts).toBeGreaterThan(0);
    });
  }
});
