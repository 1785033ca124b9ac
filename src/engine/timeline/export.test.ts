// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario } from './run';
import { traceJson } from './export';

const SCENARIO = `mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000
mmap(0x200000004000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000004000
`;

describe('traceJson', () => {
  const out = runScenario(SCENARIO);
  if (!out.ok) throw new Error('scenario should parse');
  const json = traceJson(out);

  it('keeps every call, every step and the final maps', () => {
    expect(json.format).toBe('vma-explorer-trace');
    expect(json.calls.map((c) => c.ret)).toEqual(['0x200000000000', '0x200000004000']);
    expect(json.steps.length).toBe(out.steps.length);
    expect(json.steps[0].line).toBeNull();
    expect(json.maps).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
      '200000004000-200000008000 r--p 00000000 00:00 0 ',
    ]);
  });

  it('carries the merge decision with its failing predicate', () => {
    const decision = json.steps.find((s) => s.line === 2 && s.fn === 'vma_merge_new_range');
    expect(decision?.vmg?.prev).toBe('vma1');
    expect(decision?.predicates?.some((p) => !p.pass && p.fn === 'is_mergeable_vma')).toBe(true);
    expect(json.steps[json.steps.length - 1].vmas).toBe(2);
  });

  it('survives a round trip through JSON', () => {
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });
});
