// SPDX-License-Identifier: GPL-2.0-or-later
// include/linux/mm_types.h: struct vm_area_struct, the fields this model keeps.

/**
 * One virtual memory area: `[vm_start, vm_end)` with the same flags,
 * file and offset throughout. Immutable: a change makes a new object, so
 * snapshots of earlier steps stay as they were.
 */
export interface Vma {
  /** A stable name for this VMA (`vma3`), kept while the kernel keeps the object. */
  readonly id: number;
  readonly vm_start: number;
  readonly vm_end: number;
  /** Offset in pages: into the file, or the start address >> PAGE_SHIFT for anonymous memory. */
  readonly vm_pgoff: number;
  readonly vm_flags: number;
  /** The path of the mapped file, or null for anonymous memory. */
  readonly file: string | null;
  /**
   * The name a special mapping gives itself (`vm_ops->name()`: `[vdso]`,
   * `[vvar]`), or null. `[heap]` and `[stack]` are not names: /proc works
   * them out from the mm's brk and stack addresses.
   */
  readonly name: string | null;
  /** Identity of the anon_vma once the VMA has anonymous pages, else null. */
  readonly anon_vma: number | null;
}

export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
/** arch/x86/include/asm/page_64_types.h: TASK_SIZE_MAX with 4-level paging. */
export const TASK_SIZE = 0x7ffffffff000;

export const vma_pages = (vma: Vma): number => (vma.vm_end - vma.vm_start) / PAGE_SIZE;
