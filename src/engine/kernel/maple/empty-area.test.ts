// SPDX-License-Identifier: GPL-2.0-or-later
// mas_empty_area() / mas_empty_area_rev() and the state they leave, with the
// results the kernel's own lib/maple_tree.c gave for the same trees and calls.
import { describe, expect, it } from 'vitest';
import {
  EBUSY,
  EINVAL,
  MA_STATE,
  MTREE_INIT,
  ULONG_MAX,
  ma_overflow,
  mas_empty_area,
  mas_empty_area_rev,
  mas_next,
  mas_prev,
  mtree_store_range,
  u64_from_hex,
  type MapleTree,
} from './index';

const h = (text: string): number => u64_from_hex(text) as number;

/** Three VMAs: [0x1000, 0x1fff], [0x5000, 0x5fff], [0x9000, 0xafff]. */
function three(): MapleTree<number> {
  let t: MapleTree<number> = MTREE_INIT();
  t = mtree_store_range(t, 0x1000, 0x1fff, 1);
  t = mtree_store_range(t, 0x5000, 0x5fff, 2);
  return mtree_store_range(t, 0x9000, 0xafff, 3);
}

function search(tree: MapleTree<number>, rev: boolean, min: number, max: number, size: number) {
  const mas = MA_STATE(tree, 0, 0);
  const ret = rev ? mas_empty_area_rev(mas, min, max, size) : mas_empty_area(mas, min, max, size);
  return { ret, range: [mas.index, mas.last], mas };
}

describe('mas_empty_area and mas_empty_area_rev', () => {
  it('find the highest and lowest fit as the kernel does', () => {
    const t = three();
    expect(search(t, true, 0, ULONG_MAX, 0x1000)).toMatchObject({
      ret: 0,
      range: [h('0xfffffffffffff000'), ULONG_MAX],
    });
    expect(search(t, true, 0, 0x8fff, 0x2000)).toMatchObject({ ret: 0, range: [0x7000, 0x8fff] });
    expect(search(t, true, 0, 0x8fff, 0x4000).ret).toBe(-EBUSY);
    expect(search(t, true, 0x2000, 0x4fff, 0x4000).ret).toBe(-EINVAL);
    expect(search(t, false, 0x1000, 0xffff, 0x3000)).toMatchObject({
      ret: 0,
      range: [0x2000, 0x4fff],
    });
    expect(search(t, false, 0, ULONG_MAX, 0x1000)).toMatchObject({ ret: 0, range: [0, 0xfff] });
  });

  it('leave the state where mas_next() and mas_prev() carry on from', () => {
    const t = three();
    const up = search(t, true, 0, 0x8fff, 0x2000).mas;
    expect(mas_next(up, ULONG_MAX)).toBe(3);
    expect([up.index, up.last]).toEqual([0x9000, 0xafff]);
    expect(mas_next(up, ULONG_MAX)).toBeNull();
    expect(up.status).toBe(ma_overflow);
    const down = search(t, true, 0, 0x8fff, 0x2000).mas;
    expect(mas_prev(down, 0)).toBe(2);
    // The kernel ends the previous range one below the area found, not at
    // the entry's own end: mas_prev_slot() sets last = index - 1.
    expect([down.index, down.last]).toEqual([0x5000, 0x6fff]);
    expect(mas_prev(down, 0)).toBe(1);
    expect([down.index, down.last]).toEqual([0x1000, 0x1fff]);
  });

  it('skip a slot starting at 0 in a [0, ULONG_MAX] top-down search, as the kernel does', () => {
    // mas_rev_awalk() tests `size <= mas->last - min + 1`, which wraps to 0
    // for the whole space; the kernel then finds nothing here.
    let t: MapleTree<number> = MTREE_INIT();
    t = mtree_store_range(t, h('0xfffffffffffffff7'), h('0xfffffffffffffffa'), 1);
    t = mtree_store_range(t, h('0xffffffffffffffe4'), h('0xffffffffffffffe6'), 3);
    t = mtree_store_range(t, h('0xffffffffffffffeb'), h('0xffffffffffffffeb'), 4);
    t = mtree_store_range(t, h('0xffffffffffffffec'), h('0xffffffffffffffee'), 5);
    expect(search(t, true, 0, ULONG_MAX, 0x4000).ret).toBe(-EBUSY);
    expect(search(t, true, 0, h('0xfffffffffffffffe'), 0x4000)).toMatchObject({
      ret: 0,
      range: [h('0xffffffffffffbfe4'), h('0xffffffffffffffe3')],
    });
    expect(search(t, false, 0, ULONG_MAX, 0x4000)).toMatchObject({ ret: 0, range: [0, 0x3fff] });
  });
});
