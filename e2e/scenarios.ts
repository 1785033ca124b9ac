// SPDX-License-Identifier: GPL-2.0-or-later
// Scenarios more than one spec steps through.

/** A 2-page private anonymous read-write mmap at `addr`, placed with MAP_FIXED. */
export const mmap = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/** Two mmaps that merge (vma_expand), then an munmap that splits the VMA. */
export const MERGE_THEN_SPLIT = [
  mmap('0x200000000000'),
  mmap('0x200000002000'),
  'munmap(0x200000001000, 0x2000)',
].join('\n');
