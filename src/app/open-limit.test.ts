// SPDX-License-Identifier: GPL-2.0-or-later
// The app reads no file larger than a link may carry: what is opened can be
// shared and reopened.
import { describe, expect, it } from 'vitest';
import { MAX_OPEN_BYTES } from '../views/scenario/OpenFile';
import { MAX_INFLATED_BYTES } from './packing';

describe('the file size limit', () => {
  it('is the limit of a link', () => {
    expect(MAX_OPEN_BYTES).toBe(MAX_INFLATED_BYTES);
  });
});
