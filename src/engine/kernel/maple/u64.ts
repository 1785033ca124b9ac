// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Indices, pivots and gaps are `unsigned long` (64 bit) in the kernel. We keep
 * them as plain JS numbers so that every comparison and every `+ 1` / `- 1`
 * in the ported code stays a machine operation, and we make that exact with
 * one order-preserving encoding:
 *
 *   value v in [0, 2^52)              is the number v itself
 *   value v in [2^64 - 2^52, 2^64)    is the number v - (2^64 - 2^53)
 *
 * so 0 is 0 and ULONG_MAX (0xffffffffffffffff) is 2^53 - 1. Both halves are
 * exact doubles, `<` orders them as unsigned longs do, and the arithmetic the
 * tree does (a pivot + 1, an index - 1, a gap `last - first + 1`) gives the
 * encoding of the true result whenever that result lies in one of the halves.
 *
 * Indices given to the tree must be below 2^51 (every user address of x86-64
 * with 4-level paging, whose user space ends at 2^47) or at least 2^64 - 2^51
 * (the top of the space, where the kernel's own tests and the golden
 * `edge-top` case live). That leaves room for `± 1` and makes every gap (a
 * difference of two such indices) land in a representable half. Values
 * between the halves are refused at the boundary (`u64_from_bigint` returns
 * null); among user addresses that only excludes 5-level paging's upper
 * range (2^51 to 2^56).
 *
 * For indices below 2^51 the encoding is the identity: callers that hold
 * ordinary addresses pass them unchanged.
 */

/** The encoding of 0xffffffffffffffff. */
export const ULONG_MAX = 2 ** 53 - 1;

/** Indices below this are accepted as themselves. */
export const MT_INDEX_LOW_LIMIT = 2 ** 51;

const HALF = 2 ** 52;
const SHIFT = 2n ** 64n - 2n ** 53n;
const TOP_LIMIT = 2n ** 64n - 2n ** 51n;
const U64_MAX = 2n ** 64n - 1n;

/** The smallest encoded index of the top half (2^64 - 2^51). */
export const MT_INDEX_HIGH_BASE = Number(TOP_LIMIT - SHIFT);

/** Whether an encoded number is a valid tree index. */
export function u64_is_index(n: number): boolean {
  return (
    Number.isInteger(n) &&
    ((n >= 0 && n < MT_INDEX_LOW_LIMIT) || (n >= MT_INDEX_HIGH_BASE && n <= ULONG_MAX))
  );
}

/** Encode an unsigned 64-bit index; null when it lies in the refused middle. */
export function u64_from_bigint(v: bigint): number | null {
  if (v < 0n || v > U64_MAX) return null;
  if (v < BigInt(MT_INDEX_LOW_LIMIT)) return Number(v);
  if (v >= TOP_LIMIT) return Number(v - SHIFT);
  return null;
}

/** Decode any encoded value (index, pivot or gap) to its 64-bit value. */
export function u64_to_bigint(n: number): bigint {
  if (n < HALF) return BigInt(n);
  return BigInt(n) + SHIFT;
}

/** Parse `0x...` (lowercase or uppercase hex digits) into an encoded index. */
export function u64_from_hex(text: string): number | null {
  if (!/^0x[0-9a-fA-F]{1,16}$/.test(text)) return null;
  return u64_from_bigint(BigInt(text));
}

/** Lowercase hex with `0x` and no leading zeros, as the golden dumps print. */
export function u64_to_hex(n: number): string {
  if (n < HALF) return '0x' + n.toString(16);
  return '0x' + (BigInt(n) + SHIFT).toString(16);
}
