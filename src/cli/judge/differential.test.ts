// SPDX-License-Identifier: GPL-2.0-or-later
// The comparison of engine and kernel runs itself: what counts as a
// difference, refusals on either side, and cutting what the engine refuses.
// Comparisons that run the kernel are in differential.kernel.test.ts; the
// suite that holds the engine to the kernel is kernel-differential.kernel.test.ts.
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import { diffEvents, diffRuns, engineRunnablePart, judgeProcessStart } from './differential';

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

  it('compares events call by call, identities bound across calls, faults left out', () => {
    const alloc = (call: number, id: string): KernelEvent => ({
      kind: 'alloc',
      call,
      cache: 'vm_area_struct',
      id,
      site: 'vm_area_alloc',
    });
    const fault: KernelEvent = { kind: 'fault', call: 1, address: '0x1000', errorCode: 6 };
    const free = (call: number, id: string): KernelEvent => ({
      kind: 'free',
      call,
      cache: 'vm_area_struct',
      id,
      site: 'vms_complete_munmap_vmas',
    });
    const run = (events: KernelEvent[][]) => ({
      results: events.map((e, i) => ({ line: i + 1, call: `c${i}`, ret: '0', events: e })),
      smaps: [],
    });
    const kernel = run([[alloc(0, 'vma1')], [fault, free(1, 'vma1')]]);
    const same = diffEvents(kernel, run([[alloc(0, 'vma7')], [free(1, 'vma7')]]));
    expect(same).toEqual({
      compared: 2,
      differences: 0,
      first: null,
      byKind: {},
      notCompared: { fault: 1 },
      wouldDiffer: { fault: 1 },
    });
    const other = diffEvents(kernel, run([[alloc(0, 'vma7')], [free(1, 'vma8')]]), 'f.scn');
    expect(other.differences).toBe(1);
    expect(other.byKind).toEqual({ 'free vm_area_struct': 1 });
    expect(other.first).toBe('f.scn:2: c1: free #1: id vma8 (model), vma1 (kernel)');
  });

  it("starts the engine from the runner's smaps, with the judge's break", () => {
    const mm = judgeProcessStart([
      '00400000-00401000 r--p 00000000 fe:00 2148660                            /tmp/runner',
      'VmFlags: rd mr mw me ',
      '00405000-0084b000 rw-p 00000000 00:00 0 ',
      'Anonymous:            12 kB',
      'VmFlags: rd wr mr mw me ac ',
    ]);
    expect(mm.map_count).toBe(2);
    expect(mm.brk).toBe(0x200000000000);
    expect(mm.mmap_base).toBe(0x300000000000);
  });
});
