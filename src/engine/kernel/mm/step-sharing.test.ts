// SPDX-License-Identifier: GPL-2.0-or-later
// Each step keeps its own MmState, so what a step copies must grow with the
// change it makes, not with the history before it: a traced run of 20,000
// open/close pairs or shared anonymous mmap/munmap pairs keeps small maps,
// and a step that does not change a map shares it with the step before.
import { describe, expect, it } from 'vitest';
import { runScenario, type MmState } from '../../timeline/run';

function traced(lines: string[]): MmState[] {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error('did not run');
  return out.steps.map((s) => s.mm);
}

/** Checks that no step's descriptors, sizes or guard runs hold more than `most` entries. */
function expectSmall(mms: MmState[], most: number): void {
  let biggest = 0;
  for (const mm of mms)
    biggest = Math.max(biggest, mm.fds.size, mm.fileSizes.size, mm.guards.length / 2);
  expect(biggest).toBeLessThanOrEqual(most);
}

const PAIRS = 20_000;

describe('per-step state shares structure', () => {
  it('20,000 openat/close pairs keep one descriptor and no sizes', () => {
    const lines: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      lines.push(`openat(AT_FDCWD, "/tmp/f${i}", O_RDWR) = 3`, 'close(3) = 0');
    }
    const mms = traced(lines);
    expectSmall(mms, 1);
    // open and close change the descriptors only: the sizes are one map throughout.
    expect(new Set(mms.map((m) => m.fileSizes)).size).toBe(1);
  });

  it('20,000 shared anonymous mmap/munmap pairs keep only the live object', () => {
    const lines: string[] = [];
    for (let i = 0; i < PAIRS; i++) {
      lines.push(
        'mmap(0x200000000000, 4096, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
        'munmap(0x200000000000, 4096) = 0',
      );
    }
    expectSmall(traced(lines), 1);
  });

  it('2,000 guard installs and removals over 1 GiB keep one run, not a mark per page', () => {
    const lines = [
      'mmap(0x200000000000, 1G, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_NORESERVE, -1, 0) = 0x200000000000',
    ];
    for (let i = 0; i < 2_000; i++) {
      lines.push(
        'madvise(0x200000000000, 1G, MADV_GUARD_INSTALL) = 0',
        'madvise(0x200000000000, 1G, MADV_GUARD_REMOVE) = 0',
      );
    }
    const mms = traced(lines);
    expect(mms.some((mm) => mm.guards.length > 0)).toBe(true);
    expectSmall(mms, 1);
  });

  it('merge steps keep their predicates at exact length, the empty list shared', () => {
    // Alternating protections: every mprotect decides on a merge, some with
    // verdicts and some with none.
    const lines = [
      'mmap(0x200000000000, 0x40000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
    ];
    for (let i = 0; i < 32; i++) {
      const prot = i % 2 ? 'PROT_READ|PROT_WRITE' : 'PROT_READ';
      lines.push(`mprotect(0x${(0x200000000000 + i * 0x2000).toString(16)}, 0x3000, ${prot}) = 0`);
    }
    const out = runScenario(lines.join('\n'));
    if (!out.ok) throw new Error('did not run');
    const lists = out.steps.flatMap((s) => (s.predicates ? [s.predicates] : []));
    const empty = lists.filter((l) => l.length === 0);
    expect(empty.length).toBeGreaterThan(1);
    expect(new Set(empty).size).toBe(1);
    expect(Object.isFrozen(empty[0])).toBe(true);
    const full = lists.filter((l) => l.length > 0);
    expect(full.length).toBeGreaterThan(0);
    // No list kept by two steps: a later verdict of one merge cannot reach
    // a step shown before it.
    expect(new Set(full).size).toBe(full.length);
  });
});
