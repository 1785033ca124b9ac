// SPDX-License-Identifier: GPL-2.0-or-later
// Turns a real process's maps/smaps dump into a starting address space.
import type { Diagnostic } from '../scenario/diagnostic';
import type { MapsEntry } from '../scenario/proc-maps-reader';
import { MTREE_INIT } from '../kernel/maple/tree';
import { mtree_store_range } from '../kernel/maple/store';
import {
  emptyMm,
  mmFields,
  mmSnapshot,
  type MmState,
  type OpenFile,
} from '../kernel/mm/mm-snapshot';
import {
  VM_ACCOUNT,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_LOCKED,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_READ,
  VM_SHARED,
  VM_WRITE,
  vmFlagFromName,
} from '../kernel/mm/vm-flags';
import { PAGE_SIZE, vma_init, vma_pages, type Vma } from '../kernel/mm/mm_types';
import { vmStatPatch, type VmStat } from '../kernel/mm/mmap';

/** Names of mappings that a driver or the kernel installs (vm_ops->name()), not files. */
const SPECIAL = /^\[(vdso|vvar|vvar_vclock|uprobes|sigpage|vectors)\]$/;

/**
 * Builds an mm from dump entries. `[heap]` sets the brk range and `[stack]`
 * the start of the stack, as the kernel derives those names from them;
 * `[vsyscall]` is the gate area, not a VMA of the mm: it is kept as the
 * mm's gate, which /proc prints last. Device and inode stay on each VMA.
 * Without smaps' VmFlags, the flags are what a plain mmap with those
 * permissions gives (VM_MAY* set, VM_SHARED for `s`, VM_ACCOUNT when
 * private and writable), plus VM_GROWSDOWN for `[stack]`.
 */
export function mmFromMaps(
  entries: readonly MapsEntry[],
  file = 'maps',
): { mm: MmState; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const vmas: Vma[] = [];
  const fileIds = new Map<string, number>();
  let mm: Omit<MmState, 'vmas'> = mmFields(emptyMm, { start_brk: 0, brk: 0 });
  let heapSeen = false;
  for (const e of entries) {
    if (e.path === '[vsyscall]') {
      mm = { ...mm, gate: { line: e.text } };
      continue;
    }
    const got = flagsOf(e, file, diagnostics);
    if (got === null) continue;
    const [flags, sealed] = got;
    const anon =
      e.path === null || e.path === '[heap]' || e.path === '[stack]' || e.path.startsWith('[anon:');
    const special = e.path !== null && SPECIAL.test(e.path);
    const isFile = !anon && !special;
    // Several [heap] lines (a split heap): the brk range spans them all.
    if (e.path === '[heap]') {
      mm = { ...mm, start_brk: heapSeen ? mm.start_brk : e.start, brk: e.end };
      heapSeen = true;
    }
    if (e.path === '[stack]') mm = { ...mm, start_stack: e.end - PAGE_SIZE };
    const hasPages = e.anonymousKb !== null && e.anonymousKb > 0;
    const fileId = isFile ? (fileIds.get(e.path as string) ?? mm.nextFileId) : null;
    if (fileId !== null && !fileIds.has(e.path as string)) {
      fileIds.set(e.path as string, fileId);
      mm = { ...mm, nextFileId: fileId + 1 };
    }
    const anonName = e.path?.startsWith('[anon:') ? e.path.slice(6, -1) : null;
    const pgoff = isFile ? Number(e.offset >> 12n) : e.start / PAGE_SIZE;
    vmas.push(
      vma_init(mm.nextVmaId, e.start, e.end, pgoff, flags, {
        sealed,
        file: isFile ? e.path : null,
        vm_file: fileId,
        devInode: e.dev === '00:00' && e.inode === '0' ? null : `${e.dev} ${e.inode}`,
        vm_ops: special ? 'special' : isFile ? 'file' : 'anon',
        name: special ? e.path : null,
        anon_name: anonName,
        anon_vma: hasPages ? mm.nextAnonVmaId : null,
        anon_vma_chain: hasPages ? 1 : 0,
      }),
    );
    mm = {
      ...mm,
      nextVmaId: mm.nextVmaId + 1,
      nextAnonVmaId: mm.nextAnonVmaId + (hasPages ? 1 : 0),
    };
  }
  let mt = MTREE_INIT<Vma>();
  // The counters as the calls that made these VMAs kept them.
  let stat: VmStat = { total_vm: 0, exec_vm: 0, stack_vm: 0, data_vm: 0 };
  let locked_vm = 0;
  for (const v of vmas) {
    mt = mtree_store_range(mt, v.vm_start, v.vm_end - 1, v);
    stat = { ...stat, ...vmStatPatch(stat, v.vm_flags, vma_pages(v)) };
    // mm/mlock.c: mlock_fixup() and mm/vma.c: __mmap_complete() count VM_LOCKED pages.
    if (v.vm_flags & VM_LOCKED) locked_vm += vma_pages(v);
  }
  // mmap_base is not in a maps dump. The libraries and [vdso] sit right below
  // it, so take the end of the highest VMA below the stack.
  const below = vmas.filter((v) => mm.start_stack === 0 || v.vm_end <= mm.start_stack);
  const top = below.length && mm.start_stack ? below[below.length - 1].vm_end : emptyMm.mmap_base;
  // A real process has stdin, stdout and stderr open.
  const fds = new Map<number, OpenFile>();
  for (let fd = 0; fd < 3; fd++) {
    fds.set(fd, {
      id: mm.nextFileId + fd,
      path: '',
      readable: true,
      writable: true,
      pathOnly: false,
    });
  }
  return {
    mm: mmSnapshot(mm, {
      mt,
      map_count: vmas.length,
      ...stat,
      locked_vm,
      mmap_base: top,
      fds,
      // A dump does not say how long its files are: never SIGBUS past their end.
      fileSizes: new Map([...fileIds.keys()].map((path) => [path, Infinity])),
      nextFileId: mm.nextFileId + 3,
    }),
    diagnostics,
  };
}

function flagsOf(e: MapsEntry, file: string, diagnostics: Diagnostic[]): [number, boolean] | null {
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
    return [flags >>> 0, false];
  }
  let flags = 0;
  let sealed = false;
  for (const [k, name] of e.vmFlags.entries()) {
    if (name === 'sl') {
      sealed = true;
      continue;
    }
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
  return [flags >>> 0, sealed];
}
