// SPDX-License-Identifier: GPL-2.0-or-later
// kernel/fork.c / mm/mmap.c: dup_mmap() (Linux 6.18) — the address space a
// forked child starts with; the scenario continues in the child.
import { err, ok, type Result } from './errno';
import type { Ctx } from './mm/ctx';
import { vmaList } from './mm/mm-snapshot';
import { security_vm_enough_memory_mm } from './mm/util';
import {
  VM_ACCOUNT,
  VM_DONTCOPY,
  VM_LOCKED_MASK,
  VM_NOHUGEPAGE,
  VM_WIPEONFORK,
} from './mm/vm-flags';
import { PAGE_SIZE, vma_pages, type Vma } from './mm/mm_types';
import { vm_stat_account } from './mm/vma';
import { NO_GUARDS, guardsAdd, guardsWithin } from './mm/guards';
import { vma_iter_store_overwrite, vma_iter_clear } from './mm/vma_iter';

/**
 * dup_mmap(): the tree is duplicated (__mt_dup()), then each VMA is replaced
 * by its copy, or erased for MADV_DONTFORK. Copies lose VM_LOCKED; a copy of
 * a VMA with an anon_vma gets its own anon_vma linked to the parent's
 * (anon_vma_fork()), so its chain is not singular; MADV_WIPEONFORK copies
 * start empty.
 */
export function dup_mmap(ctx: Ctx): Result<number> {
  const parent = vmaList(ctx.mm);
  // Each accounted VMA the child copies is charged again; the first charge
  // refused fails the fork with ENOMEM and the parent goes on unchanged (the
  // half-built child is thrown away), so check them all before copying.
  let charged = 0;
  for (const mpnt of parent) {
    if (mpnt.vm_flags & VM_DONTCOPY || !(mpnt.vm_flags & VM_ACCOUNT)) continue;
    const len = vma_pages(mpnt);
    if (!security_vm_enough_memory_mm(ctx, len, 'dup_mmap', charged)) return err('ENOMEM');
    charged += len;
  }
  ctx.set({
    locked_vm: 0,
    def_flags: ctx.cur.def_flags & VM_NOHUGEPAGE,
  });
  let keptGuards = NO_GUARDS;
  for (const mpnt of parent) {
    if (mpnt.vm_flags & VM_DONTCOPY) {
      vma_iter_clear(ctx, mpnt.vm_start, mpnt.vm_end);
      ctx.set({ map_count: ctx.cur.map_count - 1 });
      vm_stat_account(ctx, mpnt.vm_flags, -vma_pages(mpnt));
      ctx.step('dup_mmap', 'kernel/fork.c', () => `vma${mpnt.id} is MADV_DONTFORK: not copied`);
      continue;
    }
    let anon_vma: number | null = null;
    let chain = 0;
    if (!(mpnt.vm_flags & VM_WIPEONFORK) && mpnt.anon_vma !== null) {
      anon_vma = ctx.newAnonVmaId();
      chain = mpnt.anon_vma_chain + 1;
    }
    const tmp: Vma = {
      ...mpnt,
      id: ctx.newVmaId(),
      vm_flags: (mpnt.vm_flags & ~VM_LOCKED_MASK) >>> 0,
      anon_vma,
      anon_vma_chain: chain,
    };
    vma_iter_store_overwrite(ctx, tmp);
    if (!(mpnt.vm_flags & VM_WIPEONFORK)) {
      const kept = guardsWithin(ctx.cur.guards, mpnt.vm_start / PAGE_SIZE, mpnt.vm_end / PAGE_SIZE);
      for (let k = 0; k < kept.length; k += 2)
        keptGuards = guardsAdd(keptGuards, kept[k], kept[k + 1]);
    }
  }
  ctx.set({ guards: keptGuards });
  ctx.step('dup_mmap', 'kernel/fork.c', () => `the child has ${ctx.cur.map_count} VMAs`);
  return ok(0);
}
