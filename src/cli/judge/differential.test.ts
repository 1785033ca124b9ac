// SPDX-License-Identifier: GPL-2.0-or-later
// The engine against the real kernel. While the engine is incomplete this
// REPORTS differences (a count and the first one per scenario) and fails only
// when the comparison itself breaks; a later issue makes differences fail.
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../engine/scenario/generate';
import {
  compareWithEngine,
  diffRuns,
  engineRunnablePart,
  type DiffReport,
  type EngineRun,
} from './differential';

const SCENARIOS = 50;
const CALLS = 40;

function summarise(label: string, reports: DiffReport[]): void {
  const count = (s: DiffReport['status']): number => reports.filter((r) => r.status === s).length;
  const differing = reports.filter((r) => r.differences > 0);
  const lines = [
    `${label}: ${reports.length} scenarios, engine ran ${count('compared')}, ` +
      `could not run ${count('engine-cannot-run')}, judge refused ${count('judge-refused')}; ` +
      `${differing.length} differ`,
    ...reports.flatMap((r, seed) =>
      r.differences > 0 ? [`  seed ${seed}: ${r.differences} differences, first: ${r.first}`] : [],
    ),
  ];
  console.log(lines.join('\n'));
}

describe('engine against the kernel', () => {
  it('agrees with the kernel on a merge the thin engine models', async () => {
    const report = await compareWithEngine(
      [
        'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
        'mmap(0x200000004000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
        'munmap(0x200000002000, 0x1000)',
      ].join('\n'),
    );
    expect(report).toEqual({ status: 'compared', differences: 0, first: null, reason: null });
  });

  it('counts results and smaps lines that differ and describes the first', () => {
    const kernel = {
      results: [
        { line: 1, call: 'mmap(...)', ret: '0x200000000000' },
        { line: 2, call: 'munmap(...)', ret: '-1 EINVAL' },
      ],
      smaps: ['A ', 'VmFlags: rd ', 'B ', 'VmFlags: rd wr '],
    };
    expect(diffRuns(kernel, kernel)).toEqual({ differences: 0, first: null });
    const engine = {
      results: [kernel.results[0], { ...kernel.results[1], ret: '0' }],
      smaps: ['A ', 'VmFlags: rd '],
    };
    expect(diffRuns(kernel, engine, 'x.scn')).toEqual({
      differences: 3,
      first: 'x.scn:2: munmap(...): kernel -1 EINVAL, engine 0',
    });
    expect(diffRuns(kernel, { results: kernel.results, smaps: ['A '] }).first).toBe(
      "smaps line 2: kernel 'VmFlags: rd ', engine nothing",
    );
  });

  it('counts a scenario the engine cannot run yet, instead of failing', async () => {
    const refuse: EngineRun = (_text, file) => ({
      diagnostics: [{ file, line: 1, column: 1, message: 'brk is not modelled yet', text: 'brk' }],
    });
    expect(await compareWithEngine('brk(NULL)', 'b.scn', refuse)).toEqual({
      status: 'engine-cannot-run',
      differences: 0,
      first: null,
      reason: 'b.scn:1:1: brk is not modelled yet',
    });
    expect(await compareWithEngine('munmap(0x1000, 1)', 'c.scn', refuse)).toMatchObject({
      status: 'judge-refused',
      reason: expect.stringMatching(/^c\.scn:1:8: munmap range/),
    });
  });

  it('turns the lines the engine refuses into comments', () => {
    const text = 'brk(NULL)\nmunmap(0x200000000000, 0x1000)\n';
    const part = engineRunnablePart(text);
    expect(part.split('\n')).toHaveLength(text.split('\n').length);
    expect(part).toContain('munmap(0x200000000000, 0x1000)');
  });

  it(`reports differences over ${SCENARIOS} generated scenarios`, async () => {
    const whole: DiffReport[] = [];
    const runnable: DiffReport[] = [];
    for (let seed = 0; seed < SCENARIOS; seed++) {
      const text = generateScenario(seed, CALLS);
      whole.push(await compareWithEngine(text, `seed${seed}`));
      runnable.push(
        await compareWithEngine(engineRunnablePart(text, `seed${seed}`), `seed${seed}`),
      );
    }
    summarise('generated scenarios', whole);
    summarise('the part of each the engine models', runnable);
    for (const r of [...whole, ...runnable]) {
      expect(r.status).not.toBe('judge-refused');
      expect(r.first === null).toBe(r.differences === 0);
    }
    // Cutting what the engine refuses always leaves something it runs.
    expect(runnable.every((r) => r.status === 'compared')).toBe(true);
  });
});
