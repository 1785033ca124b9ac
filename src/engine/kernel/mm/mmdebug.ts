// SPDX-License-Identifier: GPL-2.0-or-later
// include/linux/mmdebug.h (Linux 6.18): the VM_WARN_ON() family, which
// CONFIG_DEBUG_VM turns on. The kernel prints the warning with the state
// involved (dump_vmg(), dump_vma()) and carries on; the model stops the call
// with a VmWarning that carries the same state, so that a broken assumption
// of the kernel's code never goes by unnoticed in a test.
import { vmaLabel, type Vma } from './mm_types';

/** A VMA, a merge state or any other value the warning names. */
export type WarnState = Readonly<Record<string, unknown>>;

/** A kernel warning that fired: which macro, what it checks, and the state. */
export class VmWarning extends Error {
  constructor(
    readonly macro: string,
    readonly what: string,
    readonly state: WarnState,
  ) {
    super(`${macro}(${what})${describe(state)}`);
    this.name = 'VmWarning';
  }
}

function isVma(v: unknown): v is Vma {
  return typeof v === 'object' && v !== null && 'vm_start' in v && 'vm_end' in v && 'id' in v;
}

/** The state as one line: VMAs by label, merge states by their range and VMAs. */
function describe(state: WarnState): string {
  const parts = Object.entries(state).map(([k, v]) => {
    if (isVma(v)) return `${k}=${vmaLabel(v)}`;
    if (typeof v === 'object' && v !== null) {
      const fields = Object.entries(v)
        .filter(([, f]) => f === null || typeof f !== 'object' || isVma(f))
        .map(([fk, f]) => `${fk}: ${isVma(f) ? vmaLabel(f) : String(f)}`);
      return `${k}={ ${fields.join(', ')} }`;
    }
    return `${k}=${String(v)}`;
  });
  return parts.length ? `: ${parts.join('; ')}` : '';
}

function warn(macro: string, cond: boolean, what: string, state: WarnState): boolean {
  if (cond) throw new VmWarning(macro, what, state);
  return cond;
}

/** include/linux/mmdebug.h: VM_WARN_ON() — `cond` true is a bug. */
export function VM_WARN_ON(cond: boolean, what: string, state: WarnState = {}): boolean {
  return warn('VM_WARN_ON', cond, what, state);
}

/** include/linux/mmdebug.h: VM_WARN_ON_VMG() — with the merge state dumped. */
export function VM_WARN_ON_VMG(cond: boolean, what: string, vmg: object): boolean {
  return warn('VM_WARN_ON_VMG', cond, what, { vmg });
}

/** include/linux/mmdebug.h: VM_BUG_ON_VMA() — with the VMA dumped. */
export function VM_BUG_ON_VMA(cond: boolean, what: string, vma: Vma): boolean {
  return warn('VM_BUG_ON_VMA', cond, what, { vma });
}

/** include/asm-generic/bug.h: BUG_ON() — where the kernel would stop outright. */
export function BUG_ON(cond: boolean, what: string, state: WarnState = {}): boolean {
  return warn('BUG_ON', cond, what, state);
}

/** include/asm-generic/bug.h: WARN_ON(), which mm code uses outside CONFIG_DEBUG_VM too. */
export function WARN_ON(cond: boolean, what: string, state: WarnState = {}): boolean {
  return warn('WARN_ON', cond, what, state);
}
