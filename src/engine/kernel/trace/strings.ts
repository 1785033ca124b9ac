// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: the strings a traced run keeps (a message per step, the
// names and numbers of its events), made flat and shared. A string built by
// `+` or a template literal is a tree of its pieces (V8's ConsString), each
// piece an object of its own; a traced run keeps every step, so it keeps
// every piece, and the garbage collector copies and marks them all.

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
  /** 8191, prime: page-aligned addresses and their last bytes spread over every slot. */
  private static readonly SLOTS = 8191;
  private readonly keys = new Float64Array(StringCache.SLOTS).fill(NaN);
  private readonly texts = new Array<string>(StringCache.SLOTS).fill('');

  constructor(private readonly make: (key: number) => string) {}

  get(key: number): string {
    const slot = Math.abs(key % StringCache.SLOTS);
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
