// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine';
import { generateScenario } from '../../engine/scenario/generate';
import { validateForJudge } from './validate';

/** The `line:column: message` of every refusal. */
function refusals(text: string): string[] {
  const parsed = parseScenario(text, 's');
  expect(parsed.diagnostics).toEqual([]);
  return validateForJudge(parsed.calls, 's').map((d) => `${d.line}:${d.column}: ${d.message}`);
}

describe('validateForJudge', () => {
  it('accepts ranges inside the window, up to its last byte', () => {
    expect(
      refusals(
        [
          'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
          'munmap(0x2ffffffff000, 0x1000)',
          'madvise(0x200000000000, 0, MADV_DONTNEED)',
          'mremap(0x200000000000, 0x1000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, 0x200000100000)',
          '@touch(0x2fffffffffff)',
          'brk(NULL)',
          'brk(0x1000)',
          // A new length the kernel refuses up front (EINVAL), wherever the addresses are.
          'mremap(0x7f0000000000, 0x2000, 0xfffffffffffff000, MREMAP_MAYMOVE)',
          'mremap(0x200000000000, 0x2000, 0xfffffffffffff001, MREMAP_FIXED, 0x400000)',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('refuses a fixed mapping, a range or a move that reaches outside the window', () => {
    expect(
      refusals(
        [
          'mmap(0x2ffffffff000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
          'mprotect(0x1000, 0x1000, PROT_READ)',
          'mremap(0x2ffffffff000, 0x1000, 0x2000, 0)',
          'mremap(0x200000000000, 0x1000, 0x1000, MREMAP_MAYMOVE|MREMAP_FIXED, 0x400000)',
          'munmap(0x200000000000, -1)',
          '@read(0x300000000000)',
          'brk(0x300000001000)',
        ].join('\n'),
      ),
    ).toEqual([
      "1:6: mmap range 0x2ffffffff000-0x300000001000 reaches outside the judge's window 0x200000000000-0x300000000000",
      "2:10: mprotect range 0x1000-0x2000 reaches outside the judge's window 0x200000000000-0x300000000000",
      "3:8: mremap (old address and the larger length) range 0x2ffffffff000-0x300000001000 reaches outside the judge's window 0x200000000000-0x300000000000",
      "4:69: mremap new range 0x400000-0x401000 reaches outside the judge's window 0x200000000000-0x300000000000",
      "5:8: munmap range 0x200000000000-0x100001fffffffffff reaches outside the judge's window 0x200000000000-0x300000000000",
      "6:7: @read range 0x300000000000-0x300000000001 reaches outside the judge's window 0x200000000000-0x300000000000",
      "7:5: brk 0x300000001000 is beyond the end of the judge's window 0x200000000000-0x300000000000",
    ]);
  });

  it('runs mmap without MAP_FIXED, but only with a hint inside the window', () => {
    expect(
      refusals(
        [
          'mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
          'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
          'mmap(0x7f0000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
          'mmap(0x2fffffffefff, 0x1001, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
          'mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT, -1, 0)',
          'mmap(NULL, 0x100000000000, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
        ].join('\n'),
      ),
    ).toEqual([
      "3:6: mmap hint range 0x7f0000000000-0x7f0000001000 reaches outside the judge's window 0x200000000000-0x300000000000",
      // The kernel rounds the hint up to 0x2ffffffff000 and the length up to two pages.
      "4:6: mmap hint range 0x2fffffffefff-0x300000001000 reaches outside the judge's window 0x200000000000-0x300000000000",
      "5:31: MAP_32BIT without MAP_FIXED maps outside the judge's window 0x200000000000-0x300000000000",
    ]);
  });

  it('caps calls that fill memory and refuses the dangerous ones', () => {
    expect(
      refusals(
        [
          'mmap(0x200000000000, 1G, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_POPULATE, -1, 0)',
          'mmap(0x200000000000, 1G, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
          '@touch(0x200000000000, 1G)',
          'mlockall(MCL_CURRENT)',
          'mlockall(MCL_CURRENT|MCL_ONFAULT)',
          'madvise(0x200000000000, 0x1000, MADV_HWPOISON)',
          'prctl(0x59616d61, 0, 0x200000000000, 0x1000, "x")',
        ].join('\n'),
      ),
    ).toEqual([
      "1:22: mmap would fill 0x40000000 bytes; the judge's limit is 0x10000000",
      "3:24: @touch would fill 0x40000000 bytes; the judge's limit is 0x10000000",
      "4:10: mlockall could fill up to 0x80000000 bytes of this scenario's mappings; the judge's limit is 0x10000000",
      '6:33: the judge does not run MADV_HWPOISON: it would damage this machine',
      '7:7: the judge runs prctl only as PR_SET_VMA',
    ]);
  });

  it("refuses a strace log's execve", () => {
    const log = [
      '100 execve("/bin/true", ["true"], 0x7ffc /* 1 var */) = 0',
      '100 brk(NULL) = 0x555555559000',
    ].join('\n');
    const parsed = parseScenario(log, 's');
    expect(parsed.calls.map((c) => c.name)).toEqual(['execve', 'brk']);
    expect(
      validateForJudge(parsed.calls, 's').map((d) => `${d.line}:${d.column}: ${d.message}`),
    ).toEqual(['1:5: the judge does not run execve: it would replace or end the runner']);
  });

  it('accepts every generated scenario (200 seeds)', () => {
    for (let seed = 0; seed < 200; seed++) {
      expect(refusals(generateScenario(seed, 60)), `seed ${seed}`).toEqual([]);
    }
  });
});
