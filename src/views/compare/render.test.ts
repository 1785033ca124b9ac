// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import type { ComparedRow, ComparisonSummary } from '../../engine';
import { compareRowView, countsLine, shownRows, sideCaption, stepDetails } from './render';

const side = (text: string, result: string | null) => ({
  step: 44,
  line: 47,
  text,
  result,
  vmaCount: 12,
});
const MPROTECT = 'mprotect(0x7f5d0bfa9000, 0x4000, PROT_READ)';

const RESULT: ComparedRow = {
  row: 44,
  a: side(MPROTECT, '0'),
  b: side(MPROTECT, '-1 ENOMEM'),
  differs: ['result'],
  words: ['result 0 (A), -1 ENOMEM (B)'],
  vmas: { onlyA: [], onlyB: [], unnamed: 0 },
  events: [],
  eventsUnnamed: 0,
};

describe('comparison view', () => {
  it('marks the cells that differ and says what in words', () => {
    const v = compareRowView(RESULT);
    expect(v.label).toBe('step 44 differs: result');
    expect(v.differs).toBe('result');
    expect([v.a.differs, v.resultA.differs, v.b.differs, v.resultB.differs]).toEqual([
      false,
      true,
      false,
      true,
    ]);
    expect(v.resultB.text).toBe('-1 ENOMEM');
    expect(compareRowView({ ...RESULT, differs: [], words: [] }).label).toBe('step 44 alike');
  });

  it('says which side a step is missing from', () => {
    const v = compareRowView({ ...RESULT, a: null, differs: ['missing'], words: ['only in B'] });
    expect(v.label).toBe('step 44 differs: only in B');
    expect(v.a).toEqual({ text: '—', differs: true });
    expect(v.b.differs).toBe(true);
  });

  it('draws all rows of a short comparison, and a window around the selection of a long one', () => {
    expect(shownRows(62, 40)).toEqual({ from: 0, to: 62 });
    expect(shownRows(10_000, 5_000, 400)).toEqual({ from: 4_800, to: 5_200 });
    expect(shownRows(10_000, 10, 400)).toEqual({ from: 0, to: 400 });
    expect(shownRows(10_000, 9_999, 400)).toEqual({ from: 9_600, to: 10_000 });
  });

  it('details a step: both sides, the VMAs on one side only and the events that differ', () => {
    const d = stepDetails({
      ...RESULT,
      differs: ['vmas', 'events'],
      vmas: { onlyA: ['7f5d-7f5e r--p'], onlyB: ['7f5d-7f5e ---p'], unnamed: 3 },
      events: ['ma_write #2: fn mas_wr_slot_store (A), mas_wr_node_store (B)'],
      eventsUnnamed: 1,
    });
    expect(d.heading).toBe('Step 44');
    expect(d.sides[1].text).toBe(
      `step 44, line 47: ${MPROTECT} = -1 ENOMEM (12 maps lines after it)`,
    );
    expect(d.vmaNote).toBe(
      'The VMAs after it differ: 5 maps lines on one side only (3 not listed).',
    );
    expect(d.events).toEqual([
      'ma_write #2: fn mas_wr_slot_store (A), mas_wr_node_store (B)',
      'and 1 difference more',
    ]);
    expect(stepDetails({ ...RESULT, vmas: null }).vmaNote).toMatch(/not compared/);
  });

  it('sums up the comparison and each side', () => {
    const s: ComparisonSummary = {
      rows: 62,
      same: 61,
      different: 1,
      onlyA: 0,
      onlyB: 0,
      results: 1,
      vmas: 0,
      events: 0,
      first: { row: 44, a: MPROTECT, b: MPROTECT, what: 'result 0 (A), -1 ENOMEM (B)' },
      sentence: '',
      finalSmaps: 'the same',
    };
    expect(countsLine(s)).toBe(
      '62 steps aligned: 61 alike, 1 different (1 result, 0 with other VMAs, ' +
        '0 with other kernel events, 0 only in A, 0 only in B). Final smaps: the same.',
    );
    expect(
      sideCaption({
        name: 'stock.json',
        kind: 'program',
        release: '6.18.0',
        command: '/bin/true',
        space: 0,
        steps: 62,
        vmas: '',
      }),
    ).toBe('stock.json: Linux 6.18.0, /bin/true, space 0, 62 steps');
  });
});
