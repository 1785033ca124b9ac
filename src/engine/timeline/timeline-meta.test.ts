// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario } from './run';
import { STEP_DECISION, stepFn, stepTexts, timelineMeta } from './timeline-meta';

const out = runScenario(
  [
    'mmap(0x200000000000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    'mmap(0x200000002000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  ].join('\n'),
);
if (!out.ok) throw new Error('scenario should run');

describe('timelineMeta', () => {
  const meta = timelineMeta(out);

  it('outlines every step in columns, without the address spaces or words', () => {
    expect(meta.steps.length).toBe(out.steps.length);
    expect(meta.calls).toBe(out.calls);
    for (let i = 0; i < out.steps.length; i++) {
      expect(meta.steps.call[i]).toBe(out.steps[i].call);
      expect(stepFn(meta, i)).toBe(out.steps[i].fn);
    }
    expect(new Set(meta.fnNames).size).toBe(meta.fnNames.length);
  });

  it('flags the merge decisions', () => {
    const decisions = out.steps.flatMap((s, i) => (s.predicates?.length ? [i] : []));
    expect(decisions.length).toBeGreaterThan(0);
    for (let i = 0; i < out.steps.length; i++)
      expect((meta.steps.flags[i] & STEP_DECISION) !== 0).toBe(decisions.includes(i));
  });

  it('gives the words of a range of steps', () => {
    const texts = stepTexts(out, 1, 2);
    expect(texts).toEqual([
      { source: out.steps[1].source, message: out.steps[1].message },
      { source: out.steps[2].source, message: out.steps[2].message },
    ]);
    expect(stepTexts(out, out.steps.length - 1, 5)).toHaveLength(1);
  });
});
