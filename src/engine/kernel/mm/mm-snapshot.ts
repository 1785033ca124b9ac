// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: the address space of one process as immutable snapshots.
// It stands for include/linux/mm_types.h: struct mm_struct (the fields the
// model keeps), shared node by node between the steps of a run.
//
// An MmState is an immutable snapshot: the maple tree root (mm->mm_mt, shared
// node by node with the snapshots before it) and a few small fields. Every
// step of a run keeps its own MmState.
import { MTREE_INIT, type MapleTree } from '../maple/tree';
import { mtRanges } from '../maple/iterate';
import type { StepExtra } from '../trace/events';
import { JUDGE_FILE_SIZE, JUDGE_MMAP_BASE, JUDGE_START_BRK } from '../../world/process';
import type { Vma } from './mm_types';
import { NO_GUARDS, type GuardPages } from './guards';
import { LINUX_6_18, type KernelProfile } from '../../world/kernel-profile';

/** An open file description: what `openat()` returned a descriptor for. */
export interface OpenFile {
  /** Identity of the `struct file` (each openat() makes a new one). */
  readonly id: number;
  readonly path: string;
  /** FMODE_READ and FMODE_WRITE. */
  readonly readable: boolean;
  readonly writable: boolean;
  /** FMODE_PATH (opened with O_PATH): the descriptor names the file, but no call but close() takes it. */
  readonly pathOnly: boolean;
}

/**
 * The gate area (include/linux/mm.h: get_gate_vma()), which is no VMA of the
 * mm but which /proc prints last: the lines a loaded dump showed for it.
 */
export interface GateArea {
  /** The maps line, as the dump printed it (its permissions are the profile's). */
  readonly line: string;
}

/** What names a file's size in MmState.fileSizes: a path, or a shmem object's `struct file` id. */
export type FileKey = string | number;

/**
 * i_size_read() of the file behind a VMA, in bytes: Infinity for anonymous
 * and special mappings (they have no end).
 */
export function vmaFileSize(mm: Pick<MmState, 'fileSizes'>, vma: Vma): number {
  if (vma.vm_ops === 'shmem' && vma.vm_file !== null) {
    return mm.fileSizes.get(vma.vm_file) ?? Infinity;
  }
  if (vma.vm_ops !== 'file' || vma.file === null) return Infinity;
  return mm.fileSizes.get(vma.file) ?? JUDGE_FILE_SIZE;
}

/**
 * fs/file.c: fget() (Linux 6.18) — the open file behind a descriptor, or
 * null; an O_PATH descriptor does not count (fget() skips FMODE_PATH files).
 */
export function fget(fds: ReadonlyMap<number, OpenFile>, fd: number): OpenFile | null {
  const f = fds.get(fd);
  return f === undefined || f.pathOnly ? null : f;
}

/** The limits a call checks, from the kernel profile (Infinity: unlimited). */
export interface Rlimits {
  readonly memlock: number;
  readonly stack: number;
  readonly as: number;
  readonly data: number;
  readonly capIpcLock: boolean;
}

const limitsCache = new WeakMap<KernelProfile, Rlimits>();

/** The profile's limits in the form the checks use. */
export function profileLimits(k: KernelProfile): Rlimits {
  let got = limitsCache.get(k);
  if (got) return got;
  const n = (v: number | null): number => (v === null ? Infinity : v);
  got = {
    memlock: n(k.rlimits.memlock),
    stack: n(k.rlimits.stack),
    as: n(k.rlimits.as),
    data: n(k.rlimits.data),
    capIpcLock: k.capIpcLock,
  };
  limitsCache.set(k, got);
  return got;
}

/** mm/mmap.c: stack_guard_gap default, 256 pages. */
export const STACK_GUARD_GAP = 256 << 12;

export interface MmState {
  /**
   * The VMAs, lowest address first: computed from the tree on first use and
   * cached per snapshot (a getter on the snapshot's prototype, so copies made
   * with `{ ...mm }` do not carry it: pass those through mmSnapshot()).
   */
  readonly vmas: readonly Vma[];
  /** mm->mm_mt: every VMA by its range [vm_start, vm_end - 1]. */
  readonly mt: MapleTree<Vma>;
  /** mm->map_count, held against sysctl_max_map_count (kernel.maxMapCount). */
  readonly map_count: number;
  /** Page counts, as mm->total_vm and friends. */
  readonly total_vm: number;
  readonly locked_vm: number;
  readonly data_vm: number;
  readonly exec_vm: number;
  readonly stack_vm: number;
  /** The heap: `[start_brk, brk)`; both 0 when there is none. */
  readonly start_brk: number;
  readonly brk: number;
  /** Where the main thread's stack starts (an address inside `[stack]`), or 0. */
  readonly start_stack: number;
  /** mm->mmap_base: where the top-down search for free space starts. */
  readonly mmap_base: number;
  /** mm->def_flags: VM_LOCKED / VM_LOCKONFAULT after mlockall(MCL_FUTURE). */
  readonly def_flags: number;
  /** The execute-only protection key once allocated (arch/x86/mm/pkeys.c), else -1. */
  readonly execute_only_pkey: number;
  /** The kernel this run models (settings that differ between machines). */
  readonly kernel: KernelProfile;
  /** The file descriptor table. */
  readonly fds: ReadonlyMap<number, OpenFile>;
  /**
   * File sizes in bytes, for SIGBUS past the end: a regular file by its path
   * (the contract's identity of a file), only where the size is not the
   * JUDGE_FILE_SIZE every file starts with (Infinity: unknown, as for a file
   * a loaded maps dump maps); a shmem object by its `struct file` id.
   */
  readonly fileSizes: ReadonlyMap<FileKey, number>;
  /**
   * A file's device and inode as /proc prints them (`fe:00 26723`), by path,
   * where a dump or a recording told them; a file the model made up prints
   * `00:00 0`.
   */
  readonly fileInodes: ReadonlyMap<string, string>;
  /** The `struct file`s (by id) whose name was unlinked: /proc prints ` (deleted)` after it. */
  readonly unlinked: ReadonlySet<number>;
  /** Runs of pages (address >> 12) holding guard markers (MADV_GUARD_INSTALL). */
  readonly guards: GuardPages;
  /** The gate area /proc prints after the last VMA (`[vsyscall]`), as a loaded dump showed it. */
  readonly gate: GateArea | null;
  /** The id the next new VMA / anon_vma / file gets. */
  readonly nextVmaId: number;
  readonly nextAnonVmaId: number;
  readonly nextFileId: number;
}

type MmFields = Omit<MmState, 'vmas'>;

/** The fields a call changes: each snapshot keeps its own. */
type MmHotKey =
  | 'mt'
  | 'map_count'
  | 'total_vm'
  | 'locked_vm'
  | 'data_vm'
  | 'exec_vm'
  | 'stack_vm'
  | 'nextVmaId'
  | 'nextAnonVmaId';

/**
 * The fields calls seldom change (the break, the descriptors, the kernel
 * profile, ...): one object shared by the snapshots of a run until a call
 * changes one of them, so that a snapshot is half the size.
 */
export type MmRare = Readonly<Omit<MmFields, MmHotKey>>;

/** Whether `f` still has the MmRare fields of `rare` (one snapshot's, shared while they hold). */
export function keepsRare(f: MmFields, rare: MmRare): boolean {
  return (
    f.brk === rare.brk &&
    f.start_brk === rare.start_brk &&
    f.start_stack === rare.start_stack &&
    f.mmap_base === rare.mmap_base &&
    f.def_flags === rare.def_flags &&
    f.execute_only_pkey === rare.execute_only_pkey &&
    f.kernel === rare.kernel &&
    f.fds === rare.fds &&
    f.fileSizes === rare.fileSizes &&
    f.fileInodes === rare.fileInodes &&
    f.unlinked === rare.unlinked &&
    f.guards === rare.guards &&
    f.gate === rare.gate &&
    f.nextFileId === rare.nextFileId
  );
}

/** Every field of `mm`, with `patch` applied, as a plain object (what a spread of a snapshot would miss). */
export function mmFields(mm: MmFields, p?: Partial<MmFields>): MmFields {
  return {
    mt: p?.mt ?? mm.mt,
    map_count: p?.map_count ?? mm.map_count,
    total_vm: p?.total_vm ?? mm.total_vm,
    locked_vm: p?.locked_vm ?? mm.locked_vm,
    data_vm: p?.data_vm ?? mm.data_vm,
    exec_vm: p?.exec_vm ?? mm.exec_vm,
    stack_vm: p?.stack_vm ?? mm.stack_vm,
    nextVmaId: p?.nextVmaId ?? mm.nextVmaId,
    nextAnonVmaId: p?.nextAnonVmaId ?? mm.nextAnonVmaId,
    ...mmRare(mm, p),
  };
}

/** The MmRare part of `mm`, with `patch` applied. */
function mmRare(f: MmFields, p: Partial<MmFields> | undefined): MmRare {
  return {
    start_brk: p?.start_brk ?? f.start_brk,
    brk: p?.brk ?? f.brk,
    start_stack: p?.start_stack ?? f.start_stack,
    mmap_base: p?.mmap_base ?? f.mmap_base,
    def_flags: p?.def_flags ?? f.def_flags,
    execute_only_pkey: p?.execute_only_pkey ?? f.execute_only_pkey,
    kernel: p?.kernel ?? f.kernel,
    fds: p?.fds ?? f.fds,
    fileSizes: p?.fileSizes ?? f.fileSizes,
    fileInodes: p?.fileInodes ?? f.fileInodes,
    unlinked: p?.unlinked ?? f.unlinked,
    guards: p?.guards ?? f.guards,
    gate: p?.gate !== undefined ? p.gate : f.gate,
    nextFileId: p?.nextFileId ?? f.nextFileId,
  };
}

/**
 * The class behind every snapshot: the fields a call changes, and the
 * rest through getters on its prototype from a shared MmRare (so copies
 * made with `{ ...mm }` carry neither those nor `vmas`: use mmFields()).
 */
class MmSnapshot implements MmState {
  readonly mt: MmFields['mt'];
  readonly map_count: number;
  readonly total_vm: number;
  readonly locked_vm: number;
  readonly data_vm: number;
  readonly exec_vm: number;
  readonly stack_vm: number;
  readonly nextVmaId: number;
  readonly nextAnonVmaId: number;
  readonly rare: MmRare;

  constructor(f: MmFields, p: Partial<MmFields> | undefined, rare: MmRare | null) {
    this.mt = p?.mt ?? f.mt;
    this.map_count = p?.map_count ?? f.map_count;
    this.total_vm = p?.total_vm ?? f.total_vm;
    this.locked_vm = p?.locked_vm ?? f.locked_vm;
    this.data_vm = p?.data_vm ?? f.data_vm;
    this.exec_vm = p?.exec_vm ?? f.exec_vm;
    this.stack_vm = p?.stack_vm ?? f.stack_vm;
    this.nextVmaId = p?.nextVmaId ?? f.nextVmaId;
    this.nextAnonVmaId = p?.nextAnonVmaId ?? f.nextAnonVmaId;
    this.rare = rare ?? mmRare(f, p);
  }

  get start_brk(): number {
    return this.rare.start_brk;
  }
  get brk(): number {
    return this.rare.brk;
  }
  get start_stack(): number {
    return this.rare.start_stack;
  }
  get mmap_base(): number {
    return this.rare.mmap_base;
  }
  get def_flags(): number {
    return this.rare.def_flags;
  }
  get execute_only_pkey(): number {
    return this.rare.execute_only_pkey;
  }
  get kernel(): KernelProfile {
    return this.rare.kernel;
  }
  get fds(): MmFields['fds'] {
    return this.rare.fds;
  }
  get fileSizes(): MmFields['fileSizes'] {
    return this.rare.fileSizes;
  }
  get fileInodes(): MmFields['fileInodes'] {
    return this.rare.fileInodes;
  }
  get unlinked(): MmFields['unlinked'] {
    return this.rare.unlinked;
  }
  get guards(): GuardPages {
    return this.rare.guards;
  }
  get gate(): GateArea | null {
    return this.rare.gate;
  }
  get nextFileId(): number {
    return this.rare.nextFileId;
  }

  get vmas(): readonly Vma[] {
    return vmaList(this);
  }
}

/** An MmState snapshot from its fields, with `patch` applied (the `vmas` getter included). */
export function mmSnapshot(fields: MmFields, patch?: Partial<MmFields>): MmState {
  return new MmSnapshot(fields, patch, null);
}

/**
 * A snapshot of `fields` that shares `rare`, which must hold the MmRare
 * fields of `fields` as they are (Ctx checks with keepsRare()).
 */
export function mmSnapshotSharing(fields: MmFields, rare: MmRare): MmState {
  return new MmSnapshot(fields, undefined, rare);
}

/** The shared MmRare of a snapshot, or null for an object that is no snapshot. */
export function rareOf(mm: MmFields): MmRare | null {
  return mm instanceof MmSnapshot ? mm.rare : null;
}

/**
 * A fresh process as the kernel judge runs scenarios in it
 * (src/engine/scenario/generate.ts): nothing mapped, the break at the start
 * of the judge's window, mmap_base at its end.
 */
export const emptyMm: MmState = mmSnapshot({
  mt: MTREE_INIT<Vma>(),
  map_count: 0,
  total_vm: 0,
  locked_vm: 0,
  data_vm: 0,
  exec_vm: 0,
  stack_vm: 0,
  start_brk: JUDGE_START_BRK,
  brk: JUDGE_START_BRK,
  start_stack: 0,
  mmap_base: JUDGE_MMAP_BASE,
  def_flags: 0,
  execute_only_pkey: -1,
  kernel: LINUX_6_18,
  fds: new Map(),
  fileSizes: new Map(),
  fileInodes: new Map(),
  unlinked: new Set(),
  guards: NO_GUARDS,
  gate: null,
  nextVmaId: 1,
  nextAnonVmaId: 1,
  nextFileId: 1,
});

const listCache = new WeakMap<MmState, readonly Vma[]>();

/** The VMAs, lowest address first (computed once per snapshot). */
export function vmaList(mm: MmState): readonly Vma[] {
  let got = listCache.get(mm);
  if (got) return got;
  const out: Vma[] = [];
  if (mm.mt.root === null) {
    if (mm.mt.rootEntry !== null) out.push(mm.mt.rootEntry);
  } else {
    for (const r of mtRanges(mm.mt.root)) if (r.entry !== null) out.push(r.entry);
  }
  got = out;
  listCache.set(mm, got);
  return got;
}

/** Extra structured detail a step may carry (merge state, predicates, errors). */
export type StepDetail = Readonly<Record<string, unknown>>;

/**
 * Receives each internal step (its kernel function, source file, words and
 * extra detail) with the address space after it.
 */
export type StepSink = (
  fn: string,
  source: string,
  message: string,
  extra: StepExtra | undefined,
  mm: MmState,
) => void;
