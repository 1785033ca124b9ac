// SPDX-License-Identifier: GPL-2.0-or-later
// The scratch holder (scratch.ts) is replaced every MT_SCRATCH_RENEW writes;
// writes across a replacement must read and leave everything as before.
import { describe, expect, it } from 'vitest';
import { MT_SCRATCH_RENEW, mtScratch } from './scratch';
import { mtWrittenLeaf } from './store';
import { MTREE_INIT, mt_dump_json, mt_validate, mtree_load, mtree_store_range } from './index';
import type { MapleTree } from './tree';
import { xorshift } from '../../testing/xorshift';

/** Random one-page stores over 3,000 pages, in place after the first ids. */
function run(writes: number, mutableFrom: number): MapleTree<number> {
  let tree: MapleTree<number> = MTREE_INIT();
  const rnd = xorshift(777);
  for (let i = 0; i < writes; i++) {
    const a = rnd(3000) * 0x1000;
    tree = mtree_store_range(tree, a, a + 0xfff, rnd(4) === 0 ? null : i + 1, null, mutableFrom);
  }
  return tree;
}

describe('scratch holder renewal', () => {
  it('replaces the holder every MT_SCRATCH_RENEW writes', () => {
    const before = mtScratch;
    run(MT_SCRATCH_RENEW * 2 + 5, 0);
    expect(mtScratch).not.toBe(before);
    expect(mtScratch.writes).toBeLessThan(MT_SCRATCH_RENEW);
  });

  it('gives the same trees across renewals, in place and copying', () => {
    const writes = MT_SCRATCH_RENEW * 2 + 300;
    const inPlace = run(writes, 0);
    const copying = run(writes, Infinity);
    mt_validate(inPlace);
    mt_validate(copying);
    expect(mt_dump_json(inPlace, 0)).toBe(mt_dump_json(copying, 0));
  });

  it('keeps the last written leaf through a renewal', () => {
    let tree: MapleTree<number> = MTREE_INIT();
    // Stop right after a write that renews the holder, late enough that
    // the writes are exact fits over the 500 ranges, one leaf each.
    const writes = MT_SCRATCH_RENEW - mtScratch.writes + MT_SCRATCH_RENEW;
    for (let i = 0; i < writes; i++) {
      const a = (i % 500) * 0x2000;
      tree = mtree_store_range(tree, a, a + 0xfff, i + 1, null, 0);
    }
    expect(mtScratch.writes).toBe(0);
    const last = ((writes - 1) % 500) * 0x2000;
    const leaf = mtWrittenLeaf<number>();
    expect(leaf).not.toBeNull();
    const at = leaf!.pivots.findIndex((p, i) => i < leaf!.end && p >= last);
    expect(leaf!.slots[at === -1 ? leaf!.end : at]).toBe(mtree_load(tree, last));
  });
});
