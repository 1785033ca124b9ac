// SPDX-License-Identifier: GPL-2.0-or-later
// The guided lessons against the real kernel: every call of a lesson states
// the result the kernel returns, and the maps a checkpoint states are the
// kernel's after that call. For a checkpoint's maps, the scenario up to the
// checkpoint's line runs alone in a fresh judge process (the kernel has no
// "state after call N" to ask for); the judge prints its window's VMAs, as
// the engine prints the lesson's, which never maps outside that window.
// (That the engine stops at each checkpoint with the same maps is
// engine/timeline/lessons.test.ts.)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, parseScenario } from '../../engine';
import { parseLesson } from '../../engine/scenario/lesson';
import { judgeScenario } from './judge';

const DIR = join(process.cwd(), 'public', 'lessons');
const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[];

describe('lessons on the real kernel', () => {
  it('has at least six lessons', () => {
    expect(index.length).toBeGreaterThanOrEqual(6);
  });

  for (const { file } of index) {
    it(`${file}: every call states the kernel's result, every maps fact is the kernel's`, async () => {
      const read = parseLesson(readFileSync(join(DIR, file), 'utf8'), file);
      if (!read.ok) throw new Error(read.diagnostics.map(formatDiagnostic).join('\n'));
      const { scenario, checkpoints } = read.lesson;

      const kernel = await judgeScenario(scenario, file);
      if (!kernel.ok) throw new Error(kernel.diagnostics.map(formatDiagnostic).join('\n'));
      const unstated = parseScenario(scenario, file).calls.filter(
        (c) => c.name !== '@note' && c.expect === null,
      );
      expect(unstated.map((c) => `${file}:${c.line}`)).toEqual([]);
      expect(
        kernel.results
          .filter((r) => !r.match)
          .map((r) => `${file}:${r.line}: kernel ${r.ret}, stated ${r.expected}`),
      ).toEqual([]);

      const lines = scenario.split('\n');
      let facts = 0;
      for (const cp of checkpoints) {
        if (cp.maps === null) continue;
        const prefix = await judgeScenario(lines.slice(0, cp.line).join('\n'), file);
        if (!prefix.ok) throw new Error(prefix.diagnostics.map(formatDiagnostic).join('\n'));
        expect(
          prefix.maps.map((l) => l.trimEnd()),
          `${file}:${cp.fileLine}: the kernel's maps after line ${cp.line}`,
        ).toEqual(cp.maps);
        facts++;
      }
      expect(facts).toBeGreaterThan(0);
    });
  }
});
