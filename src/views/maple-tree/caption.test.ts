// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { describeCallChanges, describeWritePaths } from './caption';

describe('maple tree caption', () => {
  it('puts the kernel’s write path beside the model’s, and says whether they are the same', () => {
    expect(describeWritePaths(['mas_store_prealloc'], ['mas_store_prealloc'])).toBe(
      "this call's writes: model mas_store_prealloc; kernel mas_store_prealloc (the same)",
    );
    expect(describeWritePaths([], ['mas_store_prealloc', 'mas_wr_node_store'])).toBe(
      "this call's writes: model none; kernel mas_store_prealloc → mas_wr_node_store (different)",
    );
  });

  it('counts the nodes a whole call wrote, and names each with its function', () => {
    const c = {
      storeTypes: ['wr_split_store', 'wr_node_store'] as const,
      walked: [],
      created: [
        { id: 83, by: 'mas_split' },
        { id: 93, by: 'mas_split' },
        { id: 92, by: 'mas_wr_node_store' },
      ],
      written: [{ id: 7, by: 'mas_put_in_tree' }],
      freed: [82, 55],
      splits: [],
      rebalances: [],
      height: null,
    };
    expect(describeCallChanges({ ...c, storeTypes: [...c.storeTypes] })).toBe(
      'the call wrote 4 nodes (stores wr_split_store, wr_node_store): mas_split built nodes 83, 93; ' +
        'mas_wr_node_store built node 92; mas_put_in_tree wrote in place node 7; freed nodes 82, 55',
    );
    expect(describeCallChanges(null)).toBe('the call did not write the tree');
  });
});
