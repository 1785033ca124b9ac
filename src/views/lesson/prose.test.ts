// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { proseParts } from './prose';

describe('proseParts', () => {
  it('marks every run between backquotes as code', () => {
    expect(proseParts('`vma_expand` grows `vma1` over it')).toEqual([
      { text: 'vma_expand', code: true },
      { text: ' grows ', code: false },
      { text: 'vma1', code: true },
      { text: ' over it', code: false },
    ]);
  });

  it('keeps an unmatched backquote as text', () => {
    expect(proseParts('a `b` c ` d')).toEqual([
      { text: 'a ', code: false },
      { text: 'b', code: true },
      { text: ' c ` d', code: false },
    ]);
  });
});
