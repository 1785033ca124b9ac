// SPDX-License-Identifier: GPL-2.0-or-later
// include/linux/mm_types.h: struct vm_area_struct, the fields this model keeps.

/**
 * What `vma->vm_ops` is, as far as layout depends on it:
 * - `anon`: none (vma_is_anonymous()),
 * - `file`: a regular file's (generic_file_vm_ops, no close hook),
 * - `shmem`: a shared anonymous mapping's shmem object,
 * - `special`: a special mapping's (`[vdso]`, loaded from a maps dump).
 */
export type VmOps = 'anon' | 'file' | 'shmem' | 'special';

/**
 * One virtual memory area: `[vm_start, vm_end)` with the same flags,
 * file and offset throughout. Immutable: a change makes a new object with the
 * same `id` (the kernel changes the same vm_area_struct), so snapshots of
 * earlier steps stay as they were.
 */
export interface Vma {
  /** A stable name for this VMA (`vma3`), kept while the kernel keeps the object. */
  readonly id: number;
  readonly vm_start: number;
  readonly vm_end: number;
  /** Offset in pages: into the file, or the start address >> PAGE_SHIFT for anonymous memory. */
  readonly vm_pgoff: number;
  /** VM_* bits 0..31 (unsigned). */
  readonly vm_flags: number;
  /** The protection key: VM_PKEY_BIT0..3 of vm_flags (bits 32-35). */
  readonly pkey: number;
  /** VM_SEALED (bit 42 of vm_flags in Linux 6.18): set by mseal(). */
  readonly sealed: boolean;
  /** The path of the mapped file (`/dev/zero (deleted)` for shmem), or null. */
  readonly file: string | null;
  /** Identity of the `struct file` (vma->vm_file), or null. */
  readonly vm_file: number | null;
  /**
   * The device and inode /proc prints for the file (`fe:00 339380`), as a
   * loaded maps dump showed them; null prints `00:00 0`, as for every VMA a
   * scenario maps. Splits and merges keep them: the file is the same.
   */
  readonly devInode: string | null;
  readonly vm_ops: VmOps;
  /** Whether vm_ops has a `close` hook (such a VMA is never removed by a merge). */
  readonly vm_ops_close: boolean;
  /**
   * The name a special mapping gives itself (`vm_ops->name()`: `[vdso]`,
   * `[vvar]`), or null. `[heap]` and `[stack]` are not names: /proc works
   * them out from the mm's brk and stack addresses.
   */
  readonly name: string | null;
  /** anon_vma_name() (only from a loaded maps dump: CONFIG_ANON_VMA_NAME is off). */
  readonly anon_name: string | null;
  /** Identity of the anon_vma once the VMA has anonymous pages, else null. */
  readonly anon_vma: number | null;
  /**
   * Length of vma->anon_vma_chain: 0 without anon_vma, 1 for an anon_vma of
   * its own, more after fork (the parent's anon_vmas are linked too).
   */
  readonly anon_vma_chain: number;
}

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** arch/x86/include/asm/page_64_types.h: TASK_SIZE_MAX with 4-level paging. */
export const TASK_SIZE = 0x7ffffffff000;
export const PMD_SIZE = 0x200000;

/** include/linux/mm.h: PAGE_ALIGN(). */
export const PAGE_ALIGN = (n: number): number => Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;

/** include/linux/pfn.h: PHYS_PFN() — addresses exceed 32 bits, so no `>>`. */
export const PHYS_PFN = (x: number): number => Math.floor(x / PAGE_SIZE);

/**
 * mm/vma_init.c: vma_init() after vm_area_alloc() (Linux 6.18) — a VMA of
 * `[vm_start, vm_end)` with everything else empty: anonymous, no file, no
 * anon_vma, not sealed. `fields` sets what the caller fills in next.
 */
export function vma_init(
  id: number,
  vm_start: number,
  vm_end: number,
  vm_pgoff: number,
  vm_flags: number,
  fields: Partial<Omit<Vma, 'id' | 'vm_start' | 'vm_end' | 'vm_pgoff' | 'vm_flags'>> = {},
): Vma {
  return vmaObject(
    id,
    vm_start,
    vm_end,
    vm_pgoff,
    vm_flags,
    fields.pkey ?? 0,
    fields.sealed ?? false,
    fields.file ?? null,
    fields.vm_file ?? null,
    fields.devInode ?? null,
    fields.vm_ops ?? 'anon',
    fields.vm_ops_close ?? false,
    fields.name ?? null,
    fields.anon_name ?? null,
    fields.anon_vma ?? null,
    fields.anon_vma_chain ?? 0,
  );
}

/**
 * A copy of `vma` over `[vm_start, vm_end)` at `vm_pgoff` (a split's halves,
 * a merge's expanded or shrunk VMA, a moved copy), with id `id`.
 */
export function vmaRange(
  vma: Vma,
  vm_start: number,
  vm_end: number,
  vm_pgoff: number,
  id = vma.id,
): Vma {
  const v = vma;
  return vmaObject(
    id,
    vm_start,
    vm_end,
    vm_pgoff,
    v.vm_flags,
    v.pkey,
    v.sealed,
    v.file,
    v.vm_file,
    v.devInode,
    v.vm_ops,
    v.vm_ops_close,
    v.name,
    v.anon_name,
    v.anon_vma,
    v.anon_vma_chain,
  );
}

/** `a` unless it is undefined (a field `patch` leaves as it was). */
const or = <T>(a: T | undefined, b: T): T => (a === undefined ? b : a);

/** A copy of `vma` with the fields of `patch` changed. */
export function vmaWith(vma: Vma, patch: Partial<Vma>): Vma {
  const v = vma;
  const p = patch;
  return vmaObject(
    or(p.id, v.id),
    or(p.vm_start, v.vm_start),
    or(p.vm_end, v.vm_end),
    or(p.vm_pgoff, v.vm_pgoff),
    or(p.vm_flags, v.vm_flags),
    or(p.pkey, v.pkey),
    or(p.sealed, v.sealed),
    or(p.file, v.file),
    or(p.vm_file, v.vm_file),
    or(p.devInode, v.devInode),
    or(p.vm_ops, v.vm_ops),
    or(p.vm_ops_close, v.vm_ops_close),
    or(p.name, v.name),
    or(p.anon_name, v.anon_name),
    or(p.anon_vma, v.anon_vma),
    or(p.anon_vma_chain, v.anon_vma_chain),
  );
}

/**
 * The one object literal every VMA is made by: V8 gives the objects of one
 * literal site one map (hidden class). Made by a spread at each site
 * (`{ ...vma, vm_end }`), the VMAs of a run had twenty maps with the same
 * fields in the same order, and every function reading a VMA went through
 * megamorphic loads.
 */
function vmaObject(
  id: number,
  vm_start: number,
  vm_end: number,
  vm_pgoff: number,
  vm_flags: number,
  pkey: number,
  sealed: boolean,
  file: string | null,
  vm_file: number | null,
  devInode: string | null,
  vm_ops: VmOps,
  vm_ops_close: boolean,
  name: string | null,
  anon_name: string | null,
  anon_vma: number | null,
  anon_vma_chain: number,
): Vma {
  return {
    id,
    vm_start,
    vm_end,
    vm_pgoff,
    vm_flags,
    pkey,
    sealed,
    file,
    vm_file,
    devInode,
    vm_ops,
    vm_ops_close,
    name,
    anon_name,
    anon_vma,
    anon_vma_chain,
  };
}

export const vma_pages = (vma: Vma): number => (vma.vm_end - vma.vm_start) / PAGE_SIZE;

/** include/linux/mm.h: vma_is_anonymous() — no vm_ops. */
export const vma_is_anonymous = (vma: Vma): boolean => vma.vm_ops === 'anon';

/** Model helper: a short name for messages, `vma3 [0x200000000000, 0x200000004000)`. */
export function vmaLabel(vma: Vma): string {
  return `vma${vma.id} [${hex(vma.vm_start)}, ${hex(vma.vm_end)})`;
}

/**
 * Model helper: an address as the trace prints it. An address past 32 bits
 * is a double, whose toString(16) is V8's slow radix conversion; its two
 * 32-bit halves convert fast, and a traced run prints an address in most
 * of its steps. The same text as `'0x' + n.toString(16)` for every number.
 */
export const hex = (n: number): string =>
  n >= 0x100000000 && n < 0x20000000000000 && n === Math.floor(n)
    ? '0x' + Math.floor(n / 0x100000000).toString(16) + (n >>> 0).toString(16).padStart(8, '0')
    : '0x' + n.toString(16);
