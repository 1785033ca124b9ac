// SPDX-License-Identifier: GPL-2.0-or-later
// mm/mmap.c (Linux 6.18): mmap(), the search for free space, brk(); and the
// part of mm/vma.c that maps a new region (__mmap_region()).
import { mas_empty_area_rev } from '../maple/empty-area';
import { MA_STATE } from '../maple/state';
import { err, ok, type Result } from '../errno';
import { range, type Ctx } from './ctx';
import { noreserveHonoured, security_vm_enough_memory_mm } from './util';
import { STACK_GUARD_GAP, fget, vmaList, type FileKey } from './mm-snapshot';
import { populate_range } from './memory';
import {
  VM_ACCOUNT,
  VM_DATA_DEFAULT_FLAGS,
  VM_EXEC,
  VM_GROWSDOWN,
  VM_HUGETLB,
  VM_LOCKED,
  VM_LOCKED_MASK,
  VM_LOCKONFAULT,
  VM_MAYEXEC,
  VM_MAYREAD,
  VM_MAYSHARE,
  VM_MAYWRITE,
  VM_NOHUGEPAGE,
  VM_NORESERVE,
  VM_READ,
  VM_SHARED,
  VM_SPECIAL,
  VM_STARTGAP_FLAGS,
  VM_WRITE,
} from './vm-flags';
import {
  PAGE_ALIGN,
  VMG_STATE,
  do_vmi_align_munmap,
  init_vma_munmap,
  may_expand_vm,
  vm_stat_account,
  vma_merge_new_range,
  vms_complete_munmap_vmas,
  vms_gather_munmap_vmas,
} from './vma';
import { PHYS_PFN, PAGE_SIZE, PMD_SIZE, TASK_SIZE, hex, vma_init, type Vma } from './mm_types';
import { find_vma, find_vma_intersection, vma_prev, vma_iter_store_new } from './vma_iter';

const MMAP_C = 'mm/mmap.c';
const VMA_C = 'mm/vma.c';

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
const LEGACY_MAP_MASK =
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
/** include/linux/fs.h: MAX_LFS_FILESIZE on 64-bit, LLONG_MAX. */
const MAX_LFS_FILESIZE = 2n ** 63n - 1n;
/** The path /proc shows for a shared anonymous mapping's shmem object. */
export const SHMEM_ANON_PATH = '/dev/zero (deleted)';
const SZ_4G = 2 ** 32;
/** mmap_min_addr on the judge's machine. */
const MMAP_MIN_ADDR = 0x1000;
/** arch/x86: DEFAULT_MAP_WINDOW with 4-level paging. */
const DEFAULT_MAP_WINDOW = TASK_SIZE;

/** include/linux/mman.h: calc_vm_prot_bits() (the pkey lives in Vma.pkey). */
export function calc_vm_prot_bits(prot: number): number {
  return (
    (prot & PROT_READ ? VM_READ : 0) |
    (prot & PROT_WRITE ? VM_WRITE : 0) |
    (prot & PROT_EXEC ? VM_EXEC : 0)
  );
}

/** include/linux/mman.h: calc_vm_flag_bits() (Linux 6.18, x86_64). */
function calc_vm_flag_bits(flags: number): number {
  return (
    (flags & MAP_GROWSDOWN ? VM_GROWSDOWN : 0) |
    (flags & MAP_LOCKED ? VM_LOCKED : 0) |
    (flags & MAP_STACK ? VM_NOHUGEPAGE : 0)
  );
}

/**
 * arch/x86/mm/pkeys.c: execute_only_pkey() — the key that denies reads and
 * writes, allocated on first use (key 1 in a fresh process).
 */
export function execute_only_pkey(ctx: Ctx): number {
  // Without protection keys (X86_FEATURE_OSPKE) arch_max_pkey() is 1 and
  // there is no execute-only key: PROT_EXEC alone stays readable.
  if (!ctx.cur.kernel.pku) return -1;
  if (ctx.cur.execute_only_pkey < 0) ctx.set({ execute_only_pkey: 1 });
  return ctx.cur.execute_only_pkey;
}

/** mm/mlock.c: mlock_future_ok() (Linux 6.18). */
export function mlock_future_ok(ctx: Ctx, flags: number, bytes: number): boolean {
  if (!(flags & VM_LOCKED) || ctx.limits.capIpcLock) return true;
  const locked = bytes / PAGE_SIZE + ctx.cur.locked_vm;
  return locked * PAGE_SIZE <= ctx.limits.memlock;
}

/** include/linux/mm.h: vm_start_gap() — a stack's guard gap counts as taken. */
export function vm_start_gap(vma: Vma): number {
  if (!(vma.vm_flags & VM_GROWSDOWN)) return vma.vm_start;
  const g = vma.vm_start - STACK_GUARD_GAP;
  return g > vma.vm_start ? 0 : Math.max(g, 0);
}

/**
 * mm/vma.c: unmapped_area_topdown() (Linux 6.18) — the highest gap of
 * `length` bytes below high_limit, keeping clear of a stack's guard gap.
 */
function unmapped_area_topdown(
  ctx: Ctx,
  length: number,
  low_limit: number,
  high_limit: number,
  align_mask: number,
  align_offset: number,
): Result<number> {
  const searchLen = length + align_mask;
  if (low_limit < MMAP_MIN_ADDR) low_limit = MMAP_MIN_ADDR;
  for (;;) {
    // mm/vma.h: vma_iter_area_highest() -> mas_empty_area_rev(min, max - 1, size)
    if (high_limit - 1 < low_limit) return err('ENOMEM');
    const mas = MA_STATE(ctx.cur.mt, 0, 0);
    if (mas_empty_area_rev(mas, low_limit, high_limit - 1, searchLen) !== 0) return err('ENOMEM');
    const gap_end = mas.last + 1;
    let gap = gap_end - length;
    gap -= (gap - align_offset) & align_mask;
    const tmp = find_vma(ctx, gap_end);
    if (tmp !== null && tmp.vm_flags & VM_STARTGAP_FLAGS) {
      if (vm_start_gap(tmp) < gap_end) {
        high_limit = vm_start_gap(tmp);
        if (high_limit < low_limit) return err('ENOMEM');
        continue;
      }
    } else {
      const prev = vma_prev(ctx, gap_end);
      if (prev !== null && prev.vm_end > gap) {
        high_limit = prev.vm_start;
        if (high_limit < low_limit) return err('ENOMEM');
        continue;
      }
    }
    return ok(gap);
  }
}

/**
 * arch/x86/kernel/sys_x86_64.c: arch_get_unmapped_area_topdown() (Linux 6.18)
 * via mm_get_unmapped_area_vmflags(): MAP_FIXED as given, a free hint as
 * given, otherwise the highest gap below mmap_base.
 */
function arch_get_unmapped_area_topdown(
  ctx: Ctx,
  addr0: number,
  len: number,
  pgoff: number,
  flags: number,
): Result<number> {
  if (len > TASK_SIZE) return err('ENOMEM');
  if (flags & MAP_FIXED) return ok(addr0);
  let addr = addr0;
  if (addr) {
    addr -= addr % PAGE_SIZE;
    // mmap_address_hint_valid()
    const valid =
      !(TASK_SIZE - len < addr) && addr > DEFAULT_MAP_WINDOW === addr + len > DEFAULT_MAP_WINDOW;
    if (valid) {
      const vma = find_vma(ctx, addr);
      if (vma === null || addr + len <= vm_start_gap(vma)) return ok(addr);
    }
  }
  const low_limit = flags & MAP_ABOVE4G ? SZ_4G : PAGE_SIZE;
  const r = unmapped_area_topdown(ctx, len, low_limit, ctx.cur.mmap_base, 0, pgoff * PAGE_SIZE);
  if (r.ok) return r;
  // SIMPLIFICATION: the bottom-up fallback (arch_get_unmapped_area()) is not modelled.
  return err('ENOMEM');
}

/** mm/huge_memory.c: __thp_get_unmapped_area() (Linux 6.18), padded search for PMD alignment. */
function __thp_get_unmapped_area(
  ctx: Ctx,
  addr: number,
  len: number,
  off: number,
  flags: number,
): number {
  const size = PMD_SIZE;
  const off_end = off + len;
  const off_align = Math.ceil(off / size) * size;
  if (off_end <= off_align || off_end - off_align < size) return 0;
  const len_pad = len + size;
  // `off + len_pad < off` on a signed loff_t: past 2^63 it wraps negative.
  if (off + len_pad > 2 ** 63) return 0;
  const r = arch_get_unmapped_area_topdown(ctx, addr, len_pad, off / PAGE_SIZE, flags);
  if (!r.ok) return 0;
  let ret = r.value;
  if (ret === addr) return addr;
  const off_sub = (((off - ret) % size) + size) % size;
  if (off_sub === 0) return ret + size;
  ret += off_sub;
  return ret;
}

/**
 * mm/mmap.c: __get_unmapped_area() (Linux 6.18). Large anonymous mappings
 * (a multiple of 2 MiB, no hint) are placed on a 2 MiB boundary
 * (thp_get_unmapped_area_vmflags()); so are regular-file mappings through the
 * file's thp_get_unmapped_area(). Shared anonymous memory uses
 * shmem_get_unmapped_area(), which adds nothing with shmem THP `never`.
 */
export function __get_unmapped_area(
  ctx: Ctx,
  file: number | null,
  isShmem: boolean,
  addr: number,
  len: number,
  pgoff: number,
  flags: number,
): Result<number> {
  if (len > TASK_SIZE) return err('ENOMEM');
  let r: Result<number>;
  if (file !== null && !isShmem) {
    // ext4: thp_get_unmapped_area()
    const got = __thp_get_unmapped_area(ctx, addr, len, pgoff * PAGE_SIZE, flags);
    r = got ? ok(got) : arch_get_unmapped_area_topdown(ctx, addr, len, pgoff, flags);
  } else if (file !== null || flags & MAP_SHARED) {
    r = arch_get_unmapped_area_topdown(ctx, addr, len, 0, flags);
  } else if (!addr && len % PMD_SIZE === 0) {
    const got = __thp_get_unmapped_area(ctx, addr, len, 0, flags);
    r = got ? ok(got) : arch_get_unmapped_area_topdown(ctx, addr, len, 0, flags);
  } else {
    r = arch_get_unmapped_area_topdown(ctx, addr, len, 0, flags);
  }
  if (!r.ok) return r;
  if (r.value > TASK_SIZE - len) return err('ENOMEM');
  if (r.value % PAGE_SIZE) return err('EINVAL');
  if (r.value < MMAP_MIN_ADDR) return err('EPERM');
  return r;
}

/** How one mmap() call asks for memory (after the syscall wrapper). */
export interface MmapRequest {
  addr: number;
  len: number;
  prot: number;
  /** Bits 0..31 of the flags (every MAP_* bit is there). */
  flags: number;
  /** Bits 32..63 of the flags: only MAP_SHARED_VALIDATE looks at them. */
  flagsHigh: number;
  fd: number;
  /** The file offset in bytes, exact (a full 64-bit value). */
  offset: bigint;
}

/**
 * include/linux/fs.h: file_mmap_ok() (Linux 6.18) for a regular file:
 * `[pgoff, pgoff + len)` must end within MAX_LFS_FILESIZE.
 */
function file_mmap_ok(pgoff: number, len: number): boolean {
  const maxsize = MAX_LFS_FILESIZE;
  if (BigInt(len) > maxsize) return false;
  return BigInt(pgoff) <= (maxsize - BigInt(len)) >> 12n;
}

/**
 * mm/mmap.c: ksys_mmap_pgoff() + do_mmap() (Linux 6.18): validate, choose the
 * address, compute vm_flags, then mmap_region().
 */
export function do_mmap(ctx: Ctx, req: MmapRequest): Result<number> {
  const { prot } = req;
  let { addr, len, flags, flagsHigh } = req;
  const fn = 'do_mmap';
  const fail = (e: Parameters<typeof err>[0], why: string): Result<number> => {
    ctx.step(fn, MMAP_C, why, { errno: e });
    return err(e);
  };
  if (req.offset % BigInt(PAGE_SIZE)) return fail('EINVAL', 'offset is not page aligned');
  // offset >> PAGE_SHIFT is below 2^52: exact in a number.
  let pgoff = Number(req.offset >> 12n);
  let file = null as null | { id: number; path: string; readable: boolean; writable: boolean };
  if (!(flags & MAP_ANONYMOUS)) {
    const f = fget(ctx.cur.fds, req.fd);
    if (f === null) return fail('EBADF', `fd ${req.fd} is not open (or O_PATH)`);
    file = f;
  } else if (flags & MAP_HUGETLB) {
    return fail('EINVAL', 'MAP_HUGETLB is not modelled (no huge pages reserved)');
  }
  if (!len) return fail('EINVAL', 'length 0');
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED) && addr && addr < MMAP_MIN_ADDR) addr = PAGE_ALIGN(MMAP_MIN_ADDR);
  len = PAGE_ALIGN(len);
  if (!len || len > 2 ** 52) return fail('ENOMEM', 'length overflows');
  if (ctx.cur.map_count > ctx.cur.kernel.maxMapCount) return fail('ENOMEM', 'too many mappings');

  const type = flags & MAP_TYPE;
  const shmemAnon = file === null && type === MAP_SHARED;
  const got = __get_unmapped_area(ctx, file?.id ?? null, shmemAnon, addr, len, pgoff, flags);
  if (!got.ok) return fail(got.errno, 'get_unmapped_area found no room');
  addr = got.value;
  ctx.step('__get_unmapped_area', MMAP_C, () => `address ${range(addr, addr + len)}`);

  if (flags & MAP_FIXED_NOREPLACE && find_vma_intersection(ctx, addr, addr + len) !== null) {
    return fail('EEXIST', 'MAP_FIXED_NOREPLACE: the range is in use');
  }
  let pkey = 0;
  if (prot === PROT_EXEC) pkey = Math.max(execute_only_pkey(ctx), 0);

  let vm_flags =
    calc_vm_prot_bits(prot) |
    calc_vm_flag_bits(flags) |
    ctx.cur.def_flags |
    VM_MAYREAD |
    VM_MAYWRITE |
    VM_MAYEXEC;
  if (flags & MAP_LOCKED && !(ctx.limits.memlock > 0 || ctx.limits.capIpcLock)) {
    return fail('EPERM', 'cannot lock');
  }
  if (!mlock_future_ok(ctx, vm_flags, len)) return fail('EAGAIN', 'RLIMIT_MEMLOCK exceeded');

  if (file !== null) {
    if (!file_mmap_ok(pgoff, len)) return fail('EOVERFLOW', 'the range ends past MAX_LFS_FILESIZE');
    if (type === MAP_SHARED || type === MAP_SHARED_VALIDATE) {
      if (type === MAP_SHARED) {
        // Unknown flags are silently dropped with plain MAP_SHARED.
        flags &= LEGACY_MAP_MASK;
        flagsHigh = 0;
      }
      if (flags & ~LEGACY_MAP_MASK || flagsHigh) {
        return fail('EOPNOTSUPP', 'MAP_SHARED_VALIDATE: a flag outside LEGACY_MAP_MASK');
      }
      if (prot & PROT_WRITE && !file.writable) return fail('EACCES', 'file not open for writing');
      vm_flags |= VM_SHARED | VM_MAYSHARE;
      if (!file.writable) vm_flags &= ~(VM_MAYWRITE | VM_SHARED);
    } else if (type !== MAP_PRIVATE) {
      return fail('EINVAL', 'bad mapping type');
    }
    // case MAP_PRIVATE (and the shared cases falling through to it):
    if (!file.readable) return fail('EACCES', 'file not open for reading');
    if (vm_flags & VM_GROWSDOWN) return fail('EINVAL', 'MAP_GROWSDOWN on a file');
  } else {
    switch (type) {
      case MAP_SHARED:
        if (vm_flags & VM_GROWSDOWN) return fail('EINVAL', 'MAP_GROWSDOWN on shared memory');
        pgoff = 0;
        vm_flags |= VM_SHARED | VM_MAYSHARE;
        break;
      case MAP_PRIVATE:
        pgoff = PHYS_PFN(addr);
        break;
      default:
        return fail('EINVAL', 'bad mapping type for anonymous memory');
    }
  }
  // We honour MAP_NORESERVE if allowed to overcommit (not in mode 2).
  if (flags & MAP_NORESERVE && noreserveHonoured(ctx)) vm_flags |= VM_NORESERVE;
  vm_flags >>>= 0;

  const r = mmap_region(ctx, file, addr, len, vm_flags, pgoff, pkey);
  if (!r.ok) return r;
  if (vm_flags & VM_LOCKED || (flags & (MAP_POPULATE | MAP_NONBLOCK)) === MAP_POPULATE) {
    populate_range(ctx, addr, addr + len, true);
  }
  return r;
}

/** mm/vma.c: accountable_mapping() (Linux 6.18) — private writable memory is charged. */
function accountable_mapping(vm_flags: number): boolean {
  return (
    (vm_flags & (VM_NORESERVE | VM_SHARED | VM_WRITE)) === VM_WRITE && !(vm_flags & VM_HUGETLB)
  );
}

/**
 * mm/vma.c: __mmap_region() (Linux 6.18): gather what the range replaces,
 * try to merge with the neighbours, else link a new VMA; then complete the
 * unmap of what was replaced.
 */
export function mmap_region(
  ctx: Ctx,
  file: { id: number; path: string } | null,
  addr: number,
  len: number,
  vm_flags: number,
  pgoff: number,
  pkey: number,
): Result<number> {
  const end = addr + len;
  const vms = init_vma_munmap(addr, end);
  let prev: Vma | null;
  let next: Vma | null;
  // __mmap_setup(): find the first overlapping VMA and gather what to unmap.
  const first = find_vma_intersection(ctx, addr, end);
  if (first !== null) {
    const g = vms_gather_munmap_vmas(ctx, vms, first);
    if (!g.ok) return g;
    prev = vms.prev;
    next = vms.next;
  } else {
    prev = vma_prev(ctx, addr);
    next = find_vma(ctx, addr);
  }
  if (!may_expand_vm(ctx, vm_flags, len / PAGE_SIZE - vms.nr_pages)) {
    ctx.step('__mmap_setup', VMA_C, 'address space limit', { errno: 'ENOMEM' });
    return err('ENOMEM');
  }
  if (accountable_mapping(vm_flags)) {
    // Charge only what the mappings we replace had not charged already.
    const uncharged = len / PAGE_SIZE - vms.nr_accounted;
    if (uncharged && !security_vm_enough_memory_mm(ctx, uncharged, '__mmap_setup')) {
      return err('ENOMEM');
    }
    vm_flags = (vm_flags | VM_ACCOUNT) >>> 0;
  }

  const isShmem = file === null && (vm_flags & VM_SHARED) !== 0;
  let vma: Vma | null = null;
  if (prev !== null || next !== null) {
    const vmg = VMG_STATE(ctx, addr, end, vm_flags, pgoff);
    vmg.prev = prev;
    vmg.next = next;
    vmg.pkey = pkey;
    vmg.file = file?.path ?? null;
    vmg.vm_file = file?.id ?? null;
    vmg.vm_ops = file !== null ? 'file' : 'anon';
    vma = vma_merge_new_range(ctx, vmg);
    if (vma === null && vmg.state === 'VMA_MERGE_ERROR_NOMEM') {
      return err('ENOMEM');
    }
  }
  if (vma === null) {
    // __mmap_new_vma()
    if (!ctx.allocate('vma', 'vm_area_alloc')) return err('ENOMEM');
    if (!ctx.allocate('maple', 'vma_iter_prealloc')) return err('ENOMEM');
    let path = file?.path ?? null;
    let vm_file = file?.id ?? null;
    if (isShmem) {
      // mm/shmem.c: shmem_zero_setup() — a new shmem object of len bytes,
      // charged whole (shmem_acct_size()) unless MAP_NORESERVE.
      if (
        !(vm_flags & VM_NORESERVE) &&
        !security_vm_enough_memory_mm(ctx, len / PAGE_SIZE, 'shmem_zero_setup')
      ) {
        return err('ENOMEM');
      }
      vm_file = ctx.cur.nextFileId;
      path = SHMEM_ANON_PATH;
      const sizes = liveFileSizes(ctx);
      sizes.set(vm_file, len);
      ctx.set({ nextFileId: vm_file + 1, fileSizes: sizes });
    }
    const created = vma_init(ctx.newVmaId(), addr, end, pgoff, vm_flags, {
      pkey,
      file: path,
      vm_file,
      vm_ops: isShmem ? 'shmem' : file !== null ? 'file' : 'anon',
    });
    vma_iter_store_new(ctx, created);
    ctx.set({ map_count: ctx.cur.map_count + 1 });
    vma = created;
    ctx.step('__mmap_new_vma', VMA_C, () => `new vma${created.id} ${range(addr, end)}`);
  }
  // __mmap_complete()
  vms_complete_munmap_vmas(ctx, vms);
  vm_stat_account(ctx, vma.vm_flags, len / PAGE_SIZE);
  if (vma.vm_flags & VM_LOCKED) {
    if (vma.vm_flags & VM_SPECIAL) {
      ctx.update(vma, { vm_flags: (vma.vm_flags & ~VM_LOCKED_MASK) >>> 0 });
    } else {
      ctx.set({ locked_vm: ctx.cur.locked_vm + len / PAGE_SIZE });
    }
  }
  return ok(addr);
}

/** mm/mmap.c: brk() (Linux 6.18). Returns the new break, or the old one on failure. */
export function sys_brk(ctx: Ctx, brk: number): number {
  const mm = ctx.cur;
  const origbrk = mm.brk;
  const fn = 'sys_brk';
  const out = (why: string): number => {
    ctx.set({ brk: origbrk });
    ctx.step(fn, MMAP_C, `${why}: the break stays at ${hex(origbrk)}`);
    return origbrk;
  };
  const min_brk = mm.start_brk;
  if (brk < min_brk) return out('below start_brk');
  const newbrk = PAGE_ALIGN(brk);
  const oldbrk = PAGE_ALIGN(mm.brk);
  if (oldbrk === newbrk) {
    ctx.set({ brk });
    return brk;
  }
  if (brk <= mm.brk) {
    /* Always allow shrinking brk. */
    const brkvma = find_vma_intersection(ctx, newbrk, oldbrk);
    if (brkvma === null || brkvma.vm_start >= oldbrk) return out('no heap VMA to shrink');
    ctx.set({ brk });
    const r = do_vmi_align_munmap(ctx, brkvma, newbrk, oldbrk);
    if (!r.ok) return out('unmap failed');
    ctx.step(fn, MMAP_C, `the break shrinks to ${hex(brk)}`);
    return brk;
  }
  // check_brk_limits()
  if (oldbrk + (newbrk - oldbrk) > TASK_SIZE) return out('beyond TASK_SIZE');
  if (!mlock_future_ok(ctx, mm.def_flags, newbrk - oldbrk)) return out('RLIMIT_MEMLOCK');
  /* Only check if the next VMA is within the stack_guard_gap of the expansion area */
  const next = find_vma_intersection(ctx, oldbrk, newbrk + PAGE_SIZE + STACK_GUARD_GAP);
  if (next !== null && newbrk + PAGE_SIZE > vm_start_gap(next)) {
    return out(`vma${next.id} is too close above the new break`);
  }
  const prevCand = vma_prev(ctx, oldbrk);
  const brkvma = prevCand !== null && prevCand.vm_end > mm.start_brk ? prevCand : null;
  const r = do_brk_flags(ctx, brkvma, oldbrk, newbrk - oldbrk, 0);
  if (!r.ok) return out('do_brk_flags failed');
  ctx.set({ brk });
  ctx.step(fn, MMAP_C, `the break grows to ${hex(brk)}`);
  if (ctx.cur.def_flags & VM_LOCKED) populate_range(ctx, oldbrk, newbrk, true);
  return brk;
}

/** mm/vma.c: do_brk_flags() (Linux 6.18) — extend the heap VMA or map a new one. */
function do_brk_flags(
  ctx: Ctx,
  vma: Vma | null,
  addr: number,
  len: number,
  flags: number,
): Result<void> {
  const vm_flags = (flags | VM_DATA_DEFAULT_FLAGS | VM_ACCOUNT | ctx.cur.def_flags) >>> 0;
  if (!may_expand_vm(ctx, vm_flags, len / PAGE_SIZE)) return err('ENOMEM');
  if (ctx.cur.map_count > ctx.cur.kernel.maxMapCount) return err('ENOMEM');
  if (!security_vm_enough_memory_mm(ctx, len / PAGE_SIZE, 'do_brk_flags')) return err('ENOMEM');
  let done: Vma | null = null;
  if (vma !== null && vma.vm_end === addr) {
    const vmg = VMG_STATE(ctx, addr, addr + len, vm_flags, PHYS_PFN(addr));
    vmg.prev = vma;
    vmg.just_expand = true;
    done = vma_merge_new_range(ctx, vmg);
    if (done === null && vmg.state === 'VMA_MERGE_ERROR_NOMEM') return err('ENOMEM');
  }
  if (done === null) {
    if (!ctx.allocate('vma', 'vm_area_alloc')) return err('ENOMEM');
    if (!ctx.allocate('maple', 'vma_iter_store_gfp')) return err('ENOMEM');
    const created = vma_init(ctx.newVmaId(), addr, addr + len, PHYS_PFN(addr), vm_flags);
    vma_iter_store_new(ctx, created);
    ctx.set({ map_count: ctx.cur.map_count + 1 });
    ctx.step('do_brk_flags', VMA_C, () => `new heap vma${created.id} ${range(addr, addr + len)}`);
  }
  const pages = len / PAGE_SIZE;
  ctx.set({ total_vm: ctx.cur.total_vm + pages, data_vm: ctx.cur.data_vm + pages });
  if (vm_flags & VM_LOCKED) ctx.set({ locked_vm: ctx.cur.locked_vm + pages });
  return ok(undefined);
}

export { VM_LOCKONFAULT };

/**
 * fileSizes without the shmem objects no VMA maps any more (their last
 * mapping went, and with it the object): the map each step keeps is as big
 * as the live objects, not as the history of shared anonymous mmaps.
 */
function liveFileSizes(ctx: Ctx): Map<FileKey, number> {
  const live = new Set<number>();
  for (const v of vmaList(ctx.mm))
    if (v.vm_ops === 'shmem' && v.vm_file !== null) live.add(v.vm_file);
  const sizes = new Map<FileKey, number>();
  for (const [key, size] of ctx.cur.fileSizes) {
    if (typeof key === 'string' || live.has(key)) sizes.set(key, size);
  }
  return sizes;
}
