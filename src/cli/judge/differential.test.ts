// SPDX-License-Identifier: GPL-2.0-or-later
// The comparison of engine and kernel runs itself: what counts as a
// difference, refusals on either side, and cutting what the engine refuses.
// The suite that holds the engine to the kernel is kernel-differential.test.ts.
import { describe, expect, it } from 'vitest';
import { compareWithEngine, diffRuns, engineRunnablePart, type EngineRun } from './differential';

describe('comparing engine and kernel', () => {
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
});
