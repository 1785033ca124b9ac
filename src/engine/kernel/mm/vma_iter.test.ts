// SPDX-License-Identifier: GPL-2.0-or-later
// The lookups of vma_iter.ts answer from the leaf the last one ended in when
// they can (the stand-in for the kernel's iterator position): every answer
// must be the one a walk from the root gives, in untraced contexts whose
// writes change unpublished nodes in place as much as in traced ones.
import { describe, expect, it } from 'vitest';
import { mas_find, mas_find_rev } from '../maple/iterate';
import { MA_STATE } from '../maple/state';
import { ULONG_MAX } from '../maple/u64';
import { mtree_load } from '../maple/walk';
import { AllocCounter, Ctx } from './ctx';
import { emptyMm } from './mm-snapshot';
import { PAGE_SIZE, vma_init, type Vma } from './mm_types';
import { xorshift } from '../../testing/xorshift';
import { VM_READ } from './vm-flags';
import {
  find_vma,
  find_vma_intersection,
  vma_iter_clear,
  vma_iter_store_new,
  vma_lookup,
  vma_prev,
} from './vma_iter';

const BASE = 0x7f00_0000_0000;
const PAGES = 2_000;

/**
 * find_vma(), vma_prev(), vma_lookup() and find_vma_intersection() over
 * [addr, end) as a fresh walk from the root answers them: the last is
 * mt_find() up to end - 1, which judges by the range the tree holds the VMA
 * over (this test's stores overlap without trimming the VMAs they cover, so
 * a VMA's own vm_start may lie below that range).
 */
function walked(ctx: Ctx, addr: number, end: number): (Vma | null)[] {
  const mt = ctx.cur.mt;
  const from = MA_STATE(mt, addr, addr);
  const after = mas_find(from, ULONG_MAX);
  return [
    after,
    addr === 0 ? null : mas_find_rev(MA_STATE(mt, addr - 1, addr - 1), 0),
    mtree_load(mt, addr),
    addr < end && after !== null && from.index < end ? after : null,
  ];
}

describe('vma_iter lookups', () => {
  for (const traced of [false, true]) {
    it(`answer as a walk from the root, between writes (${traced ? 'traced' : 'untraced, in place'})`, () => {
      const ctx = new Ctx(emptyMm, traced ? () => {} : null, new AllocCounter());
      const next = xorshift(traced ? 7 : 11);
      const page = (): number => BASE + next(PAGES) * PAGE_SIZE;
      for (let i = 0; i < PAGES; i += 2)
        vma_iter_store_new(
          ctx,
          vma_init(ctx.newVmaId(), BASE + i * PAGE_SIZE, BASE + (i + 1) * PAGE_SIZE, 0, VM_READ),
        );
      // One cursor, as one operation's lookups and writes stay near each
      // other: a lookup, a write next to it, a lookup again in the same leaf.
      let cursor = page();
      const near = (): number => Math.max(BASE, cursor + (next(9) - 4) * PAGE_SIZE);
      let compared = 0;
      let missed = 0;
      for (let op = 0; op < 6_000; op++) {
        const what = next(10);
        if (what === 0) cursor = page();
        else if (what === 1) {
          const start = near();
          vma_iter_store_new(
            ctx,
            vma_init(ctx.newVmaId(), start, start + (1 + next(3)) * PAGE_SIZE, 0, VM_READ),
          );
        } else if (what === 2) {
          const start = near();
          vma_iter_clear(ctx, start, start + (1 + next(4)) * PAGE_SIZE);
        } else {
          const addr = near() + next(2) * 0x800;
          // Up to the next VMA's start, to just past it, or short of it.
          const end = addr + next(4) * PAGE_SIZE + (next(3) - 1) * 0x800;
          const want = walked(ctx, addr, end);
          const got = [
            find_vma(ctx, addr),
            vma_prev(ctx, addr),
            vma_lookup(ctx, addr),
            find_vma_intersection(ctx, addr, end),
          ];
          for (let j = 0; j < 4; j++) expect(got[j]).toBe(want[j]);
          if (want[0] !== null && want[3] === null) missed++;
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(3_000);
      // find_vma_intersection() answered both ways: a VMA past end, and one before it.
      expect(missed).toBeGreaterThan(300);
    });
  }
});
