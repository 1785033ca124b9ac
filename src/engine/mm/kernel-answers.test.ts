// SPDX-License-Identifier: GPL-2.0-or-later
// Calls whose answer the engine once got wrong, with the answer Linux 6.18
// gives on the judge's machine (src/cli/judge/kernel-answers.test.ts runs the
// same calls there). The validators run after every call.
import { describe, expect, it } from 'vitest';
import { mapsLines, runScenario, type RunOutput } from '../run';

type Ran = Extract<RunOutput, { ok: true }>;
const A = 0x200000000000;
const at = (pages: number): string => '0x' + (A + pages * 0x1000).toString(16);

function run(lines: string[]): Ran {
  const out = runScenario(lines.join('\n'), 'scn', { validate: true });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}
const last = (out: Ran) => out.steps[out.steps.length - 1].mm;
const rets = (out: Ran) => out.calls.map((c) => c.ret);
const OPEN_RO = 'openat(AT_FDCWD, "/data/a", O_RDONLY)';
const fileMap = (page: number, flags: string, offset: string, pages = 1): string =>
  `mmap(${at(page)}, ${pages * 0x1000}, PROT_READ, ${flags}, 3, ${offset})`;
const path = (line: string): string => (line + ' ').padEnd(72, ' ') + ' /data/a';

describe('file offsets near 2^63 (include/linux/fs.h: file_mmap_ok())', () => {
  it('refuses a range that ends past MAX_LFS_FILESIZE with EOVERFLOW, after EEXIST', () => {
    const out = run([
      OPEN_RO,
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED', '0x7ffffffffffff000'),
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED', '0x7fffffffffffe000'),
      fileMap(4, 'MAP_PRIVATE|MAP_FIXED', '0x7fffffffffffe000', 2),
      fileMap(4, 'MAP_SHARED|MAP_FIXED', '0x8000000000000000'),
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED_NOREPLACE', '0x7ffffffffffff000'),
      `mmap(${at(8)}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0xfffffffffffff000)`,
    ]);
    expect(rets(out)).toEqual([
      '3',
      '-1 EOVERFLOW',
      '0x200000000000',
      '-1 EOVERFLOW',
      '-1 EOVERFLOW',
      '-1 EEXIST',
      '0x200000008000',
    ]);
  });

  it('prints a large offset exactly and merges contiguous pgoffs above 2^52', () => {
    const out = run([
      OPEN_RO,
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED', '0x4000000000000000'),
      fileMap(1, 'MAP_PRIVATE|MAP_FIXED', '0x4000000000001000'),
      fileMap(3, 'MAP_PRIVATE|MAP_FIXED', '0x7fffffffffffe000'),
    ]);
    expect(mapsLines(last(out))).toEqual([
      path('200000000000-200000002000 r--p 4000000000000000 00:00 0'),
      path('200000003000-200000004000 r--p 7fffffffffffe000 00:00 0'),
    ]);
  });
});
