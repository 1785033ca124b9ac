// SPDX-License-Identifier: GPL-2.0-or-later
// Every VMA the model makes has one V8 map (hidden class): made by spreads
// at each site, a run's VMAs had twenty maps with the same fields, and every
// function reading them went through megamorphic loads (mm_types.ts's
// vmaObject()).
import { setFlagsFromString } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../../scenario/generate';
import { runScenario } from '../../timeline/run';
import { vmaList } from './mm-snapshot';
import { vma_init, vmaWith, type Vma } from './mm_types';

setFlagsFromString('--allow-natives-syntax');
// V8's own test of whether two objects have one map.
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

/** Splits, merges of every kind, moves, forks, stack growth, shared and file mappings. */
const SCENARIOS = [
  ...Array.from({ length: 12 }, (_, seed) => generateScenario(seed + 1, 150)),
  [
    'mmap(0x200000000000, 0x8000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    '@touch(0x200000000000, 0x8000)',
    'mprotect(0x200000002000, 0x2000, PROT_READ)',
    'mprotect(0x200000002000, 0x2000, PROT_READ|PROT_WRITE)',
    'mremap(0x200000004000, 0x2000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, 0x200000100000)',
    'mmap(0x200000200000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN, -1, 0)',
    '@touch(0x200000200000)',
    '@fork()',
    'munmap(0x200000001000, 0x1000)',
  ].join('\n'),
];

/** Every VMA of every step of a traced run of each scenario. */
function vmasOfRuns(): Vma[] {
  const vmas: Vma[] = [];
  for (const text of SCENARIOS) {
    const out = runScenario(text, 'scn', { trace: true });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    for (const step of out.steps) vmas.push(...vmaList(step.mm));
  }
  return vmas;
}

describe('VMA objects', () => {
  it('all have one map, whichever kernel function made them', () => {
    // The first runs settle each field's representation (a small pgoff, a
    // large one, a file or none): V8 moves a map on as a field generalises.
    vmasOfRuns();
    const vmas = vmasOfRuns();
    expect(new Set(vmas.map((v) => v.vm_ops))).toEqual(new Set(['anon', 'file', 'shmem']));
    const exemplar = vma_init(1, 0x1000, 0x2000, 1, 0);
    const others = vmas.filter((v) => !sameMap(v, exemplar));
    expect(others.length, `${others.length} of ${vmas.length} VMAs have another map`).toBe(0);
  });

  it('copy with a patch: each field given, null included, replaces the old one', () => {
    const vma = vma_init(7, 0x1000, 0x3000, 1, 3, { anon_vma: 4, anon_vma_chain: 1, file: '/f' });
    const copy = vmaWith(vma, { anon_vma: null, anon_vma_chain: 0, vm_end: 0x2000 });
    expect(copy).toEqual({ ...vma, anon_vma: null, anon_vma_chain: 0, vm_end: 0x2000 });
    expect(vma.anon_vma).toBe(4);
  });
});
