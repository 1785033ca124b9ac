// SPDX-License-Identifier: GPL-2.0-or-later
// What the kernel itself did during one call, as its tracepoints report it
// (the judge records them from tracefs: `npm run judge -- --events`). Types
// only: the shape is shared by the judge, which fills it from the kernel, and
// by whatever compares it with the engine's own steps.
//
// Kernel pointers become identities named by kind in order of first
// appearance: `vma1`, `av1`, `avc1`, `node1`; a maple node written by ma_write
// has the identity of its allocation. An object the scenario did not allocate
// (it existed before the first call) is `vma?1`, `av?1`, `node?1`, ...
// Addresses and maple-tree indices are `0x` hexadecimal strings: node maxima
// reach ULONG_MAX, beyond a JSON number.

/** The slab caches whose allocations and frees are recorded. */
export type KernelCache = 'vm_area_struct' | 'anon_vma' | 'anon_vma_chain' | 'maple_node';

interface KernelEventBase {
  /** The index of the scenario call (0-based, in file order) during which it happened. */
  call: number;
}

/** What ma_write and ma_op tell of the node they work on. */
interface MapleNodeEventBase extends KernelEventBase {
  /** The kernel function: the store path for ma_write, the operation for ma_op. */
  fn: string;
  /** The node: `node3` (allocated during the scenario) or `node?1` (older). */
  node: string;
  /** The range the node covers. */
  min: string;
  max: string;
  /** The range written. */
  index: string;
  last: string;
}

/**
 * One store into a maple node, `fn` the path the kernel took:
 * `mas_store_prealloc`, `mas_wr_slot_store`, `mas_wr_bnode`, ...
 * include/trace/events/maple_tree.h: ma_write.
 */
export interface MaWriteEvent extends MapleNodeEventBase {
  kind: 'ma_write';
  piv: string;
  /** The VMA stored (`vma3`, or `vma?1` for one older than the scenario); null for a NULL store. */
  entry: string | null;
}

/** A maple-tree operation on a node: `mas_split`, `mas_rebalance`, `mas_spanning_rebalance`, ... */
export interface MaOpEvent extends MapleNodeEventBase {
  kind: 'ma_op';
}

/** include/trace/events/kmem.h: kmem_cache_alloc, kmem_cache_free. */
interface SlabEventBase extends KernelEventBase {
  cache: KernelCache;
  /** The object's identity: `vma1`, `av2`, `avc3`, `node4`, or `vma?1` for an older one. */
  id: string;
  /** The calling function, offset stripped: `vm_area_alloc`, `__anon_vma_prepare`, ... */
  site: string;
}

export interface AllocEvent extends SlabEventBase {
  kind: 'alloc';
}

export interface FreeEvent extends SlabEventBase {
  kind: 'free';
}

/** One free-area search and its answer. include/trace/events/mmap.h: vm_unmapped_area. */
export interface UnmappedAreaEvent extends KernelEventBase {
  kind: 'unmapped_area';
  length: string;
  low: string;
  high: string;
  alignMask: string;
  alignOffset: string;
  /** The address found, or null when the search failed. */
  addr: string | null;
  /** The negative errno of a failed search (-12 is ENOMEM), else 0. */
  err: number;
}

/** A user page fault inside the judge's window. arch/x86/include/asm/trace/exceptions.h. */
export interface FaultEvent extends KernelEventBase {
  kind: 'fault';
  address: string;
  /** The x86 error code: bit 0 protection (the page was present), bit 1 write, bit 2 user. */
  errorCode: number;
}

export type KernelEvent =
  MaWriteEvent | MaOpEvent | AllocEvent | FreeEvent | UnmappedAreaEvent | FaultEvent;
