// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { loadProcMaps } from './load-proc-maps';
import { runScenario, type MmState } from './run';
import { show_map_vma } from '../kernel/fs/proc/task_mmu';
import type { Vma } from '../kernel/mm/mm_types';
import { generateScenario } from '../scenario/generate';
import {
  diffSteps,
  MARK_GUARDS,
  MARK_MAYBE_GUARD,
  MARK_SEALED,
  summarize,
  VMA_KINDS,
  vmaRows,
  type StepDiff,
} from './step-view';

const mmap = (
  addr: string,
  len: string,
  prot: string,
  flags = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED',
) => `mmap(${addr}, ${len}, ${prot}, ${flags}, -1, 0)`;

function run(...lines: string[]) {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

describe('step views', () => {
  const out = run(
    mmap('0x200000000000', '0x2000', 'PROT_READ|PROT_WRITE'),
    mmap('0x200000004000', '0x1000', 'PROT_READ|PROT_EXEC'),
    mmap('0x200000008000', '0x1000', 'PROT_READ', 'MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED'),
    'munmap(0x200000001000, 0x1000)',
  );
  const last = out.steps[out.steps.length - 1].mm;

  it('summarises every VMA in typed arrays, in address order', () => {
    const s = summarize(last);
    expect(s.count).toBe(3);
    expect([...s.starts]).toEqual([0x200000000000, 0x200000004000, 0x200000008000]);
    expect([...s.ends]).toEqual([0x200000001000, 0x200000005000, 0x200000009000]);
    expect([...s.perms]).toEqual([1 | 2, 1 | 4, 1 | 8]);
    expect([...s.kinds].map((k) => VMA_KINDS[k])).toEqual(['anon', 'anon', 'shared-anon']);
    expect(new Set(s.ids).size).toBe(3);
    expect([...s.marks]).toEqual([0, 0, 0]);
    expect(s.guards).toHaveLength(0);
  });

  it('gives rows with the maps line for a window of the VMAs', () => {
    expect(vmaRows(last, 1, 1)).toEqual([
      {
        id: summarize(last).ids[1],
        start: 0x200000004000,
        end: 0x200000005000,
        maps: '200000004000-200000005000 r-xp 00000000 00:00 0 ',
        flags: ['rd', 'ex', 'mr', 'mw', 'me'],
        kind: 'anon',
        file: null,
        pgoff: 0x200000004,
        anonVma: null,
        sealed: false,
        maybeGuard: false,
        guards: [],
        inferred: false,
      },
    ]);
    expect(vmaRows(last).map((r) => r.maps)).toHaveLength(3);
  });

  it('tells what a step added, removed and changed', () => {
    const split = out.steps.findIndex((s) => s.fn === '__split_vma');
    const before = out.steps[split - 1].mm;
    const after = out.steps[out.steps.length - 1].mm;
    const d = diffSteps(before, after);
    // munmap's first split has new_below = 1: a new VMA keeps the page below
    // the hole, and the old one, left over the hole, is unmapped.
    const [first] = summarize(before).ids;
    const [kept] = summarize(after).ids;
    expect(d).toEqual({ added: [kept], removed: [first], changed: [] });
    expect(diffSteps(after, after)).toEqual({ added: [], removed: [], changed: [] });
  });
});

describe('marks: sealing and guard regions', () => {
  it('marks a sealed VMA, and its VmFlags end in sl', () => {
    // AAAA -> mseal the upper half: __split_vma, then VM_SEALED on the new upper VMA.
    const out = run(
      mmap('0x200000000000', '0x4000', 'PROT_READ|PROT_WRITE'),
      'mseal(0x200000002000, 0x2000, 0)',
    );
    const mm = out.steps[out.steps.length - 1].mm;
    const s = summarize(mm);
    expect([...s.marks]).toEqual([0, MARK_SEALED]);
    const rows = vmaRows(mm);
    expect(rows.map((r) => r.sealed)).toEqual([false, true]);
    expect(rows[1].flags[rows[1].flags.length - 1]).toBe('sl');
  });

  it('marks the whole VMA maybe-guard and gives the guard pages as runs', () => {
    // MADV_GUARD_INSTALL on pages 1-2 of four: no split, markers in the page
    // tables, VM_MAYBE_GUARD on the VMA, and an anon_vma for the markers.
    const out = run(
      mmap('0x200000000000', '0x4000', 'PROT_READ|PROT_WRITE'),
      mmap('0x200000010000', '0x1000', 'PROT_READ'),
      'madvise(0x200000001000, 0x2000, MADV_GUARD_INSTALL)',
    );
    const mm = out.steps[out.steps.length - 1].mm;
    const s = summarize(mm);
    expect(s.count).toBe(2);
    expect([...s.marks]).toEqual([MARK_MAYBE_GUARD | MARK_GUARDS, 0]);
    expect([...s.guards]).toEqual([0x200000001000, 0x200000003000]);
    const [guarded, plain] = vmaRows(mm);
    expect(guarded).toMatchObject({
      maybeGuard: true,
      guards: [[0x200000001000, 0x200000003000]],
    });
    expect(guarded.anonVma).toMatch(/^av\d+$/);
    expect(guarded.flags).toContain('gu');
    expect(plain).toMatchObject({ maybeGuard: false, guards: [], anonVma: null });
  });

  it('keeps VM_MAYBE_GUARD after MADV_GUARD_REMOVE, without markers', () => {
    const out = run(
      mmap('0x200000000000', '0x4000', 'PROT_READ|PROT_WRITE'),
      'madvise(0x200000001000, 0x1000, MADV_GUARD_INSTALL)',
      'madvise(0x200000001000, 0x1000, MADV_GUARD_REMOVE)',
    );
    const mm = out.steps[out.steps.length - 1].mm;
    expect([...summarize(mm).marks]).toEqual([MARK_MAYBE_GUARD]);
    expect(vmaRows(mm)[0]).toMatchObject({ maybeGuard: true, guards: [] });
  });

  it('names the file and offset of a file mapping', () => {
    const out = run(
      'openat(AT_FDCWD, "/data/f", O_RDWR|O_CREAT, 0600) = 3',
      'mmap(0x200000000000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x3000)',
    );
    const mm = out.steps[out.steps.length - 1].mm;
    expect(vmaRows(mm)[0]).toMatchObject({ kind: 'file', file: '/data/f', pgoff: 3 });
    expect(VMA_KINDS[summarize(mm).kinds[0]]).toBe('file');
  });

  it('calls a VMA at address 0 anonymous, not the stack, when there is no stack', () => {
    const loaded = loadProcMaps('00000000-00001000 rw-p 00000000 00:00 0 \n');
    if (!loaded.ok) throw new Error('did not load');
    expect(vmaRows(loaded.mm)[0]).toMatchObject({ kind: 'anon' });
  });
});

describe('diffSteps against matching every VMA by id', () => {
  /** The plain definition: every VMA of both steps matched by id. */
  function naive(a: MmState, b: MmState): StepDiff {
    const before = new Map(a.vmas.map((v) => [v.id, v]));
    const after = new Map(b.vmas.map((v) => [v.id, v]));
    const text = (mm: MmState, v: Vma) => show_map_vma(mm, v) + v.vm_flags;
    return {
      added: b.vmas.filter((v) => !before.has(v.id)).map((v) => v.id),
      removed: a.vmas.filter((v) => !after.has(v.id)).map((v) => v.id),
      changed: b.vmas
        .filter((v) => {
          const old = before.get(v.id);
          return old !== undefined && text(a, old) !== text(b, v);
        })
        .map((v) => v.id),
    };
  }

  it('agrees on every step of generated scenarios', () => {
    let compared = 0;
    for (const seed of [1, 2, 3, 4, 5]) {
      const out = runScenario(generateScenario(seed, 120));
      if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
      for (let i = 1; i < out.steps.length; i++) {
        const want = naive(out.steps[i - 1].mm, out.steps[i].mm);
        const got = diffSteps(out.steps[i - 1].mm, out.steps[i].mm);
        expect({ ...got, removed: [...got.removed].sort() }).toEqual({
          ...want,
          removed: [...want.removed].sort(),
        });
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(1000);
  });

  it('sees a VMA renamed [heap] by a moving break, though the step left the VMA alone', () => {
    // do_brk_flags() maps the VMA, then brk() moves the break: only then is it [heap].
    const out = runScenario('brk(0x200000002000)\n');
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    const grows = out.steps.findIndex((s) => s.message.startsWith('the break grows'));
    const [a, b] = [out.steps[grows - 1].mm, out.steps[grows].mm];
    expect(a.vmas[0]).toBe(b.vmas[0]);
    expect(diffSteps(a, b)).toEqual({ ...naive(a, b), changed: [b.vmas[0].id] });
  });
});
