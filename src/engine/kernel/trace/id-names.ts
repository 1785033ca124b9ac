// SPDX-License-Identifier: GPL-2.0-or-later
// Maple node id -> the kernel-identity name the event log gives it.
// Simulator-only code.

/**
 * A map from node ids (integers from 1) to names, for the event log's
 * renamed nodes. It holds a few thousand entries and every traced write
 * replaces several: the copy of each node the kernel changes in place takes
 * its name (a set) and the original leaves the tree (a delete). A Map's
 * deletes leave holes, and it rehashed its whole table every few thousand
 * writes: about 6% of a traced run on a 60,000-VMA space. This table probes
 * linearly and deletes by shifting the entries after the hole back, so it
 * never fills with holes; it only grows.
 */
export class IdNames {
  /** Ids by slot; 0 marks an empty slot. */
  private ids = new Int32Array(64);
  private names: (string | undefined)[] = new Array<string | undefined>(64).fill(undefined);
  private count = 0;

  /** 32 - log2(the table's size): the hash keeps the product's top bits. */
  private shift = 26;

  /** Fibonacci hashing: the top bits of id * 2^32 / phi. */
  private home(id: number): number {
    return Math.imul(id, 0x9e3779b1) >>> this.shift;
  }

  /** The slot holding `id`, or the empty slot where it would go. */
  private slot(id: number): number {
    const mask = this.ids.length - 1;
    let i = this.home(id);
    while (this.ids[i] !== 0 && this.ids[i] !== id) i = (i + 1) & mask;
    return i;
  }

  get size(): number {
    return this.count;
  }

  get(id: number): string | undefined {
    return this.names[this.slot(id)];
  }

  set(id: number, name: string): void {
    if (!Number.isInteger(id) || id < 1 || id > 0x7fff_ffff) throw new RangeError(`node id ${id}`);
    let i = this.slot(id);
    if (this.ids[i] === 0) {
      if (2 * (this.count + 1) > this.ids.length) {
        this.grow();
        i = this.slot(id);
      }
      this.ids[i] = id;
      this.count++;
    }
    this.names[i] = name;
  }

  delete(id: number): void {
    const mask = this.ids.length - 1;
    let hole = this.slot(id);
    if (this.ids[hole] === 0) return;
    // Move back every entry of the run after the hole that may sit there:
    // one whose home is not cyclically within (hole, j].
    for (let j = (hole + 1) & mask; this.ids[j] !== 0; j = (j + 1) & mask) {
      const home = this.home(this.ids[j]);
      if (hole <= j ? home > hole && home <= j : home > hole || home <= j) continue;
      this.ids[hole] = this.ids[j];
      this.names[hole] = this.names[j];
      hole = j;
    }
    this.ids[hole] = 0;
    this.names[hole] = undefined;
    this.count--;
  }

  clear(): void {
    if (this.count === 0) return;
    this.ids.fill(0);
    this.names.fill(undefined);
    this.count = 0;
  }

  /** Every id with its name, in no particular order. */
  *entries(): Generator<[number, string]> {
    for (let i = 0; i < this.ids.length; i++)
      if (this.ids[i] !== 0) yield [this.ids[i], this.names[i] as string];
  }

  private grow(): void {
    const ids = this.ids;
    const names = this.names;
    this.ids = new Int32Array(ids.length * 2);
    this.shift--;
    this.names = new Array<string | undefined>(ids.length * 2).fill(undefined);
    this.count = 0;
    for (let i = 0; i < ids.length; i++) if (ids[i] !== 0) this.set(ids[i], names[i] as string);
  }
}
