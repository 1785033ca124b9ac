// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { MAX_DRAFTS, MAX_DRAFT_CHARS, draftsToDrop, memoryDrafts, type Draft } from './drafts';

const draft = (i: number, chars = 10): Draft => ({
  id: `d${i}`,
  text: 'x'.repeat(chars),
  startMaps: '',
  savedAt: i,
});

describe('drafts kept in the browser are bounded', () => {
  it('keeps the newest MAX_DRAFTS, dropping the oldest', async () => {
    const store = memoryDrafts();
    for (let i = 1; i <= MAX_DRAFTS + 20; i++) await store.put(draft(i));
    const kept = await store.list();
    expect(kept).toHaveLength(MAX_DRAFTS);
    expect(kept[0].id).toBe(`d${MAX_DRAFTS + 20}`);
    expect(kept[kept.length - 1].id).toBe('d21');
  });

  it('bounds the characters kept, but never drops the draft just written', () => {
    const big = Math.floor(MAX_DRAFT_CHARS / 2) + 1;
    const all = [draft(1, big), draft(2, big), draft(3, 10)];
    expect(draftsToDrop(all, 'd3')).toEqual(['d1']);
    expect(draftsToDrop([draft(1, MAX_DRAFT_CHARS * 2)], 'd1')).toEqual([]);
  });
});
