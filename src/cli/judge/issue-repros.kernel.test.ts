// SPDX-License-Identifier: GPL-2.0-or-later
// Scenarios written outside the project that once found the engine wrong:
// each must now give exactly what the kernel answers, with the engine
// modelling the host profile (results and smaps alike).
import { describe, expect, it } from 'vitest';
import { compareWithEngine } from './differential';
import { judgeScenario } from './judge';

const A = '0x200000000000';
const OPEN = 'openat(AT_FDCWD, "/data/f", O_RDWR) = 3';

const REPROS: Record<string, string[]> = {
  'a read fault then mprotect(PROT_READ) (the zero page)': [
    `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    `@read(${A})`,
    `mprotect(${A}, 0x2000, PROT_READ)`,
  ],
  'MAP_SHARED_VALIDATE with a MAP_HUGE_* size bit': [
    OPEN,
    `mmap(${A}, 0x1000, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|0x40000000, 3, 0)`,
  ],
  'MAP_SHARED_VALIDATE with 0x40 and 0x80': [
    OPEN,
    `mmap(${A}, 0x1000, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|0x40, 3, 0)`,
    `mmap(0x200000001000, 0x1000, PROT_READ, MAP_SHARED_VALIDATE|MAP_FIXED|0x80, 3, 0)`,
  ],
  'a file offset near 2^63 (file_mmap_ok())': [
    OPEN,
    `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x7ffffffffffff000)`,
  ],
  'a legal offset of 2^62 prints and stays contiguous': [
    OPEN,
    `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x4000000000000000)`,
    `mmap(0x200000001000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x4000000000001000)`,
  ],
  'pkey_mprotect with key 0': [
    `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    `pkey_mprotect(${A}, 0x1000, PROT_READ, 0)`,
  ],
  'mremap to a length above the task size': [
    `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    `mremap(${A}, 0x2000, 0xfffffffffffff000, MREMAP_MAYMOVE)`,
  ],
  'an O_PATH descriptor cannot be mapped': [
    'openat(AT_FDCWD, "/data/f", O_RDONLY|O_PATH) = 3',
    `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0)`,
  ],
  'ftruncate, then a touch past the new end': [
    OPEN,
    `mmap(${A}, 0x4000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0)`,
    'ftruncate(3, 0x1800)',
    `@touch(0x200000001000)`,
    `@touch(0x200000002000)`,
  ],
};

describe('scenarios written outside the project, on the kernel and the engine', () => {
  for (const [what, lines] of Object.entries(REPROS)) {
    it(what, async () => {
      const text = lines.join('\n');
      const kernel = await judgeScenario(text, 'repro.scn');
      expect(kernel.ok).toBe(true);
      const report = await compareWithEngine(text, 'repro.scn');
      expect(report).toMatchObject({ status: 'compared', differences: 0 });
    });
  }

  it('a number past 64 bits is a diagnostic with its line and column, on both sides', async () => {
    const text = `munmap(99999999999999999999999999, 0x1000)`;
    const kernel = await judgeScenario(text, 'big.scn');
    expect(kernel.ok).toBe(false);
    if (!kernel.ok) {
      expect(kernel.diagnostics[0]).toMatchObject({
        line: 1,
        column: 8,
        message: 'number 99999999999999999999999999 does not fit in 64 bits',
      });
    }
    const model = await compareWithEngine(text, 'big.scn');
    expect(model.status).toBe('judge-refused');
  });
});
