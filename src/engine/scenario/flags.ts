// SPDX-License-Identifier: GPL-2.0-or-later
// Symbolic constants a scenario may name, with their x86_64 values from
// include/uapi/asm-generic/mman-common.h, include/uapi/linux/mman.h,
// arch/x86/include/uapi/asm/mman.h, include/uapi/asm-generic/fcntl.h and
// include/uapi/linux/prctl.h (Linux 6.18).

/** A family of names that may be `|`-joined in one argument. */
export type FlagFamily = 'PROT' | 'MAP' | 'MREMAP' | 'MADV' | 'MCL' | 'MLOCK' | 'O' | 'AT' | 'PR';

export const FLAG_VALUES: Readonly<Record<FlagFamily, Readonly<Record<string, number>>>> = {
  PROT: {
    PROT_NONE: 0x0,
    PROT_READ: 0x1,
    PROT_WRITE: 0x2,
    PROT_EXEC: 0x4,
    PROT_SEM: 0x8,
    PROT_GROWSDOWN: 0x01000000,
    PROT_GROWSUP: 0x02000000,
  },
  MAP: {
    MAP_SHARED: 0x01,
    MAP_PRIVATE: 0x02,
    MAP_SHARED_VALIDATE: 0x03,
    MAP_DROPPABLE: 0x08,
    MAP_FIXED: 0x10,
    MAP_ANONYMOUS: 0x20,
    MAP_ANON: 0x20,
    MAP_32BIT: 0x40,
    MAP_ABOVE4G: 0x80,
    MAP_GROWSDOWN: 0x0100,
    MAP_DENYWRITE: 0x0800,
    MAP_EXECUTABLE: 0x1000,
    MAP_LOCKED: 0x2000,
    MAP_NORESERVE: 0x4000,
    MAP_POPULATE: 0x8000,
    MAP_NONBLOCK: 0x10000,
    MAP_STACK: 0x20000,
    MAP_HUGETLB: 0x40000,
    MAP_SYNC: 0x80000,
    MAP_FIXED_NOREPLACE: 0x100000,
    MAP_UNINITIALIZED: 0x4000000,
  },
  MREMAP: { MREMAP_MAYMOVE: 1, MREMAP_FIXED: 2, MREMAP_DONTUNMAP: 4 },
  MADV: {
    MADV_NORMAL: 0,
    MADV_RANDOM: 1,
    MADV_SEQUENTIAL: 2,
    MADV_WILLNEED: 3,
    MADV_DONTNEED: 4,
    MADV_FREE: 8,
    MADV_REMOVE: 9,
    MADV_DONTFORK: 10,
    MADV_DOFORK: 11,
    MADV_MERGEABLE: 12,
    MADV_UNMERGEABLE: 13,
    MADV_HUGEPAGE: 14,
    MADV_NOHUGEPAGE: 15,
    MADV_DONTDUMP: 16,
    MADV_DODUMP: 17,
    MADV_WIPEONFORK: 18,
    MADV_KEEPONFORK: 19,
    MADV_COLD: 20,
    MADV_PAGEOUT: 21,
    MADV_POPULATE_READ: 22,
    MADV_POPULATE_WRITE: 23,
    MADV_DONTNEED_LOCKED: 24,
    MADV_COLLAPSE: 25,
    MADV_HWPOISON: 100,
    MADV_SOFT_OFFLINE: 101,
    MADV_GUARD_INSTALL: 102,
    MADV_GUARD_REMOVE: 103,
  },
  MCL: { MCL_CURRENT: 1, MCL_FUTURE: 2, MCL_ONFAULT: 4 },
  MLOCK: { MLOCK_ONFAULT: 1 },
  O: {
    O_RDONLY: 0,
    O_WRONLY: 0o1,
    O_RDWR: 0o2,
    O_CREAT: 0o100,
    O_EXCL: 0o200,
    O_NOCTTY: 0o400,
    O_TRUNC: 0o1000,
    O_APPEND: 0o2000,
    O_NONBLOCK: 0o4000,
    O_DSYNC: 0o10000,
    O_DIRECT: 0o40000,
    O_LARGEFILE: 0o100000,
    O_DIRECTORY: 0o200000,
    O_NOFOLLOW: 0o400000,
    O_NOATIME: 0o1000000,
    O_CLOEXEC: 0o2000000,
    O_SYNC: 0o4010000,
    O_PATH: 0o10000000,
    O_TMPFILE: 0o20200000,
  },
  AT: { AT_FDCWD: -100 },
  PR: { PR_SET_VMA: 0x53564d41, PR_SET_VMA_ANON_NAME: 0 },
};

/** The family a name belongs to, by its prefix, or undefined. */
export function familyOf(name: string): FlagFamily | undefined {
  for (const family of Object.keys(FLAG_VALUES) as FlagFamily[]) {
    if (name in FLAG_VALUES[family]) return family;
  }
  return undefined;
}

/** The closest known name of the families, for "did you mean" hints. */
export function suggestFlag(name: string, families: readonly FlagFamily[]): string | undefined {
  return closestName(
    name,
    families.flatMap((family) => Object.keys(FLAG_VALUES[family])),
  );
}

/**
 * The candidate nearest `name`, if near enough to be a typo of it: two
 * edits, or one in four characters of a long name.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Levenshtein distance, for suggestions only. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
