// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: how a merge shows in the trace. No kernel code stands
// behind it: the kernel's vma_merge_struct carries no reasons; the model
// records each predicate's verdict so that the views can say why a merge
// did or did not happen.
import type { Ctx } from './ctx';
import type { Vma } from './mm_types';
import { vmFlagNames } from './vm-flags';
import type { VmaMergeStruct } from './vma';
import type { PredicateResult, VmgView } from '../trace/events';
import { addressHex, flat, vmaIdName } from '../trace/strings';

export const vmaName = (v: Vma | null): string | null => (v === null ? null : vmaIdName(v.id));
export const avName = (av: number | null): string => (av === null ? 'none' : `av${av}`);

/** A value per flags value and VM_SEALED, made once: a run uses a few flag combinations. */
class ByFlags<T> {
  private readonly cache = [new Map<number, T>(), new Map<number, T>()];

  constructor(private readonly make: (flags: number, sealed: boolean) => T) {}

  get(flags: number, sealed: boolean): T {
    const cache = this.cache[sealed ? 1 : 0];
    let value = cache.get(flags);
    if (value === undefined) {
      if (cache.size >= 1024) cache.clear();
      value = this.make(flags, sealed);
      cache.set(flags, value);
    }
    return value;
  }
}

/**
 * vmFlagNames(), one list per flags value shared by every merge step that
 * shows it (a traced run keeps them all). Frozen: nobody may change a list
 * another step shows.
 */
const flagNames = new ByFlags(
  (flags, sealed) => Object.freeze(vmFlagNames(flags, sealed)) as string[],
);

/** The flag names as a predicate's reason prints them. */
const flagNameWords = new ByFlags((flags, sealed) => flagNames.get(flags, sealed).join(' '));

/**
 * The merge state as the views show it; `state` and `anon_vma` as given
 * (a decision shows the ones its verdict leaves). Strings flat: a traced
 * run keeps every view.
 */
function buildVmgView(vmg: VmaMergeStruct, state: string, anon_vma: string | null): VmgView {
  return {
    prev: vmaName(vmg.prev),
    middle: vmaName(vmg.middle),
    next: vmaName(vmg.next),
    target: vmaName(vmg.target),
    start: addressHex(vmg.start),
    end: addressHex(vmg.end),
    pgoff: vmg.pgoff,
    flags: flagNames.get(vmg.vm_flags, vmg.sealed),
    anon_vma,
    file: vmg.file,
    state,
  };
}

/** The list every step without predicates shows (frozen: nobody may add to it). */
const NO_PREDICATES = Object.freeze([]) as unknown as PredicateResult[];

/**
 * The predicates so far, as a step keeps them: a copy of their exact length
 * (the list a merge grows by push() keeps spare room, 17 slots after the
 * first; a traced run keeps every step's), which later verdicts of the same
 * merge do not change.
 */
function predicatesNow(vmg: VmaMergeStruct): PredicateResult[] {
  const list = vmg.predicates;
  return list === null || list.length === 0 ? NO_PREDICATES : list.slice();
}

/** The merge state as the views show it. */
export function vmgView(vmg: VmaMergeStruct): VmgView {
  return buildVmgView(vmg, vmg.state, vmg.anon_vma === null ? null : `av${vmg.anon_vma}`);
}

/** Records a predicate's result (the reason is only worked out when tracing). */
export function note(
  vmg: VmaMergeStruct,
  fn: string,
  vma: Vma | null,
  pass: boolean,
  reason: string | NoteReason,
): boolean {
  if (vmg.predicates !== null) {
    vmg.predicates.push({
      fn,
      vma: vmaName(vma),
      pass,
      reason: flat(typeof reason === 'string' ? reason : reason(vmg, vma as Vma)),
    });
  }
  return pass;
}

/**
 * A predicate's reason, worked out only when the merge is traced, from the
 * merge state and the VMA the predicate looked at. A module-level function,
 * not a closure over the predicate's locals: a closure made a context and a
 * function object on every check of an untraced run, too.
 */
export type NoteReason = (vmg: VmaMergeStruct, vma: Vma) => string;

/** The flags as /proc names them, with the protection key. */
export function flagWords(flags: number, pkey: number, sealed: boolean): string {
  const n = flagNameWords.get(flags, sealed);
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
  const view = buildVmgView(vmg, 'VMA_MERGE_SUCCESS', anon_vma === null ? null : avName(anon_vma));
  return { vmg: view, predicates: predicatesNow(vmg) };
}

/** The merge state and predicates a traced step carries (nothing when not tracing). */
export function vmgTrace(
  ctx: Ctx,
  vmg: VmaMergeStruct,
): { vmg?: VmgView; predicates?: PredicateResult[] } {
  if (!ctx.tracing) return {};
  return { vmg: vmgView(vmg), predicates: predicatesNow(vmg) };
}
