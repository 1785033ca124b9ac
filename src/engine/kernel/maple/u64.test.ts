// SPDX-License-Identifier: GPL-2.0-or-later
// The index encoding: exact for user addresses and for the top of the space.
import { describe, expect, it } from 'vitest';
import {
  MT_INDEX_HIGH_BASE,
  MT_INDEX_LOW_LIMIT,
  ULONG_MAX,
  u64_from_bigint,
  u64_from_hex,
  u64_is_index,
  u64_to_bigint,
  u64_to_hex,
} from './u64';

describe('u64 encoding', () => {
  it('keeps addresses below 2^51 as themselves', () => {
    for (const v of [0, 1, 0xfff, 0x7ffff7fc1000, 0x7fffffffffff, MT_INDEX_LOW_LIMIT - 1]) {
      expect(u64_from_bigint(BigInt(v))).toBe(v);
      expect(u64_to_bigint(v)).toBe(BigInt(v));
      expect(u64_to_hex(v)).toBe('0x' + v.toString(16));
    }
  });

  it('is exact and ordered at the top of the space', () => {
    const top = [
      2n ** 64n - 1n,
      2n ** 64n - 2n,
      0xfffffffffffff000n,
      0xffffffffffffefffn,
      0xffffffffffe27fffn,
      2n ** 64n - 2n ** 51n,
    ];
    const enc = top.map((v) => u64_from_bigint(v) as number);
    expect(enc[0]).toBe(ULONG_MAX);
    top.forEach((v, i) => {
      expect(u64_to_bigint(enc[i])).toBe(v);
      expect(u64_to_hex(enc[i])).toBe('0x' + v.toString(16));
      expect(u64_is_index(enc[i])).toBe(true);
    });
    for (let i = 1; i < enc.length; i++) expect(enc[i]).toBeLessThan(enc[i - 1]);
    expect(enc[enc.length - 1]).toBe(MT_INDEX_HIGH_BASE);
    expect(u64_from_bigint(BigInt(MT_INDEX_LOW_LIMIT - 1))).toBeLessThan(MT_INDEX_HIGH_BASE);
  });

  it('computes gaps across the halves exactly', () => {
    // The gap after the last user address is ULONG_MAX - pivot, as
    // mas_leaf_max_gap() computes it.
    const pivot = 0x7ffffffff000;
    const gap = ULONG_MAX - pivot;
    expect(u64_to_bigint(gap)).toBe(2n ** 64n - 1n - BigInt(pivot));
    const low = 0x1000;
    const high = u64_from_bigint(0xfffffffffffff000n) as number;
    expect(u64_to_bigint(high - low + 1)).toBe(0xfffffffffffff000n - 0x1000n + 1n);
  });

  it('refuses the middle of the space and bad text', () => {
    expect(u64_from_bigint(2n ** 60n)).toBeNull();
    expect(u64_from_bigint(BigInt(MT_INDEX_LOW_LIMIT))).toBeNull();
    expect(u64_from_bigint(2n ** 64n)).toBeNull();
    expect(u64_from_bigint(-1n)).toBeNull();
    expect(u64_from_hex('0x')).toBeNull();
    expect(u64_from_hex('1000')).toBeNull();
    expect(u64_from_hex('0x10000000000000000')).toBeNull();
    expect(u64_from_hex('0xFFFFFFFFFFFFFFFF')).toBe(ULONG_MAX);
    expect(u64_is_index(0.5)).toBe(false);
    expect(u64_is_index(MT_INDEX_LOW_LIMIT)).toBe(false);
  });
});
