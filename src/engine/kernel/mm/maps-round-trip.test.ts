// SPDX-License-Identifier: GPL-2.0-or-later
// A dump of an address space the engine made, loaded back, is the same
// address space: the same lines, the same counters, and calls on it keep
// validate_mm happy.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProcMaps } from '../../timeline/load-proc-maps';
import { mapsLines, runScenario, smapsLines, type MmState } from '../../timeline/run';
import { formatDiagnostic } from '../../scenario/diagnostic';
import { generateScenario } from '../../scenario/generate';
import { VM_LOCKED } from './vm-flags';
import { vma_pages } from './mm_types';

const COUNTERS = ['total_vm', 'locked_vm', 'exec_vm', 'stack_vm', 'data_vm'] as const;

function counters(mm: MmState): Record<(typeof COUNTERS)[number], number> {
  return Object.fromEntries(COUNTERS.map((k) => [k, mm[k]])) as Record<
    (typeof COUNTERS)[number],
    number
  >;
}

function load(text: string): MmState {
  const loaded = loadProcMaps(text);
  if (!loaded.ok) throw new Error(loaded.diagnostics.map(formatDiagnostic).join('\n'));
  return loaded.mm;
}

/** The address space after a generated scenario. */
function madeBy(seed: number, calls: number): MmState {
  const out = runScenario(generateScenario(seed, calls));
  if (!out.ok) throw new Error('the generated scenario did not run');
  return out.steps[out.steps.length - 1].mm;
}

describe('maps printed and loaded back', () => {
  it('are the same lines and counters, for random address spaces', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1 << 30 }),
        fc.integer({ min: 1, max: 60 }),
        (seed, n) => {
          const mm = madeBy(seed, n);
          const smaps = smapsLines(mm);
          const back = load(smaps.join('\n') + '\n');
          expect(smapsLines(back)).toEqual(smaps);
          // locked_vm only as the VM_LOCKED pages: the kernel's own count can
          // be higher (mremap(MREMAP_DONTUNMAP) clears VM_LOCKED on the old VMA
          // and leaves locked_vm), which no dump shows.
          const locked = mm.vmas.filter((v) => v.vm_flags & VM_LOCKED);
          expect(counters(back)).toEqual({
            ...counters(mm),
            locked_vm: locked.reduce((n, v) => n + vma_pages(v), 0),
          });
          const maps = mapsLines(mm);
          expect(mapsLines(load(maps.join('\n') + '\n'))).toEqual(maps);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('takes the brk range from the first [heap] to the end of the last', () => {
    const lines = [
      '200000000000-200000002000 rw-p 00000000 00:00 0                          [heap]',
      '200000002000-200000003000 r--p 00000000 00:00 0                          [heap]',
      '200000003000-200000005000 rw-p 00000000 00:00 0                          [heap]',
    ];
    const mm = load(lines.join('\n'));
    expect([mm.start_brk, mm.brk]).toEqual([0x200000000000, 0x200000005000]);
    expect(mapsLines(mm)).toEqual(lines);
  });

  it('labels no VMA [stack] when the dump has none, not even one at address 0', () => {
    const lines = ['00000000-00001000 r--p 00000000 00:00 0 '];
    expect(mapsLines(load(lines.join('\n')))).toEqual(lines);
  });

  it('keeps locked_vm and exec_vm through munlock and munmap of loaded VMAs', () => {
    const initial = load(
      [
        '200000000000-200000002000 rw-p 00000000 00:00 0 ',
        'VmFlags: rd wr mr mw me lo ac ',
        '200000010000-200000014000 r-xp 00000000 fe:00 12   /usr/lib/libx.so',
        'VmFlags: rd ex mr mw me ',
      ].join('\n'),
    );
    expect(counters(initial)).toEqual({
      total_vm: 6,
      locked_vm: 2,
      exec_vm: 4,
      stack_vm: 0,
      data_vm: 2,
    });
    const out = runScenario(
      ['munlock(0x200000000000, 0x2000) = 0', 'munmap(0x200000010000, 0x4000) = 0'].join('\n'),
      'scn',
      { initial, validate: true },
    );
    if (!out.ok) throw new Error('did not run');
    expect(counters(out.steps[out.steps.length - 1].mm)).toEqual({
      total_vm: 2,
      locked_vm: 0,
      exec_vm: 0,
      stack_vm: 0,
      data_vm: 2,
    });
  });

  it('escape a newline in a path as the kernel does (\\012), and read it back', () => {
    const out = runScenario(
      [
        'openat(AT_FDCWD, "/tmp/a\\nb\\\\c", O_RDONLY) = 3',
        'mmap(0x200000000000, 4096, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0) = 0x200000000000',
      ].join('\n'),
    );
    if (!out.ok) throw new Error('did not run');
    const maps = mapsLines(out.steps[out.steps.length - 1].mm);
    expect(maps).toHaveLength(1);
    expect(maps[0].endsWith(' /tmp/a\\012b\\c')).toBe(true);
    const back = load(maps.join('\n'));
    expect(back.vmas[0].file).toBe('/tmp/a\nb\\c');
    expect(mapsLines(back)).toEqual(maps);
  });
});
