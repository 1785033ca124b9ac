// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { elixirUrl } from './elixir';

describe('elixirUrl', () => {
  it('links a kernel function to its 6.18 definition', () => {
    expect(elixirUrl('vma_merge_new_range')).toBe(
      'https://elixir.bootlin.com/linux/v6.18/A/ident/vma_merge_new_range',
    );
  });
  it('has no link for scenario directives', () => {
    expect(elixirUrl('@note')).toBeNull();
    expect(elixirUrl('@touch')).toBeNull();
  });
});
