// SPDX-License-Identifier: GPL-2.0-or-later
// Turns a real process's maps/smaps dump into a starting address space.
import type { Diagnostic } from '../scenario/diagnostic';
import type { MapsEntry } from '../scenario/proc-maps-reader';
import { emptyMm, type MmState } from './mm';
import {
  VM_ACCOUNT,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_READ,
  VM_SHARED,
  VM_WRITE,
  vmFlagFromName,
} from './vm-flags';
import { PAGE_SIZE, type Vma } from './vma';

/** Names of mappings that a driver or the kernel installs (vm_ops->name()), not files. */
const SPECIAL = /^\[(vdso|vvar|vvar_vclock|uprobes|sigpage|vectors)\]$/;

/**
 * Builds an mm from dump entries. `[heap]` sets the brk range and `[stack]`
 * the start of the stack, as the kernel derives those names from them;
 * `[vsyscall]` is the gate area, not a VMA of the mm, and is left out.
 * Without smaps' VmFlags, the flags are what a plain mmap with those
 * permissions gives (VM_MAY* set, VM_SHARED for `s`, VM_ACCOUNT when
 * private and writable), plus VM_GROWSDOWN for `[stack]`.
 */
export function mmFromMaps(
  entries: readonly MapsEntry[],
  file = 'maps',
): { mm: MmState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  let mm: MmState = emptyMm;
  const vmas: Vma[] = [];
  for (const e of entries) {
    if (e.path === '[vsyscall]') continue;
    const flags = flagsOf(e, file, diagnostics);
    if (flags === null) continue;
    const anon =
      e.path === null || e.path === '[heap]' || e.path === '[stack]' || e.path.startsWith('[anon:');
    const special = e.path !== null && SPECIAL.test(e.path);
    const isFile = !anon && !special;
    if (e.path === '[heap]') mm = { ...mm, start_brk: e.start, brk: e.end };
    if (e.path === '[stack]') mm = { ...mm, start_stack: e.end - PAGE_SIZE };
    const hasPages = e.anonymousKb !== null && e.anonymousKb > 0;
    vmas.push({
      id: mm.nextVmaId,
      vm_start: e.start,
      vm_end: e.end,
      vm_pgoff: isFile ? e.offset / PAGE_SIZE : e.start / PAGE_SIZE,
      vm_flags: flags,
      file: isFile ? e.path : null,
      name: special || e.path?.startsWith('[anon:') ? e.path : null,
      anon_vma: hasPages ? mm.nextAnonVmaId : null,
    });
    mm = {
      ...mm,
      nextVmaId: mm.nextVmaId + 1,
      nextAnonVmaId: mm.nextAnonVmaId + (hasPages ? 1 : 0),
    };
  }
  return { mm: { ...mm, vmas }, diagnostics };
}

function flagsOf(e: MapsEntry, file: string, diagnostics: Diagnostic[]): number | null {
  if (e.vmFlags === null) {
    const [r, w, x, s] = e.perms;
    let flags =
      (r === 'r' ? VM_READ : 0) |
      (w === 'w' ? VM_WRITE : 0) |
      (x === 'x' ? VM_EXEC : 0) |
      (s === 's' ? VM_SHARED | VM_MAYSHARE : 0) |
      VM_MAYREAD |
      VM_MAYWRITE |
      VM_MAYEXEC;
    // mm/vma.c: accountable_mapping() charges private writable memory.
    if ((flags & (VM_SHARED | VM_WRITE)) === VM_WRITE) flags |= VM_ACCOUNT;
    if (e.path === '[stack]') flags |= VM_GROWSDOWN;
    return flags >>> 0;
  }
  let flags = 0;
  for (const [k, name] of e.vmFlags.entries()) {
    const bit = vmFlagFromName(name);
    if (bit === undefined) {
      diagnostics.push({
        file,
        line: e.vmFlagsAt?.line ?? e.line,
        column: e.vmFlagsAt?.columns[k] ?? 1,
        message: `VmFlags name '${name}' is not modelled yet`,
        text: name,
      });
      return null;
    }
    flags |= bit;
  }
  return flags >>> 0;
}
