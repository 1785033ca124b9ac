// SPDX-License-Identifier: GPL-2.0-or-later
// include/uapi/asm-generic/mman-common.h, arch/x86/include/uapi/asm/mman.h
// and include/linux/mman.h (Linux 6.18, x86_64): the PROT_* and MAP_* bits
// and how mmap() turns them into VM_* flags.
import { VM_EXEC, VM_GROWSDOWN, VM_LOCKED, VM_NOHUGEPAGE, VM_READ, VM_WRITE } from './vm-flags';

export const PROT_READ = 0x1;
export const PROT_WRITE = 0x2;
export const PROT_EXEC = 0x4;
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;
export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_DROPPABLE = 0x08;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_32BIT = 0x40;
/** arch/x86/include/uapi/asm/mman.h: only search above 4 GiB. */
export const MAP_ABOVE4G = 0x80;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x8000;
export const MAP_NONBLOCK = 0x10000;
export const MAP_STACK = 0x20000;
export const MAP_HUGETLB = 0x40000;
export const MAP_SYNC = 0x80000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;
/** include/uapi/asm-generic/hugetlb_encode.h: the page size in bits 26..31 (21 and 30 << 26). */
const MAP_HUGE_2MB = 21 << 26;
const MAP_HUGE_1GB = 30 << 26;
/**
 * include/linux/mman.h: LEGACY_MAP_MASK (Linux 6.18, x86_64) — the flags a
 * file without ->mmap_validate() takes with MAP_SHARED_VALIDATE.
 */
export const LEGACY_MAP_MASK =
  MAP_SHARED |
  MAP_PRIVATE |
  MAP_FIXED |
  MAP_ANONYMOUS |
  MAP_DENYWRITE |
  MAP_EXECUTABLE |
  MAP_UNINITIALIZED |
  MAP_GROWSDOWN |
  MAP_LOCKED |
  MAP_NORESERVE |
  MAP_POPULATE |
  MAP_NONBLOCK |
  MAP_STACK |
  MAP_HUGETLB |
  MAP_32BIT |
  MAP_ABOVE4G |
  MAP_HUGE_2MB |
  MAP_HUGE_1GB;

/** include/linux/mman.h: calc_vm_prot_bits() (the pkey lives in Vma.pkey). */
export function calc_vm_prot_bits(prot: number): number {
  return (
    (prot & PROT_READ ? VM_READ : 0) |
    (prot & PROT_WRITE ? VM_WRITE : 0) |
    (prot & PROT_EXEC ? VM_EXEC : 0)
  );
}

/** include/linux/mman.h: calc_vm_flag_bits() (Linux 6.18, x86_64). */
export function calc_vm_flag_bits(flags: number): number {
  return (
    (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
    (flags & MAP_LOCKED ? VM_LOCKED : 0) |
    (flags & MAP_STACK ? VM_NOHUGEPAGE : 0)
  );
}
