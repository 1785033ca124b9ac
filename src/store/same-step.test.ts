// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { LINUX_6_18, runScenario, timelineMeta, type TimelineMeta } from '../engine';
import { sameStep } from './same-step';

const TEXT = [
  'mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@read(0x200000000000)',
  'mprotect(0x200000000000, 8K, PROT_READ)',
].join('\n');

function outline(text: string, zeroPage: boolean): TimelineMeta {
  const out = runScenario(text, 'scn', { kernel: { ...LINUX_6_18, zeroPage } });
  if (!out.ok) throw new Error('did not run');
  return timelineMeta(out);
}

describe('the same step under another kernel', () => {
  // Without the zero page the read fault takes one more step (__anon_vma_prepare):
  // mainline 0 mm_init | 1-3 mmap | 4-5 @read | 6-8 mprotect;
  // no zero page 0 mm_init | 1-3 mmap | 4-6 @read | 7-9 mprotect.
  const mainline = outline(TEXT, true);
  const noZeroPage = outline(TEXT, false);

  it('keeps the call and the step within it, and a call end at its end', () => {
    expect([
      mainline.calls.map((c) => c.lastStep),
      noZeroPage.calls.map((c) => c.lastStep),
    ]).toEqual([
      [3, 5, 8],
      [3, 6, 9],
    ]);
    expect([0, 1, 2, 3].map((i) => sameStep(mainline, i, noZeroPage))).toEqual([0, 1, 2, 3]);
    // handle_mm_fault is the fault's first step on mainline; @read its end on both.
    expect(sameStep(mainline, 4, noZeroPage)).toBe(4);
    expect(sameStep(mainline, 5, noZeroPage)).toBe(6);
    expect(sameStep(mainline, 6, noZeroPage)).toBe(7);
    expect(sameStep(mainline, 8, noZeroPage)).toBe(9);
    // And back: a step past the shorter call's end stops at its end.
    expect(sameStep(noZeroPage, 5, mainline)).toBe(5);
    expect(sameStep(noZeroPage, 9, mainline)).toBe(8);
  });

  it('keeps the index when the calls are not the same', () => {
    const other = outline(TEXT.split('\n').slice(0, 2).join('\n'), false);
    expect(sameStep(mainline, 7, other)).toBe(7);
    expect(sameStep(mainline, 99, noZeroPage)).toBe(99);
  });
});
