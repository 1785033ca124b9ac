// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: the strings a traced run keeps (a message per step, the
// names and numbers of its events), made flat and shared. A string built by
// `+` or a template literal is a tree of its pieces (V8's ConsString), each
// piece an object of its own; a traced run keeps every step, so it keeps
// every piece, and the garbage collector copies and marks them all.

import { hex } from '../mm/mm_types';

/**
 * `s`, flat: reading a character makes V8 flatten a ConsString into one
 * sequential string (the pieces become garbage). The same string to
 * JavaScript; only its layout in memory changes.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * One string per key however many events print it: a run prints the same
 * few node bounds and names again and again, and a shared string is cheaper
 * to keep (every event and step is kept) than a new one each time.
 * Direct-mapped: a key has one slot, a hit is two array reads, and a key
 * that takes the slot of another replaces it (the memory stays bounded).
 */
export class StringCache {
  private static readonly BITS = 13;
  private readonly keys = new Float64Array(1 << StringCache.BITS).fill(NaN);
  private readonly texts = new Array<string>(1 << StringCache.BITS).fill('');

  constructor(private readonly make: (key: number) => string) {}

  /**
   * A key's slot: its two 32-bit halves mixed by multiplication, the top
   * bits kept, so page-aligned addresses spread over every slot. (`key %
   * 8191` did too, but a remainder of a number above 2^31 is a floating-point
   * fmod(): 2.7% of a traced run.)
   */
  private static slot(key: number): number {
    const lo = key >>> 0;
    const hi = (key / 0x1_0000_0000) >>> 0;
    return Math.imul(lo ^ Math.imul(hi, 0x9e3779b1), 0x85ebca6b) >>> (32 - StringCache.BITS);
  }

  get(key: number): string {
    const slot = StringCache.slot(key);
    if (this.keys[slot] === key) return this.texts[slot];
    const s = this.make(key);
    this.keys[slot] = key;
    this.texts[slot] = s;
    return s;
  }
}

const vmaNames = new StringCache((id) => `vma${id}`);

/** `vma<id>`, the name the views and the event log give VMA `id`. */
export const vmaIdName = (id: number): string => vmaNames.get(id);

const addresses = new StringCache((address) => flat(hex(address)));

/**
 * An address as the messages print it (`0x7f...`), made once while it
 * recurs: a call's steps print the same few VMA boundaries again and again.
 */
export const addressHex = (address: number): string => addresses.get(address);
