// SPDX-License-Identifier: GPL-2.0-or-later
// Every outcome explained: each refusal of each call of the contract is a
// step that names the check and the kernel function that made it
// (`EINVAL: start 0x200000000010 is not page aligned`, by do_vmi_munmap),
// never a bare errno. One scenario per refusal path, then random scenarios
// from the seeded generator: every failed call says why.
//
// Over this project's 400-line guide: the table has a row per refusal path
// of every call, and splitting it would hide which paths it walks.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOptions, type RunOutput, type Step } from './run';
import { generateScenario } from '../scenario/generate';
import { LINUX_6_18, unprivileged, type KernelProfile } from '../world/kernel-profile';

type Ran = Extract<RunOutput, { ok: true }>;

const A = 0x200000000000;
const at = (pages: number, bytes = 0): string => '0x' + (A + pages * 0x1000 + bytes).toString(16);
const RW = 'PROT_READ|PROT_WRITE';
const FIXED = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED';
const mmap = (page: number, pages: number, prot = RW, flags = FIXED, fd = -1, off = 0): string =>
  `mmap(${at(page)}, ${pages * 0x1000}, ${prot}, ${flags}, ${fd}, ${off})`;
const OPEN_RO = 'openat(AT_FDCWD, "/data/f", O_RDONLY) = 3';
const OPEN_WO = 'openat(AT_FDCWD, "/data/f", O_WRONLY) = 3';
const OPEN_RW = 'openat(AT_FDCWD, "/data/f", O_RDWR) = 3';

const unpriv = unprivileged(LINUX_6_18);
const noMemlock: KernelProfile = { ...unpriv, rlimits: { ...unpriv.rlimits, memlock: 0 } };
const neverOvercommit: KernelProfile = {
  ...LINUX_6_18,
  overcommit: { ...LINUX_6_18.overcommit, memory: 2, ramPages: 64, ratio: 100 },
};
const fewMaps: KernelProfile = { ...LINUX_6_18, maxMapCount: 2 };
const named: KernelProfile = { ...LINUX_6_18, anonVmaName: true };

/**
 * One refusal: the scenario (its last line the refused call), the result,
 * and what the step just before the call row says: the function and the
 * check in words (after `ERRNO: `).
 */
interface Refusal {
  lines: string[];
  ret: string;
  fn: string;
  words: RegExp;
  options?: RunOptions;
}

const REFUSALS: Record<string, Refusal> = {
  // ---- mmap ----
  'mmap: MAP_FIXED at an unaligned address': {
    lines: [`mmap(${at(0, 0x10)}, 4096, ${RW}, ${FIXED}, -1, 0)`],
    ret: '-1 EINVAL',
    fn: '__get_unmapped_area',
    words: /addr 0x200000000010 is not page aligned \(MAP_FIXED\)/,
  },
  'mmap: len 0': {
    lines: [`mmap(${at(0)}, 0, ${RW}, ${FIXED}, -1, 0)`],
    ret: '-1 EINVAL',
    fn: 'do_mmap',
    words: /len is 0/,
  },
  'mmap: len wraps when rounded up': {
    lines: [`mmap(NULL, 0xfffffffffffff001, ${RW}, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`],
    ret: '-1 ENOMEM',
    fn: 'do_mmap',
    words: /len wraps to 0/,
  },
  'mmap: len above TASK_SIZE': {
    lines: [`mmap(NULL, 0x1000000000000, ${RW}, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`],
    ret: '-1 ENOMEM',
    fn: '__get_unmapped_area',
    words: /len 0x1000000000000 is above TASK_SIZE/,
  },
  'mmap: no gap below mmap_base': {
    lines: [`mmap(NULL, 0x7fff00000000, ${RW}, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)`],
    ret: '-1 ENOMEM',
    fn: 'arch_get_unmapped_area_topdown',
    words: /no free gap of 0x7fff00000000 bytes below mmap_base/,
  },
  'mmap: neither MAP_PRIVATE nor MAP_SHARED': {
    lines: [mmap(0, 1, RW, 'MAP_ANONYMOUS|MAP_FIXED')],
    ret: '-1 EINVAL',
    fn: 'do_mmap',
    words: /neither MAP_SHARED nor MAP_PRIVATE/,
  },
  'mmap: MAP_FIXED_NOREPLACE over a mapping': {
    lines: [mmap(0, 2), mmap(1, 2, RW, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE')],
    ret: '-1 EEXIST',
    fn: 'do_mmap',
    words: /MAP_FIXED_NOREPLACE and \[0x200000001000, 0x200000003000\) is already mapped/,
  },
  'mmap: fd not open': {
    lines: [mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED', 9)],
    ret: '-1 EBADF',
    fn: 'ksys_mmap_pgoff',
    words: /fd 9 is not open/,
  },
  'mmap: offset not page aligned': {
    lines: [OPEN_RO, mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED', 3, 0x200)],
    ret: '-1 EINVAL',
    fn: 'sys_mmap',
    words: /offset is not page aligned/,
  },
  'mmap: offset past MAX_LFS_FILESIZE': {
    lines: [
      OPEN_RO,
      `mmap(${at(0)}, 8192, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x7ffffffffffff000)`,
    ],
    ret: '-1 EOVERFLOW',
    fn: 'do_mmap',
    words: /past MAX_LFS_FILESIZE/,
  },
  'mmap: shared PROT_WRITE of a read-only fd': {
    lines: [OPEN_RO, mmap(0, 1, RW, 'MAP_SHARED|MAP_FIXED', 3)],
    ret: '-1 EACCES',
    fn: 'do_mmap',
    words: /shared PROT_WRITE but fd 3 is not open for writing/,
  },
  'mmap: a write-only fd': {
    lines: [OPEN_WO, mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED', 3)],
    ret: '-1 EACCES',
    fn: 'do_mmap',
    words: /fd 3 is not open for reading/,
  },
  'mmap: MAP_SHARED_VALIDATE with an unknown flag': {
    lines: [OPEN_RW, mmap(0, 1, RW, '0x100000003', 3)],
    ret: '-1 EOPNOTSUPP',
    fn: 'do_mmap',
    words: /outside LEGACY_MAP_MASK/,
  },
  'mmap: MAP_GROWSDOWN of shared memory': {
    lines: [mmap(0, 1, RW, 'MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN')],
    ret: '-1 EINVAL',
    fn: 'do_mmap',
    words: /MAP_GROWSDOWN on shared anonymous memory/,
  },
  'mmap: MAP_GROWSDOWN of a file': {
    lines: [OPEN_RO, mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED|MAP_GROWSDOWN', 3)],
    ret: '-1 EINVAL',
    fn: 'do_mmap',
    words: /MAP_GROWSDOWN on a file mapping/,
  },
  'mmap: below mmap_min_addr': {
    lines: [`mmap(0, 4096, ${RW}, ${FIXED}, -1, 0)`],
    ret: '-1 EPERM',
    fn: 'security_mmap_addr',
    words: /addr 0x0 is below mmap_min_addr 0x1000/,
  },
  'mmap: MAP_FIXED over a sealed mapping': {
    lines: [mmap(0, 2), `mseal(${at(0)}, 0x2000, 0)`, mmap(1, 2)],
    ret: '-1 EPERM',
    fn: 'vms_gather_munmap_vmas',
    words: /vma\d+ is sealed/,
  },
  'mmap: MAP_LOCKED without RLIMIT_MEMLOCK': {
    lines: [mmap(0, 1, RW, `${FIXED}|MAP_LOCKED`)],
    ret: '-1 EPERM',
    fn: 'do_mmap',
    words: /can_do_mlock/,
    options: { kernel: noMemlock },
  },
  'mmap: MAP_LOCKED past RLIMIT_MEMLOCK': {
    lines: [mmap(0, 4096, RW, `${FIXED}|MAP_LOCKED`)],
    ret: '-1 EAGAIN',
    fn: 'do_mmap',
    words: /exceed RLIMIT_MEMLOCK/,
    options: { kernel: unpriv },
  },
  'mmap: map_count above max_map_count': {
    lines: [mmap(0, 1), mmap(2, 1), mmap(4, 1), mmap(6, 1)],
    ret: '-1 ENOMEM',
    fn: 'do_mmap',
    words: /map_count 3 is above vm.max_map_count/,
    options: { kernel: fewMaps },
  },
  'mmap: overcommit refused': {
    lines: [mmap(0, 128)],
    ret: '-1 ENOMEM',
    fn: '__vm_enough_memory',
    words: /__mmap_setup cannot commit 128 more pages \(vm.overcommit_memory=2\)/,
    options: { kernel: neverOvercommit },
  },
  'mmap: an allocation fails': {
    lines: [mmap(0, 1)],
    ret: '-1 ENOMEM',
    fn: 'vm_area_alloc',
    words: /allocation #1 \(vma\) fails/,
    options: { failAllocation: 1 },
  },
  // ---- munmap ----
  'munmap: unaligned start': {
    lines: [mmap(0, 2), `munmap(${at(0, 0x10)}, 4096)`],
    ret: '-1 EINVAL',
    fn: 'do_vmi_munmap',
    words: /start 0x200000000010 is not page aligned/,
  },
  'munmap: len 0': {
    lines: [`munmap(${at(0)}, 0)`],
    ret: '-1 EINVAL',
    fn: 'do_vmi_munmap',
    words: /len is 0/,
  },
  'munmap: past TASK_SIZE': {
    lines: [`munmap(${at(0)}, 0x700000000000)`],
    ret: '-1 EINVAL',
    fn: 'do_vmi_munmap',
    words: /ends above TASK_SIZE/,
  },
  'munmap: a sealed mapping': {
    lines: [mmap(0, 2), `mseal(${at(0)}, 0x2000, 0)`, `munmap(${at(0)}, 0x2000)`],
    ret: '-1 EPERM',
    fn: 'vms_gather_munmap_vmas',
    words: /vma\d+ is sealed/,
  },
  'munmap: a split past max_map_count': {
    lines: [mmap(0, 3), mmap(5, 1), `munmap(${at(1)}, 0x1000)`],
    ret: '-1 ENOMEM',
    fn: 'vms_gather_munmap_vmas',
    words: /map_count 2 reached vm.max_map_count/,
    options: { kernel: fewMaps },
  },
  // ---- mprotect / pkey_mprotect ----
  'mprotect: unaligned start': {
    lines: [mmap(0, 2), `mprotect(${at(0, 0x10)}, 4096, PROT_READ)`],
    ret: '-1 EINVAL',
    fn: 'do_mprotect_pkey',
    words: /start 0x200000000010 is not page aligned/,
  },
  'mprotect: PROT_GROWSDOWN and PROT_GROWSUP': {
    lines: [mmap(0, 2), `mprotect(${at(0)}, 4096, PROT_READ|PROT_GROWSDOWN|PROT_GROWSUP)`],
    ret: '-1 EINVAL',
    fn: 'do_mprotect_pkey',
    words: /PROT_GROWSDOWN and PROT_GROWSUP together/,
  },
  'mprotect: a range that wraps': {
    lines: [`mprotect(0xfffffffffffff000, 0x2000, PROT_READ)`],
    ret: '-1 ENOMEM',
    fn: 'do_mprotect_pkey',
    words: /start \+ len wraps/,
  },
  'mprotect: unknown prot bits': {
    lines: [mmap(0, 2), `mprotect(${at(0)}, 4096, 0x100)`],
    ret: '-1 EINVAL',
    fn: 'arch_validate_prot',
    words: /prot has bits x86 does not know/,
  },
  'mprotect: nothing mapped': {
    lines: [`mprotect(${at(0)}, 4096, PROT_READ)`],
    ret: '-1 ENOMEM',
    fn: 'do_mprotect_pkey',
    words: /nothing is mapped in \[0x200000000000, 0x200000001000\)/,
  },
  'mprotect: the start is not mapped': {
    lines: [mmap(1, 1), `mprotect(${at(0)}, 0x2000, PROT_READ)`],
    ret: '-1 ENOMEM',
    fn: 'do_mprotect_pkey',
    words: /0x200000000000 is not mapped/,
  },
  'mprotect: a hole in the range': {
    lines: [mmap(0, 1), mmap(2, 1), `mprotect(${at(0)}, 0x3000, PROT_READ)`],
    ret: '-1 ENOMEM',
    fn: 'do_mprotect_pkey',
    words: /\[0x200000001000, 0x200000002000\) is not mapped/,
  },
  'mprotect: the range ends past the last VMA': {
    lines: [mmap(0, 1), `mprotect(${at(0)}, 0x2000, PROT_READ)`],
    ret: '-1 ENOMEM',
    fn: 'do_mprotect_pkey',
    words: /\[0x200000001000, 0x200000002000\) is not mapped/,
  },
  'mprotect: PROT_GROWSDOWN on a VMA that does not grow': {
    lines: [mmap(0, 2), `mprotect(${at(1)}, 4096, PROT_READ|PROT_GROWSDOWN)`],
    ret: '-1 EINVAL',
    fn: 'do_mprotect_pkey',
    words: /PROT_GROWSDOWN but vma\d+ is not VM_GROWSDOWN/,
  },
  'mprotect: PROT_GROWSUP on x86': {
    lines: [mmap(0, 2), `mprotect(${at(0)}, 4096, PROT_READ|PROT_GROWSUP)`],
    ret: '-1 EINVAL',
    fn: 'do_mprotect_pkey',
    words: /PROT_GROWSUP but x86 has no VM_GROWSUP/,
  },
  'mprotect: PROT_WRITE on a read-only shared file': {
    lines: [
      OPEN_RO,
      mmap(0, 1, 'PROT_READ', 'MAP_SHARED|MAP_FIXED', 3),
      `mprotect(${at(0)}, 4096, ${RW})`,
    ],
    ret: '-1 EACCES',
    fn: 'do_mprotect_pkey',
    words: /vma\d+ may not get these permissions \(its VM_MAY\* flags lack them\)/,
  },
  'mprotect: a sealed mapping': {
    lines: [mmap(0, 2), `mseal(${at(0)}, 0x2000, 0)`, `mprotect(${at(0)}, 0x2000, PROT_READ)`],
    ret: '-1 EPERM',
    fn: 'mprotect_fixup',
    words: /vma\d+ is sealed/,
  },
  'mprotect: overcommit refused': {
    lines: [mmap(0, 64, 'PROT_READ'), `mprotect(${at(0)}, 0x40000, ${RW})`],
    ret: '-1 ENOMEM',
    fn: '__vm_enough_memory',
    words: /mprotect_fixup cannot commit 64 more pages/,
    options: { kernel: neverOvercommit },
  },
  'pkey_mprotect: a key not allocated': {
    lines: [mmap(0, 1), `pkey_mprotect(${at(0)}, 4096, PROT_READ, 3)`],
    ret: '-1 EINVAL',
    fn: 'do_mprotect_pkey',
    words: /protection key 3 is not allocated/,
  },
  // ---- mremap ----
  'mremap: unknown flags': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 4096, 8192, 0x10)`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /unknown flags \(0x10\)/,
  },
  'mremap: unaligned old address': {
    lines: [mmap(0, 1), `mremap(${at(0, 0x10)}, 4096, 8192, MREMAP_MAYMOVE)`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /old address 0x200000000010 is not page aligned/,
  },
  'mremap: new_len 0': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 4096, 0, MREMAP_MAYMOVE)`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /new_len is 0/,
  },
  'mremap: new_len above TASK_SIZE': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 4096, 0x800000000000, MREMAP_MAYMOVE)`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /new_len is above TASK_SIZE/,
  },
  'mremap: unaligned new address': {
    lines: [
      mmap(0, 1),
      `mremap(${at(0)}, 4096, 4096, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(8, 0x10)})`,
    ],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /new address 0x200000008010 is not page aligned/,
  },
  'mremap: MREMAP_FIXED without MREMAP_MAYMOVE': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 4096, 4096, MREMAP_FIXED, ${at(8)})`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /without MREMAP_MAYMOVE/,
  },
  'mremap: MREMAP_DONTUNMAP that resizes': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 4096, 8192, MREMAP_MAYMOVE|MREMAP_DONTUNMAP, ${at(8)})`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /MREMAP_DONTUNMAP with old_len != new_len/,
  },
  'mremap: the new range overlaps the old one': {
    lines: [mmap(0, 2), `mremap(${at(0)}, 8192, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(1)})`],
    ret: '-1 EINVAL',
    fn: 'check_mremap_params',
    words: /the new range overlaps the old one/,
  },
  'mremap: nothing mapped at the old address': {
    lines: [`mremap(${at(0)}, 4096, 8192, MREMAP_MAYMOVE)`],
    ret: '-1 EFAULT',
    fn: 'check_prep_vma',
    words: /nothing mapped at 0x200000000000/,
  },
  'mremap: a sealed mapping': {
    lines: [mmap(0, 1), `mseal(${at(0)}, 4096, 0)`, `mremap(${at(0)}, 4096, 8192, MREMAP_MAYMOVE)`],
    ret: '-1 EPERM',
    fn: 'check_prep_vma',
    words: /vma\d+ is sealed/,
  },
  'mremap: old_len runs past the VMA': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 8192, 16384, MREMAP_MAYMOVE)`],
    ret: '-1 EFAULT',
    fn: 'resize_is_valid',
    words: /the range runs past the end of vma\d+/,
  },
  'mremap: old_len 0 of a private mapping': {
    lines: [mmap(0, 1), `mremap(${at(0)}, 0, 8192, MREMAP_MAYMOVE)`],
    ret: '-1 EINVAL',
    fn: 'resize_is_valid',
    words: /old_len 0 duplicates only shared mappings/,
  },
  'mremap: no room to grow and no MREMAP_MAYMOVE': {
    lines: [mmap(0, 1), mmap(1, 1, 'PROT_READ'), `mremap(${at(0)}, 4096, 8192, 0)`],
    ret: '-1 ENOMEM',
    fn: 'expand_vma',
    words: /no room to grow vma\d+ in place and no MREMAP_MAYMOVE/,
  },
  'mremap: growing a locked mapping past RLIMIT_MEMLOCK': {
    lines: [
      mmap(0, 1),
      `mlock(${at(0)}, 4096)`,
      `mremap(${at(0)}, 4096, 0x1000000, MREMAP_MAYMOVE)`,
    ],
    ret: '-1 EAGAIN',
    fn: 'resize_is_valid',
    words: /growing locked vma\d+ would exceed RLIMIT_MEMLOCK/,
    options: { kernel: unpriv },
  },
  'mremap: moving several VMAs from a gap': {
    lines: [mmap(1, 1), `mremap(${at(0)}, 8192, 8192, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(8)})`],
    ret: '-1 EFAULT',
    fn: 'remap_move',
    words: /the range starts in a gap/,
  },
  // ---- madvise ----
  'madvise: unknown advice': {
    lines: [mmap(0, 1), `madvise(${at(0)}, 4096, 77)`],
    ret: '-1 EINVAL',
    fn: 'is_valid_madvise',
    words: /unknown advice 77/,
  },
  'madvise: unaligned start': {
    lines: [mmap(0, 1), `madvise(${at(0, 0x10)}, 4096, MADV_DONTNEED)`],
    ret: '-1 EINVAL',
    fn: 'is_valid_madvise',
    words: /start 0x200000000010 is not page aligned/,
  },
  'madvise: a range that wraps': {
    lines: [`madvise(0xfffffffffffff000, 0x2000, MADV_DONTNEED)`],
    ret: '-1 EINVAL',
    fn: 'is_valid_madvise',
    words: /start \+ len wraps/,
  },
  'madvise: nothing mapped': {
    lines: [`madvise(${at(0)}, 4096, MADV_DONTFORK)`],
    ret: '-1 ENOMEM',
    fn: 'madvise_walk_vmas',
    words: /nothing is mapped from 0x200000000000 on/,
  },
  'madvise: a hole in the range': {
    lines: [mmap(0, 1), mmap(2, 1), `madvise(${at(0)}, 0x3000, MADV_DONTFORK)`],
    ret: '-1 ENOMEM',
    fn: 'madvise_walk_vmas',
    words: /part of the range is not mapped/,
  },
  'madvise: MADV_WIPEONFORK of shared memory': {
    lines: [
      mmap(0, 1, RW, 'MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED'),
      `madvise(${at(0)}, 4096, MADV_WIPEONFORK)`,
    ],
    ret: '-1 EINVAL',
    fn: 'madvise_vma_behavior',
    words: /vma\d+ is not private anonymous memory \(MADV_WIPEONFORK\)/,
  },
  'madvise: MADV_REMOVE of anonymous memory': {
    lines: [mmap(0, 1), `madvise(${at(0)}, 4096, MADV_REMOVE)`],
    ret: '-1 EINVAL',
    fn: 'madvise_vma_behavior',
    words: /vma\d+ is not a file mapping \(MADV_REMOVE\)/,
  },
  'madvise: MADV_REMOVE of a private file mapping': {
    lines: [
      OPEN_RW,
      mmap(0, 1, RW, 'MAP_PRIVATE|MAP_FIXED', 3),
      `madvise(${at(0)}, 4096, MADV_REMOVE)`,
    ],
    ret: '-1 EACCES',
    fn: 'madvise_vma_behavior',
    words: /is not a shared writable mapping \(MADV_REMOVE\)/,
  },
  'madvise: MADV_DONTNEED of locked memory': {
    lines: [mmap(0, 1), `mlock(${at(0)}, 4096)`, `madvise(${at(0)}, 4096, MADV_DONTNEED)`],
    ret: '-1 EINVAL',
    fn: 'madvise_vma_behavior',
    words: /is locked or VM_PFNMAP/,
  },
  'madvise: MADV_FREE of a file mapping': {
    lines: [
      OPEN_RO,
      mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED', 3),
      `madvise(${at(0)}, 4096, MADV_FREE)`,
    ],
    ret: '-1 EINVAL',
    fn: 'madvise_vma_behavior',
    words: /is not anonymous memory \(MADV_FREE\)/,
  },
  'madvise: MADV_GUARD_INSTALL in locked memory': {
    lines: [mmap(0, 1), `mlock(${at(0)}, 4096)`, `madvise(${at(0)}, 4096, MADV_GUARD_INSTALL)`],
    ret: '-1 EINVAL',
    fn: 'madvise_vma_behavior',
    words: /no guard regions/,
  },
  'madvise: a discard of sealed read-only memory': {
    lines: [
      mmap(0, 1, 'PROT_READ'),
      `mseal(${at(0)}, 4096, 0)`,
      `madvise(${at(0)}, 4096, MADV_DONTNEED)`,
    ],
    ret: '-1 EPERM',
    fn: 'can_madvise_modify',
    words: /vma\d+ is sealed read-only anonymous memory/,
  },
  'madvise: MADV_POPULATE_WRITE of read-only memory': {
    lines: [mmap(0, 1, 'PROT_READ'), `madvise(${at(0)}, 4096, MADV_POPULATE_WRITE)`],
    ret: '-1 EINVAL',
    fn: 'madvise_populate',
    words: /vma\d+ is not writable/,
  },
  'madvise: MADV_POPULATE_READ of nothing': {
    lines: [`madvise(${at(0)}, 4096, MADV_POPULATE_READ)`],
    ret: '-1 ENOMEM',
    fn: 'madvise_populate',
    words: /0x200000000000 is not mapped/,
  },
  'madvise: MADV_POPULATE_READ past the end of the file': {
    lines: [
      OPEN_RW,
      'ftruncate(3, 4096)',
      mmap(0, 2, 'PROT_READ', 'MAP_SHARED|MAP_FIXED', 3),
      `madvise(${at(0)}, 0x2000, MADV_POPULATE_READ)`,
    ],
    ret: '-1 EFAULT',
    fn: 'madvise_populate',
    words: /0x200000001000 cannot be faulted in/,
  },
  // ---- mlock, mlock2, munlock, mlockall ----
  'mlock: nothing mapped': {
    lines: [`mlock(${at(0)}, 4096)`],
    ret: '-1 ENOMEM',
    fn: 'apply_vma_lock_flags',
    words: /0x200000000000 is not mapped/,
  },
  'mlock: a hole in the range': {
    lines: [mmap(0, 1), mmap(2, 1), `mlock(${at(0)}, 0x3000)`],
    ret: '-1 ENOMEM',
    fn: 'apply_vma_lock_flags',
    words: /\[0x200000001000, 0x200000002000\) is not mapped/,
  },
  'mlock: the range ends past the last VMA': {
    lines: [mmap(0, 1), `mlock(${at(0)}, 0x2000)`],
    ret: '-1 ENOMEM',
    fn: 'apply_vma_lock_flags',
    words: /\[0x200000001000, 0x200000002000\) is not mapped/,
  },
  'mlock: a range that wraps': {
    lines: [`mlock(0xfffffffffffff000, 0x2000)`],
    ret: '-1 EINVAL',
    fn: 'apply_vma_lock_flags',
    words: /start \+ len wraps/,
  },
  'mlock: without RLIMIT_MEMLOCK': {
    lines: [mmap(0, 1), `mlock(${at(0)}, 4096)`],
    ret: '-1 EPERM',
    fn: 'do_mlock',
    words: /can_do_mlock\(\): RLIMIT_MEMLOCK is 0/,
    options: { kernel: noMemlock },
  },
  'mlock: past RLIMIT_MEMLOCK': {
    lines: [mmap(0, 4096), `mlock(${at(0)}, 0x1000000)`],
    ret: '-1 ENOMEM',
    fn: 'do_mlock',
    words: /4096 locked pages would exceed RLIMIT_MEMLOCK \(2048 pages\)/,
    options: { kernel: unpriv },
  },
  'mlock: memory that cannot be faulted in': {
    lines: [mmap(0, 1, 'PROT_NONE'), `mlock(${at(0)}, 4096)`],
    ret: '-1 ENOMEM',
    fn: '__mlock_posix_error_return',
    words: /__mm_populate\(\) failed with EFAULT/,
  },
  'mlock2: unknown flags': {
    lines: [mmap(0, 1), `mlock2(${at(0)}, 4096, 2)`],
    ret: '-1 EINVAL',
    fn: 'sys_mlock2',
    words: /flags 0x2: only MLOCK_ONFAULT/,
  },
  'munlock: a hole in the range': {
    lines: [mmap(0, 1), mmap(2, 1), `munlock(${at(0)}, 0x3000)`],
    ret: '-1 ENOMEM',
    fn: 'apply_vma_lock_flags',
    words: /\[0x200000001000, 0x200000002000\) is not mapped/,
  },
  'munlock: a range that wraps': {
    lines: [`munlock(0xfffffffffffff000, 0x2000)`],
    ret: '-1 EINVAL',
    fn: 'apply_vma_lock_flags',
    words: /start \+ len wraps/,
  },
  'mlockall: no flags': {
    lines: ['mlockall(0)'],
    ret: '-1 EINVAL',
    fn: 'sys_mlockall',
    words: /flags 0x0: MCL_CURRENT or MCL_FUTURE/,
  },
  'mlockall: MCL_ONFAULT alone': {
    lines: ['mlockall(MCL_ONFAULT)'],
    ret: '-1 EINVAL',
    fn: 'sys_mlockall',
    words: /flags 0x4: MCL_CURRENT or MCL_FUTURE/,
  },
  'mlockall: without RLIMIT_MEMLOCK': {
    lines: ['mlockall(MCL_FUTURE)'],
    ret: '-1 EPERM',
    fn: 'sys_mlockall',
    words: /can_do_mlock/,
    options: { kernel: noMemlock },
  },
  'mlockall: MCL_CURRENT past RLIMIT_MEMLOCK': {
    lines: [mmap(0, 4096), 'mlockall(MCL_CURRENT)'],
    ret: '-1 ENOMEM',
    fn: 'sys_mlockall',
    words: /total_vm 4096 pages exceeds RLIMIT_MEMLOCK/,
    options: { kernel: unpriv },
  },
  // ---- mseal ----
  'mseal: flags': {
    lines: [mmap(0, 1), `mseal(${at(0)}, 4096, 1)`],
    ret: '-1 EINVAL',
    fn: 'do_mseal',
    words: /flags 0x1: no flag is defined/,
  },
  'mseal: unaligned start': {
    lines: [mmap(0, 1), `mseal(${at(0, 0x10)}, 4096, 0)`],
    ret: '-1 EINVAL',
    fn: 'do_mseal',
    words: /start 0x200000000010 is not page aligned/,
  },
  'mseal: a range that wraps': {
    lines: [`mseal(0xfffffffffffff000, 0x2000, 0)`],
    ret: '-1 EINVAL',
    fn: 'do_mseal',
    words: /start \+ len wraps/,
  },
  'mseal: a hole in the range': {
    lines: [mmap(0, 1), `mseal(${at(0)}, 0x2000, 0)`],
    ret: '-1 ENOMEM',
    fn: 'do_mseal',
    words: /\[0x200000000000, 0x200000002000\) has a hole/,
  },
  // ---- prctl(PR_SET_VMA) ----
  'prctl: without CONFIG_ANON_VMA_NAME': {
    lines: [mmap(0, 1), `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 4096, "x")`],
    ret: '-1 EINVAL',
    fn: 'prctl_set_vma',
    words: /CONFIG_ANON_VMA_NAME is not set/,
  },
  'prctl: a name too long': {
    lines: [
      mmap(0, 1),
      `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 4096, "${'n'.repeat(80)}")`,
    ],
    ret: '-1 EINVAL',
    fn: 'prctl_set_vma',
    words: /the name is 80 characters or longer/,
    options: { kernel: named },
  },
  'prctl: a name with a character not allowed': {
    lines: [mmap(0, 1), `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 4096, "a$b")`],
    ret: '-1 EINVAL',
    fn: 'prctl_set_vma',
    words: /a character that is not allowed/,
    options: { kernel: named },
  },
  'prctl: naming a file mapping': {
    lines: [
      OPEN_RO,
      mmap(0, 1, 'PROT_READ', 'MAP_PRIVATE|MAP_FIXED', 3),
      `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 4096, "x")`,
    ],
    ret: '-1 EBADF',
    fn: 'madvise_vma_anon_name',
    words: /vma\d+ maps a file/,
    options: { kernel: named },
  },
  'prctl: an unaligned start': {
    lines: [mmap(0, 1), `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0, 0x10)}, 4096, "x")`],
    ret: '-1 EINVAL',
    fn: 'madvise_set_anon_name',
    words: /start 0x200000000010 is not page aligned/,
    options: { kernel: named },
  },
  'prctl: a hole in the range': {
    lines: [mmap(0, 1), `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 0x2000, "x")`],
    ret: '-1 ENOMEM',
    fn: 'madvise_walk_vmas',
    words: /nothing is mapped from 0x200000001000 on/,
    options: { kernel: named },
  },
  // ---- openat, close, ftruncate ----
  'openat: a failure the log recorded': {
    lines: ['openat(AT_FDCWD, "/nope", O_RDONLY) = -1 ENOENT (No such file or directory)'],
    ret: '-1 ENOENT',
    fn: 'do_sys_openat2',
    words: /\/nope: the log recorded this failure/,
  },
  'close: fd not open': {
    lines: ['close(7)'],
    ret: '-1 EBADF',
    fn: 'close_fd',
    words: /fd 7 is not open/,
  },
  'ftruncate: fd not open': {
    lines: ['ftruncate(7, 0)'],
    ret: '-1 EBADF',
    fn: 'do_sys_ftruncate',
    words: /fd 7 is not open/,
  },
  'ftruncate: a negative length': {
    lines: [OPEN_RW, 'ftruncate(3, -1)'],
    ret: '-1 EINVAL',
    fn: 'do_sys_ftruncate',
    words: /length -1 is negative/,
  },
  'ftruncate: fd not open for writing': {
    lines: [OPEN_RO, 'ftruncate(3, 0)'],
    ret: '-1 EINVAL',
    fn: 'do_ftruncate',
    words: /fd 3 is not open for writing/,
  },
  'ftruncate: past the file system limit': {
    lines: [OPEN_RW, 'ftruncate(3, 0x100000000000)'],
    ret: '-1 EFBIG',
    fn: 'inode_newsize_ok',
    words: /beyond the file system's limit/,
  },
  // ---- @touch, @read ----
  '@touch: nothing mapped': {
    lines: [`@touch(${at(0)})`],
    ret: 'SIGSEGV',
    fn: 'do_user_addr_fault',
    words: /0x200000000000: no VMA covers it/,
  },
  '@touch: read-only memory': {
    lines: [mmap(0, 1, 'PROT_READ'), `@touch(${at(0)})`],
    ret: 'SIGSEGV',
    fn: 'do_user_addr_fault',
    words: /vma\d+ does not allow writing \(access_error\)/,
  },
  '@read: PROT_NONE memory': {
    lines: [mmap(0, 1, 'PROT_NONE'), `@read(${at(0)})`],
    ret: 'SIGSEGV',
    fn: 'do_user_addr_fault',
    words: /vma\d+ does not allow reading \(access_error\)/,
  },
  '@touch: a guard page': {
    lines: [mmap(0, 2), `madvise(${at(1)}, 4096, MADV_GUARD_INSTALL)`, `@touch(${at(0)}, 0x2000)`],
    ret: 'SIGSEGV',
    fn: 'handle_mm_fault',
    words: /0x200000001000 is a guard page/,
  },
  '@read: past the end of the file': {
    lines: [
      OPEN_RW,
      'ftruncate(3, 4096)',
      mmap(0, 2, 'PROT_READ', 'MAP_SHARED|MAP_FIXED', 3),
      `@read(${at(1)})`,
    ],
    ret: 'SIGBUS',
    fn: 'handle_mm_fault',
    words: /0x200000001000 lies past the end of the file/,
  },
  '@touch: a stack that cannot grow': {
    lines: [mmap(0, 1), mmap(8, 1, RW, `${FIXED}|MAP_GROWSDOWN`), `@touch(${at(7)})`],
    ret: 'SIGSEGV',
    fn: 'do_user_addr_fault',
    words: /the stack cannot grow here/,
  },
};

function run(lines: string[], options: RunOptions = {}): Ran {
  const out = runScenario(lines.join('\n'), 'scn', { validate: true, ...options });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** The steps of call `i`, its own row (the last) left out. */
function stepsOf(out: Ran, i: number): Step[] {
  const rowAt = out.calls[i].lastStep;
  const first = out.steps.findIndex((s) => s.call === i);
  return out.steps.slice(first, rowAt);
}

/** What a failed result refuses with: the errno, or the signal. */
const refusal = (ret: string): string => ret.replace(/^-1 /, '');

describe('every refusal is a step naming the check and the function', () => {
  for (const [name, r] of Object.entries(REFUSALS)) {
    it(name, () => {
      const out = run(r.lines, r.options);
      const i = out.calls.length - 1;
      expect(out.calls[i].ret).toBe(r.ret);
      const steps = stepsOf(out, i);
      const why = steps[steps.length - 1];
      expect(why.fn).toBe(r.fn);
      const errno = refusal(r.ret);
      expect(why.message.startsWith(`${errno}: `)).toBe(true);
      expect(why.message).toMatch(r.words);
      if (r.ret.startsWith('-1 ')) expect(why.errno).toBe(errno);
      // No step is a bare errno: each says more than its errno.
      for (const s of steps) expect(s.message).not.toMatch(/^(-1 )?E[A-Z]+$/);
    });
  }
});

describe('brk() refuses without an errno, and says why', () => {
  const BRK = '0x200000000000';
  const cases: Record<string, { lines: string[]; fn: string; words: RegExp }> = {
    'below start_brk': {
      lines: ['brk(0x1000)'],
      fn: 'sys_brk',
      words: /0x1000 is below start_brk 0x200000000000/,
    },
    'above TASK_SIZE': {
      lines: ['brk(0x800000000000)'],
      fn: 'check_brk_limits',
      words: /0x800000000000 is above TASK_SIZE/,
    },
    'a VMA too close above': {
      lines: [mmap(4, 1), `brk(${at(4)})`],
      fn: 'sys_brk',
      words: /vma\d+ is too close above the new break/,
    },
    'past RLIMIT_MEMLOCK after mlockall(MCL_FUTURE)': {
      lines: ['mlockall(MCL_FUTURE)', 'brk(0x201000000000)'],
      fn: 'check_brk_limits',
      words: /exceed RLIMIT_MEMLOCK/,
    },
  };
  for (const [name, c] of Object.entries(cases)) {
    it(name, () => {
      const out = run(c.lines, { kernel: unpriv });
      const i = out.calls.length - 1;
      expect(out.calls[i].ret).toBe(BRK);
      const steps = stepsOf(out, i);
      const why = steps[steps.length - 1];
      expect(why.fn).toBe(c.fn);
      expect(why.message).toMatch(/^refused: /);
      expect(why.message).toMatch(c.words);
      expect(why.message).toMatch(/the break stays at 0x200000000000$/);
    });
  }

  it('brk(NULL) reads the break', () => {
    const out = run(['brk(NULL)']);
    expect(stepsOf(out, 0).pop()?.message).toBe('brk(NULL) reads the break: 0x200000000000');
  });
});

describe('random scenarios: every failed call says why', () => {
  // Profiles and failed allocations that reach the limits and the error
  // paths (ENOMEM turned into EAGAIN, EFAULT into ENOMEM) a default run
  // rarely takes.
  const profiles: KernelProfile[] = [LINUX_6_18, unpriv, { ...LINUX_6_18, maxMapCount: 12 }];
  profiles.push({
    ...LINUX_6_18,
    overcommit: { ...LINUX_6_18.overcommit, memory: 2, ramPages: 200, ratio: 100 },
  });

  it('each failed call has a step with its errno (or signal), the message starting with it', () => {
    let failed = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const text = generateScenario(seed, 120);
      for (const kernel of profiles) {
        for (const failAllocation of [0, 7, 77]) {
          const out = runScenario(text, 'scn', { kernel, failAllocation });
          if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
          out.calls.forEach((c, i) => {
            const m = /^-1 (E[A-Z]+)$|^(SIG[A-Z]+)$/.exec(c.ret);
            if (m === null) return;
            failed++;
            const why = m[1] ?? m[2];
            const said = stepsOf(out, i).some(
              (s) => s.message.startsWith(`${why}: `) && (m[1] === undefined || s.errno === why),
            );
            const where = `seed ${seed}, ${kernel.name}, failAllocation ${failAllocation}`;
            expect(said, `${where}, line ${c.line}: ${c.call} = ${c.ret}`).toBe(true);
          });
        }
      }
    }
    expect(failed).toBeGreaterThan(3000);
  });
});
