// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CALLS } from './calls';
import { JUDGE_WINDOW_END, JUDGE_WINDOW_START } from '../world/process';
import { GENERATOR_REGION_START, generateScenario } from './generate';
import { parseScenario } from './parse';

const SEEDS = 200;

/** The contract's calls table (docs/scenario-format.md, a copy of the shared spec). */
const CONTRACT = readFileSync(
  join(dirname(fileURLToPath(import.meta.url)), '../../../docs/scenario-format.md'),
  'utf8',
);
/** The advice the contract says changes VMA flags or layout: what the generator must use. */
const CONTRACT_ADVICE = (() => {
  const row = CONTRACT.split('\n').find((l) => l.startsWith('| `madvise('));
  const changing = row?.slice(0, row.indexOf('page-level')) ?? '';
  return [...changing.matchAll(/`(MADV_\w+)`/g)].map((m) => m[1]);
})();
/** Every call and pseudo-call the contract's tables name. */
const CONTRACT_CALLS = [
  ...new Set(
    CONTRACT.split('\n')
      .filter((l) => l.startsWith('| `'))
      .flatMap((l) => [...l.split('|')[1].matchAll(/`(@?\w+)\(/g)].map((m) => m[1])),
  ),
];
const CALL_COUNT = 60;

/** The calls whose first argument is an address the call reaches from. */
const ADDRESSED = new Set([
  'mmap',
  'munmap',
  'mprotect',
  'pkey_mprotect',
  'mremap',
  'madvise',
  'mlock',
  'mlock2',
  'munlock',
  'mseal',
  '@touch',
  '@read',
]);

describe('generateScenario', () => {
  it('is deterministic: the same seed gives the same text, another seed another', () => {
    expect(generateScenario(42, CALL_COUNT)).toBe(generateScenario(42, CALL_COUNT));
    expect(generateScenario(42, CALL_COUNT)).not.toBe(generateScenario(43, CALL_COUNT));
    expect(generateScenario(7, 10).split('\n')[1]).toMatch(/^mmap\(/);
  });

  it(`writes valid scenarios with the asked number of calls (${SEEDS} seeds)`, () => {
    for (let seed = 0; seed < SEEDS; seed++) {
      const text = generateScenario(seed, CALL_COUNT);
      const parsed = parseScenario(text, `seed${seed}`);
      expect(parsed.diagnostics, `seed ${seed}`).toEqual([]);
      expect(parsed.isStraceLog).toBe(false);
      expect(parsed.calls).toHaveLength(CALL_COUNT);
      expect(parsed.calls.filter((c) => c.name === '@fork').length).toBeLessThanOrEqual(1);
    }
  });

  it('names only addresses inside the judge window, nearly all in its 64-page region', () => {
    let inRegion = 0;
    let addressed = 0;
    for (let seed = 0; seed < SEEDS; seed++) {
      for (const c of parseScenario(generateScenario(seed, CALL_COUNT)).calls) {
        if (!ADDRESSED.has(c.name)) continue;
        const a = c.args[0];
        expect(a.kind).toBe('int');
        const addr = Number(a.value);
        if (addr === 0 && c.name === 'mmap') continue; // mmap(NULL): the kernel chooses
        addressed++;
        expect(addr).toBeGreaterThanOrEqual(JUDGE_WINDOW_START);
        expect(addr).toBeLessThan(JUDGE_WINDOW_END);
        if (addr < GENERATOR_REGION_START + 64 * 0x1000) inRegion++;
      }
    }
    // The rest lie in mappings that started in the region and reach past its end.
    expect(inRegion / addressed).toBeGreaterThan(0.95);
  });

  it('reads the advice list from the contract', () => {
    expect(CONTRACT_ADVICE).toContain('MADV_GUARD_REMOVE');
    expect(CONTRACT_ADVICE.length).toBeGreaterThanOrEqual(15);
  });

  it('uses every call and pseudo-call of the contract, and every advice that changes VMAs', () => {
    const text = Array.from({ length: SEEDS }, (_, seed) =>
      generateScenario(seed, CALL_COUNT),
    ).join('\n');
    const names = new Set(parseScenario(text).calls.map((c) => c.name));
    expect(Object.keys(CALLS).filter((n) => !names.has(n))).toEqual([]);
    expect(CONTRACT_CALLS.filter((n) => !names.has(n))).toEqual([]);
    for (const advice of CONTRACT_ADVICE) expect(text).toContain(`, ${advice})`);
    for (const variant of [
      'MAP_FIXED_NOREPLACE',
      'MAP_SHARED|MAP_ANONYMOUS',
      'MAP_SHARED|MAP_FIXED',
      'MAP_PRIVATE|MAP_FIXED',
      'mmap(NULL',
      'MREMAP_MAYMOVE|MREMAP_FIXED',
      'MREMAP_DONTUNMAP',
      'MLOCK_ONFAULT',
      'brk(NULL)',
    ]) {
      expect(text).toContain(variant);
    }
    // Errors come up too: zero and unaligned lengths, unaligned addresses.
    expect(text).toMatch(/, 0x0, /);
    expect(text).toMatch(/\(0x2000000[0-9a-f]{2}010,/);
    expect(text).toMatch(/, 0x[0-9a-f]*001, /);
  });
});
