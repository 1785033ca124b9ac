// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { StringCache, flat, vmaIdName } from './strings';

describe('trace strings', () => {
  it('flat() gives the same string', () => {
    const built = 'vma' + String(12) + ' [' + (0x200000000000).toString(16) + ')';
    expect(flat(built)).toBe(built);
    expect(flat('')).toBe('');
  });

  it('a cache answers each key with its own text, and makes a text once for a repeated key', () => {
    let made = 0;
    const cache = new StringCache((k) => {
      made++;
      return `k${k}`;
    });
    // Keys that may share a slot replace one another; each still gets its own text.
    const keys = [
      5,
      5 + 8191,
      5 + 8192,
      -5,
      0,
      1.5,
      2 ** 52,
      0x200000000000,
      0x200000000000 + 8192,
    ];
    for (let round = 0; round < 2; round++)
      for (const k of keys) expect(cache.get(k)).toBe(`k${k}`);
    made = 0;
    expect(cache.get(7)).toBe('k7');
    expect(cache.get(7)).toBe('k7');
    expect(made).toBe(1);
    expect(vmaIdName(42)).toBe('vma42');
  });

  it('spreads page-aligned addresses over its slots', () => {
    let made = 0;
    const cache = new StringCache((k) => {
      made++;
      return String(k);
    });
    const pages = Array.from({ length: 1000 }, (_, i) => 0x7f00_0000_0000 + i * 0x1000);
    for (const p of pages) cache.get(p);
    made = 0;
    for (const p of pages) cache.get(p);
    // 1000 keys in 8192 slots: a few dozen collide; one slot for all would make 1000.
    expect(made).toBeLessThan(150);
  });
});
