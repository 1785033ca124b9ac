// SPDX-License-Identifier: GPL-2.0-or-later
// Each setting of the kernel profile changes what the engine does exactly
// where the kernel's does, and profile documents are read strictly.
import { describe, expect, it } from 'vitest';
import {
  LINUX_6_18,
  kernelProfileJson,
  parseKernelProfile,
  profileDifferences,
  type KernelProfile,
} from './kernel-profile';
import { loadProcMaps } from '../timeline/load-proc-maps';
import { mapsLines, runScenario, smapsLines } from '../timeline/run';

const A = '0x200000000000';
const ANON_RW = `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function run(lines: string[], kernel: KernelProfile): { rets: string[]; smaps: string[] } {
  const out = runScenario(lines.join('\n'), 'p.scn', { kernel, validate: true });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const mm = out.steps[out.steps.length - 1].mm;
  return { rets: out.calls.map((c) => c.ret), smaps: smapsLines(mm) };
}

const noZeroPage: KernelProfile = { ...LINUX_6_18, name: 'pvm', zeroPage: false };

describe('the zero page', () => {
  const readThenProtect = [ANON_RW, `@read(${A})`, `mprotect(${A}, 0x2000, PROT_READ)`];

  it('mainline: a read maps the zero page, so mprotect(PROT_READ) gives the charge back', () => {
    expect(run(readThenProtect, LINUX_6_18).smaps[1]).toBe('VmFlags: rd mr mw me ');
  });

  it('without it a read allocates a page and an anon_vma, so ac stays', () => {
    expect(run(readThenProtect, noZeroPage).smaps[1]).toBe('VmFlags: rd mr mw me ac ');
  });

  it('without it two read-faulted neighbours no longer merge', () => {
    const lines = [
      `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `mmap(0x200000001000, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `@read(${A})`,
      `@read(0x200000001000)`,
      `mprotect(0x200000001000, 0x1000, PROT_READ)`,
    ];
    expect(run(lines, LINUX_6_18).smaps).toHaveLength(2);
    expect(run(lines, noZeroPage).smaps).toHaveLength(4);
  });

  it('a read of a file mapping or shared memory never attaches an anon_vma', () => {
    const lines = [
      `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `@read(${A})`,
      `mprotect(${A}, 0x2000, PROT_READ)`,
      `mprotect(${A}, 0x2000, PROT_READ|PROT_WRITE)`,
    ];
    expect(run(lines, noZeroPage).smaps).toEqual(run(lines, LINUX_6_18).smaps);
  });

  it('mlock of read-only private memory populates with read faults: an anon_vma only without it', () => {
    const lines = [
      `mmap(${A}, 0x2000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `mlock(${A}, 0x2000)`,
      `munlock(${A}, 0x2000)`,
      `mmap(0x200000002000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `@touch(0x200000002000)`,
    ];
    // The touch is refused (read-only); the new VMA merges only with an untouched neighbour.
    expect(run(lines, LINUX_6_18).smaps).toHaveLength(2);
    expect(run(lines, noZeroPage).smaps).toHaveLength(2);
  });
});

describe('transparent huge pages', () => {
  const lines = [
    `mmap(${A}, 0x400000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    `@read(0x200000200000)`,
    `mprotect(${A}, 0x400000, PROT_READ)`,
  ];
  it('a read of a whole aligned 2 MiB block prepares an anon_vma where THP applies', () => {
    expect(run(lines, { ...LINUX_6_18, thp: 'always' }).smaps[1]).toMatch(/ ac /);
    expect(run(lines, { ...LINUX_6_18, thp: 'madvise' }).smaps[1]).not.toMatch(/ ac /);
    expect(run(lines, { ...LINUX_6_18, thp: 'never' }).smaps[1]).not.toMatch(/ ac /);
    const advised = [lines[0], `madvise(${A}, 0x400000, MADV_HUGEPAGE)`, ...lines.slice(1)];
    expect(run(advised, { ...LINUX_6_18, thp: 'madvise' }).smaps[1]).toMatch(/ ac /);
  });

  it('not where no whole aligned block lies inside the VMA', () => {
    const small = [
      `mmap(0x200000001000, 0x3ff000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      `@read(0x200000001000)`,
      `mprotect(0x200000001000, 0x3ff000, PROT_READ)`,
    ];
    expect(run(small, { ...LINUX_6_18, thp: 'always' }).smaps[1]).not.toMatch(/ ac /);
  });
});

describe('protection keys', () => {
  const withPku: KernelProfile = { ...LINUX_6_18, pku: true };
  it('without them key 0 is not allocated: pkey_mprotect is EINVAL, PROT_EXEC stays readable', () => {
    const r = run(
      [
        ANON_RW,
        `pkey_mprotect(${A}, 0x1000, PROT_READ, 0)`,
        `mprotect(${A}, 0x1000, PROT_EXEC)`,
        `@read(${A})`,
      ],
      LINUX_6_18,
    );
    expect(r.rets.slice(1)).toEqual(['-1 EINVAL', '0', '0']);
  });

  it('with them key 0 is fine, PROT_EXEC alone takes the execute-only key and reads fault', () => {
    const r = run(
      [
        ANON_RW,
        `pkey_mprotect(${A}, 0x1000, PROT_READ, 0)`,
        `mprotect(${A}, 0x1000, PROT_EXEC)`,
        `@read(${A})`,
        `pkey_mprotect(${A}, 0x1000, PROT_READ, 2)`,
        `pkey_mprotect(${A}, 0x1000, PROT_READ, 1)`,
      ],
      withPku,
    );
    expect(r.rets.slice(1)).toEqual(['0', '0', 'SIGSEGV', '-1 EINVAL', '0']);
  });
});

describe('overcommit', () => {
  const GiB = 0x40000000;
  const big = '0x' + (64 * GiB).toString(16);
  const lines = [
    `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
    `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)`,
    `mmap(NULL, ${big}, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS, -1, 0)`,
  ];
  it('mode 0 refuses a single charge above RAM plus swap', () => {
    const r = run(lines, LINUX_6_18);
    expect(r.rets[0]).toBe('-1 ENOMEM');
    expect(r.rets[1]).toMatch(/^0x/);
    expect(r.rets[2]).toBe('-1 ENOMEM');
  });

  it('fork charges each accounted VMA again: one larger than RAM plus swap fails it', () => {
    const half = '0x' + (20 * GiB).toString(16);
    const r = run(
      [
        `mmap(${A}, ${half}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `mmap(0x200500000000, ${half}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        '@fork()',
      ],
      LINUX_6_18,
    );
    expect(r.rets[2]).toBe('-1 ENOMEM');
    expect(r.smaps).toHaveLength(2);
  });

  it('mode 2: fork adds up the charges of every VMA it copies', () => {
    const never: KernelProfile = {
      ...LINUX_6_18,
      overcommit: { ...LINUX_6_18.overcommit, memory: 2, ramPages: 0x1000, ratio: 50 },
    };
    // Two accounted VMAs of 2.5 MiB fit the limit (8 MiB less the user
    // reserve); the copy of the first fits beside them, the second does not.
    const r = run(
      [
        `mmap(${A}, 0x280000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        `mmap(0x200000400000, 0x280000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        '@fork()',
        `munmap(${A}, 0x200000)`,
        '@fork()',
      ],
      never,
    );
    expect(r.rets.slice(2)).toEqual(['-1 ENOMEM', '0', '0']);
  });

  it('mode 1 never refuses', () => {
    const always = { ...LINUX_6_18, overcommit: { ...LINUX_6_18.overcommit, memory: 1 as const } };
    expect(run(lines, always).rets.every((r) => r.startsWith('0x'))).toBe(true);
  });

  it('mode 2 weighs everything committed against the limit and ignores MAP_NORESERVE', () => {
    const never: KernelProfile = {
      ...LINUX_6_18,
      overcommit: { ...LINUX_6_18.overcommit, memory: 2, ramPages: 0x1000, ratio: 50 },
    };
    // Commit limit 2048 pages (8 MiB), less the user reserve for a small process.
    const r = run(
      [
        `mmap(NULL, 0x400000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`,
        `mmap(NULL, 0x400000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_NORESERVE, -1, 0)`,
      ],
      never,
    );
    expect(r.rets[0]).toMatch(/^0x/);
    expect(r.rets[1]).toBe('-1 ENOMEM');
  });
});

describe('max_map_count', () => {
  it('comes from the profile', () => {
    const tight = { ...LINUX_6_18, maxMapCount: 2 };
    const lines = [0, 2, 4, 6].map(
      (p) =>
        `mmap(0x20000000${p}000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    );
    expect(run(lines, tight).rets).toEqual([
      '0x200000000000',
      '0x200000002000',
      '0x200000004000',
      '-1 ENOMEM',
    ]);
  });
});

describe('profile documents', () => {
  it('round-trip', () => {
    const r = parseKernelProfile(kernelProfileJson(LINUX_6_18));
    expect(r).toEqual({ ok: true, profile: LINUX_6_18 });
  });

  it('name the field that is wrong, and refuse settings the engine does not model', () => {
    const doc = JSON.parse(kernelProfileJson(LINUX_6_18)) as Record<string, unknown>;
    const bad = (patch: Record<string, unknown>): string => {
      const r = parseKernelProfile(JSON.stringify({ ...doc, ...patch }));
      return r.ok ? 'ok' : r.message;
    };
    expect(bad({ zeroPage: 'yes' })).toBe('field "zeroPage": expected true or false');
    expect(bad({ mglru: true })).toBe('field "mglru": not a setting this engine models');
    expect(bad({ overcommit: { ...LINUX_6_18.overcommit, memory: 3 } })).toBe(
      'field "overcommit.memory": expected 0, 1 or 2',
    );
    expect(bad({ rlimits: { ...LINUX_6_18.rlimits, nofile: 1024 } })).toBe(
      'field "rlimits.nofile": not a setting this engine models',
    );
    expect(bad({ version: 2 })).toBe('field "version": expected 1');
    expect(parseKernelProfile('{').ok).toBe(false);
  });

  it('say which settings differ', () => {
    expect(profileDifferences(LINUX_6_18, { ...noZeroPage, thp: 'madvise' })).toEqual([
      'zeroPage',
      'thp',
    ]);
  });

  it('keep the maps output of a run unchanged where settings do not matter', () => {
    const lines = [ANON_RW, `munmap(0x200000001000, 0x1000)`];
    const a = runScenario(lines.join('\n'), 'x', { kernel: LINUX_6_18 });
    const b = runScenario(lines.join('\n'), 'x', { kernel: noZeroPage });
    if (!a.ok || !b.ok) throw new Error('run failed');
    expect(mapsLines(a.steps[a.steps.length - 1].mm)).toEqual(
      mapsLines(b.steps[b.steps.length - 1].mm),
    );
  });
});

describe('CONFIG_ANON_VMA_NAME', () => {
  const named: KernelProfile = { ...LINUX_6_18, anonVmaName: true };
  const name = (addr: string, len: string, n: string): string =>
    `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${addr}, ${len}, ${n})`;
  const maps = (lines: string[], k: KernelProfile): { rets: string[]; maps: string[] } => {
    const out = runScenario(lines.join('\n'), 'n.scn', { kernel: k, validate: true });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    return {
      rets: out.calls.map((c) => c.ret),
      maps: mapsLines(out.steps[out.steps.length - 1].mm),
    };
  };
  const three = `mmap(${A}, 0x3000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

  it('is EINVAL where the kernel is built without it', () => {
    expect(maps([three, name(A, '0x1000', '"x"')], LINUX_6_18).rets[1]).toBe('-1 EINVAL');
  });

  it('names part of a VMA, splitting it, and a same name merges back', () => {
    const r = maps(
      [
        three,
        name('0x200000001000', '0x1000', '"buf"'),
        name(A, '0x1000', '"buf"'),
        name('0x200000002000', '0x1000', '"buf"'),
      ],
      named,
    );
    expect(r.rets.slice(1)).toEqual(['0', '0', '0']);
    expect(r.maps).toEqual([
      `200000000000-200000003000 rw-p 00000000 00:00 0`.padEnd(72) + ' [anon:buf]',
    ]);
  });

  it('different names do not merge', () => {
    const r = maps(
      [three, name(A, '0x1000', '"a"'), name('0x200000001000', '0x2000', '"b"')],
      named,
    );
    expect(r.rets.slice(1)).toEqual(['0', '0']);
    expect(r.maps).toEqual([
      '200000000000-200000001000 rw-p 00000000 00:00 0'.padEnd(72) + ' [anon:a]',
      '200000001000-200000003000 rw-p 00000000 00:00 0'.padEnd(72) + ' [anon:b]',
    ]);
  });

  it('refuses files (EBADF), bad names (EINVAL) and reports holes (ENOMEM)', () => {
    const r = maps(
      [
        'openat(AT_FDCWD, "/data/f", O_RDWR) = 3',
        `mmap(${A}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0)`,
        name(A, '0x1000', '"f"'),
        `mmap(0x200000004000, 0x1000, PROT_READ, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
        name('0x200000004000', '0x1000', '"shm"'),
        name('0x200000004000', '0x1000', '"a[1]"'),
        name('0x200000004000', '0x1000', `"${'x'.repeat(80)}"`),
        name('0x200000003000', '0x2000', '"gap"'),
      ],
      named,
    );
    expect(r.rets.slice(2)).toEqual([
      '-1 EBADF',
      '0x200000004000',
      '0',
      '-1 EINVAL',
      '-1 EINVAL',
      '-1 ENOMEM',
    ]);
    expect(r.maps[1]).toBe(
      '200000004000-200000005000 r--s 00000000 00:00 0'.padEnd(72) + ' [anon_shmem:gap]',
    );
  });
});

describe('the vsyscall gate area', () => {
  const dump = [
    '200000000000-200000001000 rw-p 00000000 00:00 0 ',
    'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
  ].join('\n');
  const tail = (k: KernelProfile): string[] => {
    const loaded = loadProcMaps(dump, 'maps');
    if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
    const out = runScenario('', 'x', { initial: loaded.mm, kernel: k });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    return smapsLines(out.steps[out.steps.length - 1].mm).slice(2);
  };
  it('is printed last as the profile has it', () => {
    const gate =
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0'.padEnd(72) + ' [vsyscall]';
    expect(tail(LINUX_6_18)).toEqual([gate, 'VmFlags: ex ']);
    expect(tail({ ...LINUX_6_18, vsyscall: 'emulate' })).toEqual([
      gate.replace('--xp', 'r-xp'),
      'VmFlags: rd ex ',
    ]);
    expect(tail({ ...LINUX_6_18, vsyscall: 'none' })).toEqual([]);
  });
});
