// SPDX-License-Identifier: GPL-2.0-or-later
// masReinit() leaves a state used for any walk or write as MA_STATE() makes
// a new one: the two list every field, and must stay in step.
import { describe, expect, it } from 'vitest';
import { mas_find } from './iterate';
import { MA_STATE, masReinit } from './state';
import { mas_store_gfp, mtree_store_range } from './store';
import { MTREE_INIT } from './tree';
import { ULONG_MAX } from './u64';

describe('masReinit', () => {
  it('gives a used state every field MA_STATE() gives a new one', () => {
    let mt = MTREE_INIT<number>();
    for (let i = 1; i <= 40; i++) mt = mtree_store_range(mt, i * 0x1000, i * 0x1000 + 0x7ff, i);
    const used = MA_STATE(mt, 0x5000, 0x5000, () => {});
    used.mutableFrom = 3;
    mas_find(used, ULONG_MAX);
    mas_store_gfp(used, 99);
    const fresh = MA_STATE(mt, 0x9000, 0xa000);
    expect(masReinit(used, mt, 0x9000, 0xa000)).toEqual(fresh);
    // Every field of the interface is one MA_STATE() sets.
    expect(Object.keys(used).sort()).toEqual(Object.keys(fresh).sort());
  });
});
