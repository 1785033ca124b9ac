// SPDX-License-Identifier: GPL-2.0-or-later
// The comparison of engine and kernel runs itself: what counts as a
// difference, refusals on either side, and cutting what the engine refuses.
// Comparisons that run the kernel are in differential.kernel.test.ts; the
// suite that holds the engine to the kernel is kernel-differential.kernel.test.ts.
import { describe, expect, it } from 'vitest';
import { diffRuns, engineRunnablePart } from './differential';

describe('comparing engine and kernel', () => {
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

  it('turns the lines the engine refuses into comments', () => {
    const text = 'brk(NULL)\nmunmap(0x200000000000, 0x1000)\n';
    const part = engineRunnablePart(text);
    expect(part.split('\n')).toHaveLength(text.split('\n').length);
    expect(part).toContain('munmap(0x200000000000, 0x1000)');
  });
});
