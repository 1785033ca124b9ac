// SPDX-License-Identifier: GPL-2.0-or-later
// madvise()'s advice check (mm/madvise.c: madvise_behavior_valid()).
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../timeline/run';

const A = '0x200000000000';
const UNKNOWN = [5, 6, 7, 26, 101, 104, -1];

describe('madvise_behavior_valid()', () => {
  it('refuses advice this kernel does not know with EINVAL, before the range', () => {
    const out = runScenario(
      [
        `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        ...UNKNOWN.map((b) => `madvise(${A}, 0x1000, ${b})`),
        `madvise(0x200000000001, 0x1000, 5)`,
        `madvise(${A}, 0x1000, 20)`,
        `madvise(${A}, 0x1000, MADV_GUARD_REMOVE)`,
      ].join('\n'),
      'scn',
      { validate: true },
    );
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    expect(out.calls.map((c) => c.ret)).toEqual([
      A,
      ...UNKNOWN.map(() => '-1 EINVAL'),
      '-1 EINVAL',
      '0',
      '0',
    ]);
    const refusals = out.steps.filter((s) => s.fn === 'is_valid_madvise').map((s) => s.message);
    expect(refusals).toEqual([...UNKNOWN, 5].map((b) => `EINVAL: unknown advice ${b}`));
  });
});
