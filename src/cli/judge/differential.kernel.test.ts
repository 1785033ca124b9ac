// SPDX-License-Identifier: GPL-2.0-or-later
// The comparison of engine and kernel, run on the kernel: agreement,
// refusals on either side, and naming the probed setting of the host
// profile that a difference points at.
import { afterAll, describe, expect, it } from 'vitest';
import { compareWithEngine, runEngine, type EngineRun } from './differential';
import { closeSharedTrace } from './tracefs';

// A vitest worker ends without an exit event: the instance is removed here.
afterAll(closeSharedTrace);

const READ_THEN_PROTECT = [
  'mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@read(0x200000000000)',
  'mprotect(0x200000000000, 0x2000, PROT_READ)',
].join('\n');

describe('comparing engine and kernel', () => {
  it('agrees with the kernel on a merge the thin engine models', async () => {
    const report = await compareWithEngine(
      [
        'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
        'mmap(0x200000004000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
        'munmap(0x200000002000, 0x1000)',
      ].join('\n'),
    );
    expect(report).toEqual({
      status: 'compared',
      differences: 0,
      first: null,
      reason: null,
      suspect: null,
    });
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
      suspect: null,
    });
    expect(await compareWithEngine('munmap(0x1000, 1)', 'c.scn', refuse)).toMatchObject({
      status: 'judge-refused',
      reason: expect.stringMatching(/^c\.scn:1:8: munmap range/),
    });
  });

  it('names the probed setting when another value of it would agree', async () => {
    // An engine that models the opposite of what the machine does with the
    // zero page: the comparison must point at the zero-page probe.
    const flipped: EngineRun = (text, file, k) =>
      runEngine(text, file, k && { ...k, zeroPage: !k.zeroPage });
    const report = await compareWithEngine(READ_THEN_PROTECT, 'z.scn', flipped);
    expect(report.differences).toBeGreaterThan(0);
    expect(report.suspect).toMatch(
      /^the engine agrees with the kernel if zeroPage were (true|false); the host probe found (true|false) \(mapped 2 private anonymous pages/,
    );
  });
});
