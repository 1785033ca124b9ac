// SPDX-License-Identifier: GPL-2.0-or-later
// include/linux/mm.h: the VM_* bits (Linux 6.18, x86_64), and the two-letter
// names fs/proc/task_mmu.c: show_smap_vma_flags() prints for them.
//
// `vm_flags` keeps the bits below 32 as an unsigned 32-bit number. The high
// bits the model needs live in their own Vma fields: the protection key
// (VM_PKEY_BIT0..3, bits 32-35, `Vma.pkey`) and VM_SEALED (bit 42,
// `Vma.sealed`). VM_SHADOW_STACK and VM_DROPPABLE are not modelled (the calls
// that would set them are refused).

export const VM_NONE = 0;
export const VM_READ = 0x00000001;
export const VM_WRITE = 0x00000002;
export const VM_EXEC = 0x00000004;
export const VM_SHARED = 0x00000008;
export const VM_MAYREAD = 0x00000010;
export const VM_MAYWRITE = 0x00000020;
export const VM_MAYEXEC = 0x00000040;
export const VM_MAYSHARE = 0x00000080;
export const VM_GROWSDOWN = 0x00000100;
export const VM_UFFD_MISSING = 0x00000200;
export const VM_PFNMAP = 0x00000400;
/**
 * Linux 6.18: VM_MAYBE_GUARD (bit 11), set by MADV_GUARD_INSTALL on the whole
 * VMA. It does not block merges (VM_IGNORE_MERGE) and is sticky: a merge
 * keeps it if any part had it (VM_STICKY).
 */
export const VM_MAYBE_GUARD = 0x00000800;
export const VM_UFFD_WP = 0x00001000;
export const VM_LOCKED = 0x00002000;
export const VM_IO = 0x00004000;
export const VM_SEQ_READ = 0x00008000;
export const VM_RAND_READ = 0x00010000;
export const VM_DONTCOPY = 0x00020000;
export const VM_DONTEXPAND = 0x00040000;
export const VM_LOCKONFAULT = 0x00080000;
export const VM_ACCOUNT = 0x00100000;
export const VM_NORESERVE = 0x00200000;
export const VM_HUGETLB = 0x00400000;
export const VM_SYNC = 0x00800000;
export const VM_ARCH_1 = 0x01000000;
export const VM_WIPEONFORK = 0x02000000;
export const VM_DONTDUMP = 0x04000000;
export const VM_MIXEDMAP = 0x10000000;
export const VM_HUGEPAGE = 0x20000000;
export const VM_NOHUGEPAGE = 0x40000000;
export const VM_MERGEABLE = 0x80000000;

/** include/linux/mm.h: VM_SPECIAL — mappings that must never be merged or expanded. */
export const VM_SPECIAL = VM_IO | VM_DONTEXPAND | VM_PFNMAP | VM_MIXEDMAP;
/** VM_SOFTDIRTY is 0 without CONFIG_MEM_SOFT_DIRTY, so only the guard flag is left. */
export const VM_IGNORE_MERGE = VM_MAYBE_GUARD;
export const VM_STICKY = VM_MAYBE_GUARD;
export const VM_ACCESS_FLAGS = VM_READ | VM_WRITE | VM_EXEC;
export const VM_LOCKED_MASK = VM_LOCKED | VM_LOCKONFAULT;
/** include/linux/mm.h: VM_STACK (x86_64: VM_GROWSDOWN). */
export const VM_STACK = VM_GROWSDOWN;
export const VM_STARTGAP_FLAGS = VM_GROWSDOWN;
/** x86_64 VM_DATA_DEFAULT_FLAGS (VM_DATA_FLAGS_TSK_EXEC without READ_IMPLIES_EXEC). */
export const VM_DATA_DEFAULT_FLAGS = VM_READ | VM_WRITE | VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

/** Bit number to smaps name, in the order the kernel prints them (bit order). */
const MNEMONICS: ReadonlyArray<readonly [number, string]> = [
  [VM_READ, 'rd'],
  [VM_WRITE, 'wr'],
  [VM_EXEC, 'ex'],
  [VM_SHARED, 'sh'],
  [VM_MAYREAD, 'mr'],
  [VM_MAYWRITE, 'mw'],
  [VM_MAYEXEC, 'me'],
  [VM_MAYSHARE, 'ms'],
  [VM_GROWSDOWN, 'gd'],
  [VM_UFFD_MISSING, 'um'],
  [VM_PFNMAP, 'pf'],
  [VM_MAYBE_GUARD, 'gu'],
  [VM_UFFD_WP, 'uw'],
  [VM_LOCKED, 'lo'],
  [VM_IO, 'io'],
  [VM_SEQ_READ, 'sr'],
  [VM_RAND_READ, 'rr'],
  [VM_DONTCOPY, 'dc'],
  [VM_DONTEXPAND, 'de'],
  [VM_LOCKONFAULT, 'lf'],
  [VM_ACCOUNT, 'ac'],
  [VM_NORESERVE, 'nr'],
  [VM_HUGETLB, 'ht'],
  [VM_SYNC, 'sf'],
  [VM_ARCH_1, 'ar'],
  [VM_WIPEONFORK, 'wf'],
  [VM_DONTDUMP, 'dd'],
  [VM_MIXEDMAP, 'mm'],
  [VM_HUGEPAGE, 'hg'],
  [VM_NOHUGEPAGE, 'nh'],
  [VM_MERGEABLE, 'mg'],
];

/** The bit an smaps name stands for, or undefined for a name this model does not know. */
export function vmFlagFromName(name: string): number | undefined {
  return MNEMONICS.find(([, n]) => n === name)?.[0];
}

/**
 * `rd wr mr mw me ac`: the names of the set bits, in the kernel's order
 * (bit order). The protection-key bits print nothing; VM_SEALED (bit 42)
 * prints `sl` after every low bit.
 */
export function vmFlagNames(flags: number, sealed = false): string[] {
  const names: string[] = [];
  for (const [bit, name] of MNEMONICS) if ((flags & bit) >>> 0 !== 0) names.push(name);
  if (sealed) names.push('sl');
  return names;
}
