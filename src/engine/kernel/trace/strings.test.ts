// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { StringCache, flat, vmaIdName } from './strings';

describe('trace strings', () => {
  it('flat() gives the same string', () => {
    const built = 'vma' + String(12) + ' [' + (0x200000000000).toString(16) + ')';
    expect(flat(built)).toBe(built);
    expect(flat('')).toBe('');
  });

  it('a cache answers each key with its own text, when keys share a slot too', () => {
    let made = 0;
    const cache = new StringCache((k) => {
      made++;
      return `k${k}`;
    });
    // 8191 slots: these keys take the same slot and replace one another.
    const keys = [5, 5 + 8191, 5 + 2 * 8191, -5, 0x200000000000, 0x200000000000 + 8191];
    for (let round = 0; round < 2; round++)
      for (const k of keys) expect(cache.get(k)).toBe(`k${k}`);
    expect(cache.get(7)).toBe('k7');
    expect(cache.get(7)).toBe('k7');
    // A hit makes nothing: the second read of 7 is the one saved.
    expect(made).toBe(2 * keys.length + 1);
    expect(vmaIdName(42)).toBe('vma42');
  });
});
