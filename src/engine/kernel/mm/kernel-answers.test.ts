// SPDX-License-Identifier: GPL-2.0-or-later
// Calls whose answer the engine once got wrong, with the answer Linux 6.18
// gives on the judge's machine (src/cli/judge/kernel-answers.test.ts runs the
// same calls there). The validators run after every call.
import { describe, expect, it } from 'vitest';
import { mapsLines, runScenario, type RunOutput } from '../../timeline/run';

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
const OPEN_RW = 'openat(AT_FDCWD, "/data/a", O_RDWR)';
const fileMap = (page: number, flags: string, offset: string, pages = 1): string =>
  `mmap(${at(page)}, ${pages * 0x1000}, PROT_READ, ${flags}, 3, ${offset})`;
const path = (line: string): string => (line + ' ').padEnd(72, ' ') + ' /data/a';

describe('mmap flags (include/linux/mman.h: LEGACY_MAP_MASK)', () => {
  it('takes the MAP_HUGE_* bits, MAP_32BIT and MAP_ABOVE4G with MAP_SHARED_VALIDATE', () => {
    const out = run([
      OPEN_RW,
      fileMap(0, 'MAP_SHARED_VALIDATE|MAP_FIXED|0x40000000', '0'),
      fileMap(1, 'MAP_SHARED_VALIDATE|MAP_FIXED|MAP_32BIT', '0x1000'),
      fileMap(2, 'MAP_SHARED_VALIDATE|MAP_FIXED|MAP_ABOVE4G', '0x2000'),
      fileMap(3, 'MAP_SHARED_VALIDATE|MAP_FIXED|0x80000000', '0x3000'),
      fileMap(3, 'MAP_SHARED_VALIDATE|MAP_FIXED|0x100000000', '0x3000'),
      fileMap(3, 'MAP_SHARED|MAP_FIXED|0x8000000000000000', '0x3000'),
    ]);
    expect(rets(out)).toEqual([
      '3',
      '0x200000000000',
      '0x200000001000',
      '0x200000002000',
      '-1 EOPNOTSUPP',
      '-1 EOPNOTSUPP',
      '0x200000003000',
    ]);
    expect(mapsLines(last(out))).toEqual([path('200000000000-200000004000 r--s 00000000 00:00 0')]);
  });

  it('runs MAP_32BIT with MAP_FIXED and refuses it without, as not modelled', () => {
    const anon = 'MAP_PRIVATE|MAP_ANONYMOUS';
    const out = run([
      `mmap(${at(0)}, 0x1000, PROT_READ, ${anon}|MAP_FIXED|MAP_32BIT, -1, 0)`,
      `mmap(${at(1)}, 0x1000, PROT_READ, ${anon}|MAP_FIXED_NOREPLACE|MAP_32BIT, -1, 0)`,
      `mmap(NULL, 0x1000, PROT_READ, ${anon}|MAP_ABOVE4G, -1, 0)`,
    ]);
    expect(rets(out)).toEqual(['0x200000000000', '0x200000001000', '0x2ffffffff000']);
    const refused = runScenario(`mmap(NULL, 0x1000, PROT_READ, ${anon}|MAP_32BIT, -1, 0)`);
    expect(refused.ok ? [] : refused.diagnostics.map((d) => [d.column, d.message])).toEqual([
      [
        31,
        'MAP_32BIT without MAP_FIXED is not modelled: the kernel searches bottom-up below 2 GiB',
      ],
    ]);
  });
});

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

describe('mremap parameters (mm/mremap.c: check_mremap_params())', () => {
  it('refuses a new length above TASK_SIZE with EINVAL before anything else', () => {
    const out = run([
      `mmap(${at(0)}, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `mremap(${at(0)}, 0x2000, 0xfffffffffffff000, MREMAP_MAYMOVE)`,
      `mremap(${at(0)}, 0x2000, 0x800000000000, 0)`,
      `mremap(${at(128)}, 0x1000, 0x7ffffffff001, MREMAP_MAYMOVE)`,
      // Within TASK_SIZE the length passes and the move finds no room.
      `mremap(${at(0)}, 0x2000, 0x7ffffffff000, MREMAP_MAYMOVE)`,
      // Without MREMAP_FIXED or MREMAP_DONTUNMAP the new address is not looked at.
      `mremap(${at(2)}, 0x1000, 0x1000, MREMAP_MAYMOVE, 0xfffffffffffff000)`,
      `mremap(${at(2)}, 0x1000, 0x1000, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, 0xfffffffffffff000)`,
    ]);
    expect(rets(out)).toEqual([
      '0x200000000000',
      '-1 EINVAL',
      '-1 EINVAL',
      '-1 EINVAL',
      '-1 ENOMEM',
      '0x200000002000',
      '-1 EINVAL',
    ]);
  });

  it('page-aligns an old length in 64 bits: 2^64 - 1 is 0, a duplicate of shared memory', () => {
    const out = run([
      `mmap(${at(0)}, 0x2000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `mremap(${at(0)}, 0xffffffffffffffff, 0x1000, MREMAP_MAYMOVE)`,
    ]);
    expect(rets(out)).toEqual(['0x200000000000', '0x2ffffffff000']);
    expect(mapsLines(last(out))).toHaveLength(2);
  });
});

describe('descriptors (fs/file.c: fget(), fs/open.c: OPEN_FMODE())', () => {
  it('cannot map an O_PATH descriptor (EBADF), closes it, and maps nothing with access mode 3', () => {
    const out = run([
      'openat(AT_FDCWD, "/data/a", O_RDWR|O_PATH)',
      'openat(AT_FDCWD, "/data/a", O_WRONLY|O_RDWR)',
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED', '0'),
      `mmap(${at(0)}, 0, PROT_READ, MAP_SHARED|MAP_FIXED, 3, 0)`,
      fileMap(0, 'MAP_PRIVATE|MAP_FIXED', '0').replace(', 3, ', ', 4, '),
      'close(3)',
      'close(3)',
    ]);
    expect(rets(out)).toEqual(['3', '4', '-1 EBADF', '-1 EBADF', '-1 EACCES', '0', '-1 EBADF']);
  });
});

describe('ftruncate (fs/open.c: do_sys_ftruncate())', () => {
  const A_RW = 'openat(AT_FDCWD, "/data/a", O_RDWR)';

  it('sets the size of the file, which every open of its path sees', () => {
    const out = run([
      A_RW,
      OPEN_RO,
      `mmap(${at(0)}, 0x4000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0)`,
      `mmap(${at(16)}, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED, 4, 0)`,
      `@touch(${at(16)}, 0x4000)`,
      'ftruncate(3, 0x1800)',
      `@touch(${at(1)})`,
      `@touch(${at(2)})`,
      `@read(${at(18)})`,
      `@touch(${at(19)})`,
      'ftruncate(3, 0x20000)',
      `@touch(${at(0)}, 0x4000)`,
      `@read(${at(16)}, 0x4000)`,
    ]);
    expect(rets(out).slice(5)).toEqual(['0', '0', 'SIGBUS', 'SIGBUS', 'SIGBUS', '0', '0', '0']);
  });

  it('answers EINVAL, EBADF and EFBIG in the order of 6.18', () => {
    const out = run([
      A_RW,
      OPEN_RO,
      'openat(AT_FDCWD, "/data/a", O_RDWR|O_PATH)',
      'ftruncate(4, 0)',
      'ftruncate(5, 0)',
      'ftruncate(9, 0)',
      'ftruncate(9, -1)',
      'ftruncate(3, 0xffffffff000)',
      'ftruncate(3, 0xffffffff001)',
    ]);
    expect(rets(out).slice(3)).toEqual([
      '-1 EINVAL',
      '-1 EBADF',
      '-1 EBADF',
      '-1 EINVAL',
      '0',
      '-1 EFBIG',
    ]);
  });

  it('keeps only sizes that differ from the first 64 KiB, and an open copies nothing', () => {
    const opens = Array.from({ length: 50 }, () => A_RW);
    const out = run([...opens, 'ftruncate(3, 0x2000)', 'ftruncate(4, 0x10000)']);
    const sizes = out.steps.map((s) => s.mm.fileSizes);
    expect(new Set(sizes.slice(0, out.calls[49].lastStep + 1)).size).toBe(1);
    expect([...sizes[out.calls[50].lastStep]]).toEqual([['/data/a', 0x2000]]);
    expect(last(out).fileSizes.size).toBe(0);
  });
});

describe('flag words above 32 bits', () => {
  it('refuses them where the parameter is an unsigned long, ignores them where it is an int', () => {
    const out = run([
      `mmap(${at(0)}, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `mremap(${at(0)}, 0x1000, 0x1000, 0x100000000)`,
      `mprotect(${at(0)}, 0x1000, 0x100000001)`,
      `pkey_mprotect(${at(0)}, 0x1000, 0x100000001, -1)`,
      `mlock2(${at(0)}, 0x1000, 0x100000000)`,
    ]);
    expect(rets(out).slice(1)).toEqual(['-1 EINVAL', '-1 EINVAL', '-1 EINVAL', '0']);
  });
});
