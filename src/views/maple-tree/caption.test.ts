// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { describeWritePaths } from './caption';

describe('maple tree caption', () => {
  it('puts the kernel’s write path beside the model’s, and says whether they are the same', () => {
    expect(describeWritePaths(['mas_store_prealloc'], ['mas_store_prealloc'])).toBe(
      "this call's writes: model mas_store_prealloc; kernel mas_store_prealloc (the same)",
    );
    expect(describeWritePaths([], ['mas_store_prealloc', 'mas_wr_node_store'])).toBe(
      "this call's writes: model none; kernel mas_store_prealloc → mas_wr_node_store (different)",
    );
  });
});
