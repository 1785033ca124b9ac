// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario, type TraceEvent } from '../../engine';
import { verdictOf } from './Reasons';

const MMAP = (addr: string, prot: string) =>
  `mmap(${addr}, 8K, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = ${addr}`;

function decisions(text: string): TraceEvent[] {
  const out = runScenario(text);
  if (!out.ok) throw new Error('scenario should run');
  return out.steps.filter((s) => s.predicates && s.predicates.length > 0);
}

describe('verdictOf', () => {
  it('names the check that keeps a neighbour apart', () => {
    const [second] = decisions(
      [MMAP('0x200000000000', 'PROT_READ|PROT_WRITE'), MMAP('0x200000002000', 'PROT_READ')].join(
        '\n',
      ),
    );
    expect(verdictOf(second)).toBe(
      'Not mergeable: vma1: flags differ (rd wr mr mw me ac vs rd mr mw me) (is_mergeable_vma); ' +
        'no next VMA (can_vma_merge_right).',
    );
  });

  it('says which VMA the range merges into', () => {
    const [second] = decisions(
      [MMAP('0x200000000000', 'PROT_READ'), MMAP('0x200000002000', 'PROT_READ')].join('\n'),
    );
    expect(verdictOf(second)).toBe(
      'The range merges into vma1, but not further: no next VMA (can_vma_merge_right).',
    );
  });
});
