// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: how a merge shows in the trace. No kernel code stands
// behind it: the kernel's vma_merge_struct carries no reasons; the model
// records each predicate's verdict so that the views can say why a merge
// did or did not happen.
import type { Ctx } from './ctx';
import { type Vma, hex } from './mm_types';
import { vmFlagNames } from './vm-flags';
import type { VmaMergeStruct } from './vma';
import type { PredicateResult, VmgView } from '../trace/events';

export const vmaName = (v: Vma | null): string | null => (v === null ? null : `vma${v.id}`);
export const avName = (av: number | null): string => (av === null ? 'none' : `av${av}`);

/** The merge state as the views show it. */
export function vmgView(vmg: VmaMergeStruct): VmgView {
  return {
    prev: vmaName(vmg.prev),
    middle: vmaName(vmg.middle),
    next: vmaName(vmg.next),
    target: vmaName(vmg.target),
    start: hex(vmg.start),
    end: hex(vmg.end),
    pgoff: vmg.pgoff,
    flags: vmFlagNames(vmg.vm_flags, vmg.sealed),
    anon_vma: vmg.anon_vma === null ? null : `av${vmg.anon_vma}`,
    file: vmg.file,
    state: vmg.state,
  };
}

/** Records a predicate's result (the reason is only worked out when tracing). */
export function note(
  vmg: VmaMergeStruct,
  fn: string,
  vma: Vma | null,
  pass: boolean,
  reason: string | (() => string),
): boolean {
  if (vmg.predicates !== null) {
    vmg.predicates.push({
      fn,
      vma: vmaName(vma),
      pass,
      reason: typeof reason === 'string' ? reason : reason(),
    });
  }
  return pass;
}

/** The flags as /proc names them, with the protection key. */
export function flagWords(flags: number, pkey: number, sealed: boolean): string {
  const n = vmFlagNames(flags, sealed).join(' ');
  return pkey ? `${n} pkey${pkey}` : n;
}

/**
 * What a merge decision carries: the merge state as the verdict leaves it,
 * so that it agrees with the predicates beside it — the merge succeeds and
 * the range lives on in a VMA with `anon_vma` (the target's, or the one
 * dup_anon_vma() gives it). The kernel's vmg->anon_vma stays the range's
 * own; a reader asks which anon_vma the merged range uses.
 */
export function vmgDecisionTrace(
  ctx: Ctx,
  vmg: VmaMergeStruct,
  anon_vma: number | null,
): { vmg?: VmgView; predicates?: PredicateResult[] } {
  if (!ctx.tracing) return {};
  const view: VmgView = {
    ...vmgView(vmg),
    state: 'VMA_MERGE_SUCCESS',
    anon_vma: anon_vma === null ? null : avName(anon_vma),
  };
  return { vmg: view, predicates: vmg.predicates ?? [] };
}

/** The merge state and predicates a traced step carries (nothing when not tracing). */
export function vmgTrace(
  ctx: Ctx,
  vmg: VmaMergeStruct,
): { vmg?: VmgView; predicates?: PredicateResult[] } {
  if (!ctx.tracing) return {};
  return { vmg: vmgView(vmg), predicates: vmg.predicates ?? [] };
}
