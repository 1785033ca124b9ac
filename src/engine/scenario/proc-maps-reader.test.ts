// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadProcMaps } from '../timeline/load-proc-maps';
import { mapsLines, runScenario, smapsLines } from '../timeline/run';
import { formatDiagnostic } from './diagnostic';
import { parseProcMaps } from './proc-maps-reader';

// `cat /proc/self/smaps` on this project's Linux 6.18 machine.
const SMAPS = readFileSync(join(__dirname, 'fixtures', 'cat-6.18.smaps'), 'utf8');
const MAPS_LINES = SMAPS.split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l));

describe('parseProcMaps', () => {
  it('reads a real smaps dump', () => {
    const p = parseProcMaps(SMAPS);
    expect(p.diagnostics).toEqual([]);
    expect(p.isSmaps).toBe(true);
    expect(p.entries).toHaveLength(MAPS_LINES.length);
    const heap = p.entries.find((e) => e.path === '[heap]')!;
    expect(heap.vmFlags).toEqual(['rd', 'wr', 'mr', 'mw', 'me', 'ac']);
    expect(heap.anonymousKb).toBeGreaterThan(0);
  });

  it('reads a plain maps dump', () => {
    const p = parseProcMaps(MAPS_LINES.join('\n'));
    expect(p).toMatchObject({ isSmaps: false, diagnostics: [] });
    expect(p.entries.every((e) => e.vmFlags === null)).toBe(true);
  });

  it('names the line and column of what it cannot read', () => {
    const p = parseProcMaps(
      [
        '200000000000-200000001000 rw-p 00000000 00:00 0 ',
        '200000001000-200000002000 rwzp 00000000 00:00 0 ',
        '200000002000-200000002800 rw-p 00000000 00:00 0 ',
        '200000000000-200000004000 rw-p 00000000 00:00 0 ',
        'VmFlags: rd wr Xx',
        'hello',
      ].join('\n'),
    );
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'maps:2:27: expected a maps line (start-end perms offset dev inode [path]): bad permissions like rw-p',
      'maps:3:1: the range 200000002000-200000002800 is not page aligned',
      'maps:4:1: overlaps or comes before the mapping on line 1',
      "maps:5:16: 'Xx' is not a two-letter VmFlags name",
      'maps:6:1: expected a maps line (start-end perms offset dev inode [path]): bad start address',
    ]);
  });
});

describe('loadProcMaps', () => {
  it('gives back the dump line for line: device, inode, heap, stack, vdso, [vsyscall] last', () => {
    const loaded = loadProcMaps(SMAPS);
    if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
    expect(mapsLines(loaded.mm)).toEqual(MAPS_LINES);
    expect(mapsLines(loaded.mm).some((l) => l.endsWith(' [stack]'))).toBe(true);
    expect(mapsLines(loaded.mm).pop()).toMatch(/ \[vsyscall\]$/);
    // smaps: each line and its VmFlags line as the dump printed them.
    const smaps = SMAPS.split('\n').filter((l) => /^[0-9a-f]+-[0-9a-f]+ |^VmFlags:/.test(l));
    expect(smapsLines(loaded.mm)).toEqual(smaps);
  });

  it("keeps a VMA's device and inode through a split, and prints 00:00 0 for new ones", () => {
    const loaded = loadProcMaps(
      [
        '200000000000-200000004000 r--p 00001000 fe:00 18446744073709551615   /usr/lib/libx.so',
        'ffffffffff600000-ffffffffff601000 r-xp 00000000 00:00 0                  [vsyscall]',
      ].join('\n'),
    );
    if (!loaded.ok) throw new Error('did not load');
    const out = runScenario(
      [
        'mprotect(0x200000001000, 0x1000, PROT_NONE)',
        'mmap(0x200000010000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      ].join('\n'),
      'scn',
      { initial: loaded.mm, validate: true },
    );
    if (!out.ok) throw new Error('did not run');
    const file = (range: string, perms: string, off: string) =>
      `${range} ${perms} ${off} fe:00 18446744073709551615 `.padEnd(72) + ' /usr/lib/libx.so';
    // The gate area is the modelled kernel's (linux-6.18: vsyscall=xonly),
    // whatever the dump showed.
    const vsyscall =
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]';
    const mm = out.steps[out.steps.length - 1].mm;
    expect(mapsLines(mm)).toEqual([
      file('200000000000-200000001000', 'r--p', '00001000'),
      file('200000001000-200000002000', '---p', '00002000'),
      file('200000002000-200000004000', 'r--p', '00003000'),
      '200000010000-200000011000 r--p 00000000 00:00 0 ',
      vsyscall,
    ]);
    expect(smapsLines(mm).slice(-2)).toEqual([vsyscall, 'VmFlags: ex ']);
  });

  it('reports a range above user space at its end address, and an offset past 64 bits', () => {
    const lines = [
      'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 ',
      '7ffffffff000-fffffffffffff000 rw-p 00000000 00:00 0 ',
      '200000000000-200000001000 r--p 10000000000000000 00:00 0 /lib/x.so',
    ];
    for (const text of lines) expect(() => loadProcMaps(text)).not.toThrow();
    const loaded = loadProcMaps(lines.join('\n'));
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([
        'maps:1:18: the range ffffffffff600000-ffffffffff601000 ends above 0x7ffffffff000, the top of user space (TASK_SIZE)',
        'maps:2:14: the range 7ffffffff000-fffffffffffff000 ends above 0x7ffffffff000, the top of user space (TASK_SIZE)',
        'maps:3:32: the offset 10000000000000000 does not fit in 64 bits',
      ]);
    }
  });

  it('refuses VmFlags it does not model, at the name', () => {
    const loaded = loadProcMaps(
      '200000000000-200000001000 rw-p 00000000 00:00 0 \nVmFlags: rd wr mr mw me ac ss \n',
    );
    expect(loaded.ok).toBe(false);
    if (!loaded.ok) {
      expect(loaded.diagnostics.map(formatDiagnostic)).toEqual([
        "maps:2:28: VmFlags name 'ss' is not modelled yet",
      ]);
    }
  });

  it('lets a scenario continue from the loaded space: a new mapping merges with a loaded one', () => {
    const loaded = loadProcMaps('200000000000-200000002000 rw-p 00000000 00:00 0 \n');
    if (!loaded.ok) throw new Error('did not load');
    const out = runScenario(
      'mmap(0x200000002000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      'scn',
      { initial: loaded.mm },
    );
    if (!out.ok) throw new Error('did not run');
    expect(out.steps[0].message).toBe('loaded 1 VMAs');
    expect(mapsLines(out.steps[out.steps.length - 1].mm)).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
    ]);
  });
});
