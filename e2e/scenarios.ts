// SPDX-License-Identifier: GPL-2.0-or-later
// Scenarios more than one spec steps through.

/** A 2-page private anonymous read-write mmap at `addr`, placed with MAP_FIXED. */
export const mmap = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/**
 * `n` one-page anonymous VMAs with a page between each, so that none merge:
 * `pages` are their addresses, `calls` the mmaps that map them.
 */
export function separatePages(n: number, prot = 'PROT_READ') {
  const pages = Array.from({ length: n }, (_, i) => 0x200000000000 + 2 * i * 0x1000);
  const calls = pages.map(
    (a) => `mmap(0x${a.toString(16)}, 0x1000, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
  return { pages, calls };
}

/** Two mmaps that merge (vma_expand), then an munmap that splits the VMA. */
export const MERGE_THEN_SPLIT = [
  mmap('0x200000000000'),
  mmap('0x200000002000'),
  'munmap(0x200000001000, 0x2000)',
].join('\n');

/** Starting maps of `n` VMAs of 192 KiB, a page apart, read-write and read-only in turn. */
export function largeSpace(n: number) {
  const at = (i: number) => 0x200000000000 + i * 0x31000;
  const hex = (a: number) => a.toString(16);
  const lines = Array.from(
    { length: n },
    (_, i) => `${hex(at(i))}-${hex(at(i) + 0x30000)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `,
  );
  return { maps: lines.join('\n'), at };
}
