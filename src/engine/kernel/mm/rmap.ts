// SPDX-License-Identifier: GPL-2.0-or-later
// mm/rmap.c (Linux 6.18): the anon_vma side of a VMA — giving it one before
// its first anonymous page, and taking back one a failed merge had lent it.
import type { Ctx } from './ctx';
import type { Vma } from './mm_types';
import { find_mergeable_anon_vma } from './vma';
import { type Result, ok } from '../errno';

const RMAP_C = 'mm/rmap.c';

/**
 * mm/rmap.c: __anon_vma_prepare() (Linux 6.18) — give the VMA an anon_vma
 * before its first anonymous page: a neighbour's if find_mergeable_anon_vma()
 * finds one, else a new one.
 */
export function anon_vma_prepare(ctx: Ctx, vma: Vma): Result<Vma> {
  if (vma.anon_vma !== null) return ok(vma);
  const avc = ctx.allocate('anon_vma', 'anon_vma_chain_alloc');
  if (!avc.ok) return avc;
  const reuse = find_mergeable_anon_vma(ctx, vma);
  let av = reuse;
  if (av === null) {
    const av_alloc = ctx.allocate('anon_vma', 'anon_vma_alloc');
    if (!av_alloc.ok) return av_alloc;
    av = ctx.newAnonVmaId();
    if (ctx.events !== null) {
      ctx.events.chainAlloc(vma.id, '__anon_vma_prepare', av);
      ctx.events.anonVmaAlloc(av, '__anon_vma_prepare');
    }
  } else if (ctx.events !== null) ctx.events.chainAlloc(vma.id, '__anon_vma_prepare', av);
  const got = ctx.update(vma, { anon_vma: av, anon_vma_chain: 1 });
  ctx.step('__anon_vma_prepare', RMAP_C, () =>
    reuse !== null
      ? `vma${vma.id} reuses a neighbour's anon_vma av${av} (find_mergeable_anon_vma)`
      : `vma${vma.id} gets a new anon_vma av${av}`,
  );
  return ok(got);
}

/**
 * mm/rmap.c: anon_vma_clone() (Linux 6.18), for the event log only: `dst`
 * gets a chain for each of `src`'s (the model keeps only their number), each
 * allocated by `site` (anon_vma_chain_alloc() is inlined).
 */
export function anonVmaCloneEvents(ctx: Ctx, dst: number, src: Vma, site = 'anon_vma_clone'): void {
  if (ctx.events === null || src.anon_vma === null) return;
  ctx.events.chainsClone(dst, src.id, src.anon_vma, src.anon_vma_chain, site);
}

/**
 * mm/rmap.c: unlink_anon_vmas() (Linux 6.18) — the VMA leaves the anon_vmas
 * its chain links and drops its anon_vma pointer: a merge that took one with
 * dup_anon_vma() and then failed is left as it was before.
 */
export function unlink_anon_vmas(ctx: Ctx, vma: Vma): Vma {
  if (ctx.events !== null) ctx.events.chainsFree(vma.id);
  const got = ctx.update(vma, { anon_vma: null, anon_vma_chain: 0 });
  ctx.step(
    'unlink_anon_vmas',
    RMAP_C,
    () => `vma${vma.id} gives back av${vma.anon_vma}: the merge failed`,
  );
  return got;
}
