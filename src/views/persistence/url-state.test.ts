// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { decodeUrlState, encodeUrlState } from './url-state';

describe('URL state', () => {
  it('round-trips a scenario and a step, compressed', async () => {
    const text = Array.from(
      { length: 200 },
      (_, i) => `munmap(0x${(0x200000000000 + i * 4096).toString(16)}, 4K) # é ✓`,
    ).join('\n');
    const hash = await encodeUrlState({ text, cursor: 17, startMaps: '' });
    expect(hash).toMatch(/^s=[A-Za-z0-9_-]+&c=17$/);
    expect(hash.length).toBeLessThan(text.length / 4);
    expect(await decodeUrlState('#' + hash)).toEqual({ text, cursor: 17, startMaps: '' });
    const maps = '200000000000-200000001000 rw-p 00000000 00:00 0 \n';
    const withMaps = await encodeUrlState({ text, cursor: 0, startMaps: maps });
    expect(withMaps).toMatch(/^s=[\w-]+&m=[\w-]+&c=0$/);
    expect(await decodeUrlState(withMaps)).toEqual({ text, cursor: 0, startMaps: maps });
  });

  it('keeps no cursor when there is none', async () => {
    const hash = await encodeUrlState({ text: 'brk(NULL)', cursor: null, startMaps: '' });
    expect(await decodeUrlState(hash)).toEqual({ text: 'brk(NULL)', cursor: null, startMaps: '' });
  });

  it('answers null for a hash without a scenario or with a damaged one', async () => {
    expect(await decodeUrlState('')).toBeNull();
    expect(await decodeUrlState('#c=3')).toBeNull();
    expect(await decodeUrlState('#s=%%%')).toBeNull();
    expect(await decodeUrlState('#s=AAAA')).toBeNull();
  });
});
