// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's observable events (kernel-events.ts), as the model makes
// them: each modelled step tells the log what the kernel's tracepoints would
// print at that point, in the kernel's order, so a run's events can be set
// beside a recording of the real kernel (timeline/event-parity.ts).
// Simulator-only code. A run makes one log, and only when it traces: an
// untraced run has no log, and every emitting site tests for it first.
// One long file (over 400 lines): one class, whose naming of nodes, VMAs
// and anon_vmas every emitting site shares; split, the names would drift.
//
// Identities are the views' names: `vma3` (the model's VMA id 3), `av2`,
// `avc7` (chains are not model objects: the log numbers them itself and
// remembers which VMA holds which), `node 78` (the maple node's id in the
// tree). The model copies a node the kernel changes in place (maple-step.ts);
// such a copy keeps the name of the node it replaces, so one kernel node has
// one name for the whole run. After @fork the child's tree is the kernel's
// copy (__mt_dup()): its nodes are new objects, named `node 78/1` (the
// fork's number after the slash).
import type { MapleTraceEvent, MapleTraceSink } from '../maple/trace';
import { u64_to_hex } from '../maple/u64';
import { hex } from '../mm/mm_types';
import { IdNames } from './id-names';
import { keepMap } from '../keep-map';
import type { KernelCache, KernelEvent, MaOpEvent, MaWriteEvent } from './kernel-events';
import { StringCache, flat, vmaIdName as vmaName } from './strings';

/** The model copies that stand for a node the kernel changed in place (maple-step.ts). */
const IN_PLACE: ReadonlySet<string> = new Set([
  'mas_wr_exact_fit',
  'mas_wr_append',
  'mas_wr_slot_store',
  'mas_put_in_tree',
]);

/**
 * The maple API a write came through: the traced entry points print a first
 * ma_write (lib/maple_tree.c: mas_store_prealloc(), mas_store()); mas_store_gfp()
 * prints none.
 */
export type MapleApi = 'mas_store_prealloc' | 'mas_store' | 'mas_store_gfp';

/**
 * Flat: `0x` and the digits would be two pieces and a third object joining
 * them. Below 2^52 the tree's number is the index itself (u64.ts): hex()
 * prints it as u64_to_hex() does, and converts an address by its fast halves.
 */
const hexes = new StringCache((n) => flat(n < 2 ** 52 ? hex(n) : u64_to_hex(n)));
const hexOf = (n: number): string => hexes.get(n);
const nodeNames = new StringCache((i) => `node ${i}`);
const plainNodeName = (id: number): string => nodeNames.get(id);

/** The entry of a write: a VMA, named `vma<id>` when an event prints it. */
export interface EntryRef {
  readonly id: number;
}

export class KernelEventLog {
  /** The index of the call under way. */
  call = -1;
  private readonly pending: KernelEvent[] = [];
  /** The kernel-identity name of a model node id, where it differs from `node ID`. */
  private readonly names = new IdNames();
  /** How many @fork copies of the tree were made. */
  /** The fork generation of the tree the run is in: 0 for the first process, then each child's. */
  private forks = 0;
  /** How many children forks have made: each child's tree names its copies by its own number. */
  private generations = 0;
  /** Chains per VMA id, newest first (anon_vma_chain_link() adds at the head). */
  private readonly chains = new Map<number, Array<{ avc: string; av: number }>>();
  /** How many chains link each anon_vma (its interval tree's size). */
  private readonly avLinks = new Map<number, number>();
  /** The anon_vmas the parent of the last @fork still uses. */
  private readonly pinned = new Set<number>();
  private chainCount = 0;
  /** The pages the log's faults made present: page number, writable. */
  private readonly pages = new Map<number, boolean>();
  /** How many mt_detach trees munmaps built. */
  private detaches = 0;

  // The write under way.
  private api: MapleApi = 'mas_store_prealloc';
  private entry: EntryRef | null = null;
  private silent = false;
  /** The entry mas_is_span_wr() prints (the preallocation's), and a pending override. */
  private spanEntry: EntryRef | null = null;
  private preallocEntry: EntryRef | null | undefined = undefined;
  /** mt_in_rcu(): off, mas_wr_node_store() rewrites the leaf in place. */
  private inRcu = true;
  private walkMin = 0;
  private walkMax = 0;
  private walkNode = -1;
  private walkRMax = 0;
  private storeType = '';
  private leafName = '';
  private index = 0;
  private last = 0;
  private newEnd = 0;

  /** The sink to hand the maple tree's writes. */
  readonly mapleSink: MapleTraceSink = (e) => this.maple(e);

  /** The events since the last take(), or undefined when there were none. */
  take(): KernelEvent[] | undefined {
    if (this.pending.length === 0) return undefined;
    // The step keeps the list: a copy at its exact size, not the grown one.
    const out = this.pending.slice();
    this.pending.length = 0;
    return out;
  }

  push(e: KernelEvent): void {
    this.pending.push(e);
  }

  alloc(cache: KernelCache, id: string, site: string): void {
    this.pending.push({ kind: 'alloc', call: this.call, cache, id, site });
  }

  free(cache: KernelCache, id: string, site: string): void {
    this.pending.push({ kind: 'free', call: this.call, cache, id, site });
  }

  /**
   * A new chain of VMA `vma` to anon_vma `av` (anon_vma_chain_alloc(), inlined
   * into `site`); anon_vma_chain_link() puts it at the head of the VMA's list.
   */
  chainAlloc(vma: number, site: string, av: number): void {
    const avc = `avc${++this.chainCount}`;
    const list = this.chains.get(vma);
    if (list === undefined) this.chains.set(vma, [{ avc, av }]);
    else list.unshift({ avc, av });
    this.avLinks.set(av, (this.avLinks.get(av) ?? 0) + 1);
    this.alloc('anon_vma_chain', avc, site);
  }

  /**
   * The chains of the VMAs a run starts with, which the log never saw made
   * (a dump's, or a forked child's copy): the model keeps only how many a
   * VMA has and its own anon_vma, at the head of its list (anon_vma_fork()
   * links the child's own last); the others link an ancestor's anon_vmas,
   * older than this process, which its unmaps never empty. Named `avc?N`,
   * as the recordings name objects older than the trace.
   */
  seedChains(
    vmas: Iterable<{ id: number; anon_vma: number | null; anon_vma_chain: number }>,
  ): void {
    let seeded = 0;
    let ancestor = 0;
    for (const v of vmas) {
      if (v.anon_vma === null || v.anon_vma_chain === 0) continue;
      const list = [{ avc: `avc?${++seeded}`, av: v.anon_vma }];
      this.avLinks.set(v.anon_vma, (this.avLinks.get(v.anon_vma) ?? 0) + 1);
      for (let i = 1; i < v.anon_vma_chain; i++) {
        const av = -++ancestor;
        this.pinned.add(av);
        list.push({ avc: `avc?${++seeded}`, av });
      }
      this.chains.set(v.id, list);
    }
  }

  /** A new anon_vma, allocated by `site`. */
  anonVmaAlloc(av: number, site: string): void {
    this.alloc('anon_vma', `av${av}`, site);
  }

  /**
   * mm/rmap.c: anon_vma_clone() (Linux 6.18): a chain of `dst` for each of
   * `src`'s, walked oldest first, so `dst`'s list ends in `src`'s order.
   * `count` (the model's chain length) stands in when the log never saw
   * `src`'s chains (a VMA of the starting address space).
   */
  chainsClone(dst: number, src: number, srcAv: number, count: number, site: string): void {
    const links = this.chains.get(src);
    if (links === undefined) {
      for (let i = 0; i < count; i++) this.chainAlloc(dst, site, srcAv);
      return;
    }
    for (let i = links.length - 1; i >= 0; i--) this.chainAlloc(dst, site, links[i].av);
  }

  /**
   * mm/rmap.c: unlink_anon_vmas() (Linux 6.18): the chains whose anon_vma
   * other VMAs still link are freed first, in list order; then each anon_vma
   * left empty is put (__put_anon_vma() frees it) and its chain freed. An
   * anon_vma older than the last @fork is still the parent's: never empty here.
   */
  chainsFree(vma: number): void {
    const list = this.chains.get(vma);
    if (list === undefined) return;
    this.chains.delete(vma);
    const empty: Array<{ avc: string; av: number }> = [];
    for (const link of list) {
      const left = (this.avLinks.get(link.av) ?? 1) - 1;
      this.avLinks.set(link.av, left);
      if (left === 0 && !this.pinned.has(link.av)) empty.push(link);
      else this.free('anon_vma_chain', link.avc, 'unlink_anon_vmas');
    }
    for (const link of empty) {
      this.avLinks.delete(link.av);
      this.free('anon_vma', `av${link.av}`, '__put_anon_vma');
      this.free('anon_vma_chain', link.avc, 'unlink_anon_vmas');
    }
  }

  // ---- page faults (not compared: see the README) ----

  /**
   * arch/x86/mm/fault.c: a user access to `addr` traces page_fault_user when
   * its page is not present, or present read-only and written. The log keeps
   * which pages it made present (the model has no pages): true writable,
   * false read-only.
   */
  access(addr: number, write: boolean): boolean {
    const page = Math.floor(addr / 4096);
    const state = this.pages.get(page);
    if (write ? state === true : state !== undefined) return false;
    this.pushFault(page, write, state !== undefined);
    this.pages.set(page, write);
    return true;
  }

  /**
   * An access the kernel answers with a signal: the fault is traced all the
   * same. A PROT_NONE page is not present to the MMU (x86 _PAGE_PROTNONE).
   */
  accessRefused(addr: number, write: boolean, protNone = false): void {
    const page = Math.floor(addr / 4096);
    this.pushFault(page, write, !protNone && this.pages.has(page));
  }

  private pushFault(page: number, write: boolean, present: boolean): void {
    // X86_PF_PROT 1, X86_PF_WRITE 2, X86_PF_USER 4.
    const errorCode = 4 | (write ? 2 : 0) | (present ? 1 : 0);
    this.pending.push({ kind: 'fault', call: this.call, address: hexOf(page * 4096), errorCode });
  }

  /** get_user_pages() made [start, end) present (populate), writable if `write`. */
  populate(start: number, end: number, write: boolean): void {
    for (let p = Math.floor(start / 4096); p < end / 4096; p++)
      if (write || !this.pages.has(p)) this.pages.set(p, write || this.pages.get(p) === true);
  }

  /** The page tables of [start, end) were zapped (munmap, MADV_DONTNEED, ...). */
  zap(start: number, end: number): void {
    const lo = start / 4096;
    const hi = end / 4096;
    for (const p of this.pages.keys()) if (p >= lo && p < hi) this.pages.delete(p);
  }

  /** move_page_tables(): the pages of [from, from + len) now live at `to`. */
  movePages(from: number, len: number, to: number): void {
    const moved: Array<[number, boolean]> = [];
    const lo = from / 4096;
    const hi = (from + len) / 4096;
    for (const [p, w] of this.pages) if (p >= lo && p < hi) moved.push([p, w]);
    for (const [p] of moved) this.pages.delete(p);
    const shift = (to - from) / 4096;
    for (const [p, w] of moved) this.pages.set(p + shift, w);
  }

  /**
   * kernel/fork.c: dup_mmap() (Linux 6.18): the child's page tables. `kind`
   * says for a page whether copy_page_range() copied it write-protected
   * (`cow`), as it was (`keep`), or not at all (`drop`).
   */
  forkPages(kind: (addr: number) => 'cow' | 'keep' | 'drop'): void {
    for (const [p, w] of [...this.pages]) {
      const k = kind(p * 4096);
      if (k === 'drop') this.pages.delete(p);
      else if (k === 'cow' && w) this.pages.set(p, false);
    }
  }

  /** The name of a maple node of the model's tree. */
  nodeName(id: number): string {
    const renamed = this.names.get(id);
    if (renamed !== undefined) return renamed;
    return this.forks === 0 ? plainNodeName(id) : `node ${id}/${this.forks}`;
  }

  /**
   * Before a fork whose child the run lets go (a replay's parent goes on
   * after fork()): gives back what puts the parent's node names back.
   */
  keepParentNames(): () => void {
    const forks = this.forks;
    const names = [...this.names.entries()];
    return () => {
      this.forks = forks;
      this.names.clear();
      for (const [id, name] of names) this.names.set(id, name);
    };
  }

  /** dup_mmap(): __mt_dup() copied every node; the child's tree is new objects. */
  forkTree(): void {
    this.forks = ++this.generations;
    this.names.clear();
    for (const av of this.avLinks.keys()) this.pinned.add(av);
  }

  /**
   * mm/vma.c: vms_gather_munmap_vmas() (Linux 6.18) stores the n-th gathered
   * VMA at index n of the on-stack tree mt_detach (no RCU, no gaps), with
   * mas_store_gfp(). The first is the root entry and the second expands it to
   * a leaf (neither traces). mas_wr_store_type() then sees a root leaf with
   * n + 1 slots used after the write: below mt_min_slots (6) it is a
   * mas_wr_node_store(), which outside RCU mode rewrites the leaf in place;
   * from 6 on, a write at the end of a node outside RCU mode is a
   * mas_wr_append(). (Past 15 VMAs the leaf would split: not modelled.)
   */
  detachStore(n: number, entry: string): void {
    if (n === 0) this.detaches++;
    if (n < 2) return;
    const node = `node d${this.detaches}`;
    const newEnd = n + 1;
    const append = newEnd >= 6;
    this.pending.push({
      kind: 'ma_write',
      call: this.call,
      fn: append ? 'mas_wr_append' : 'mas_wr_node_store',
      node,
      min: '0x0',
      max: '0xffffffffffffffff',
      index: u64_to_hex(n),
      last: u64_to_hex(n),
      piv: u64_to_hex(append ? newEnd : 0),
      entry,
    });
  }

  /**
   * The next write was preallocated (mas_preallocate()) for another entry
   * than the one it stores: the walk of the preallocation, which is where a
   * spanning write is traced (mas_is_span_wr()), prints that one.
   */
  preallocFor(entry: EntryRef): void {
    this.preallocEntry = entry;
  }

  /** Prepares the next maple write: which API, which entry (`vma3` or null). */
  beginWrite(api: MapleApi, entry: EntryRef | null, silent: boolean, inRcu: boolean): void {
    this.api = api;
    this.entry = entry;
    this.spanEntry = this.preallocEntry === undefined ? entry : this.preallocEntry;
    this.preallocEntry = undefined;
    this.silent = silent;
    this.inRcu = inRcu;
  }

  private mapleWrite(fn: string, node: string, piv: number, entry = this.entry): void {
    this.mapleEvent(fn, node, hexOf(piv), entry === null ? null : vmaName(entry.id));
  }

  private mapleOp(fn: string, node: string): void {
    this.mapleEvent(fn, node, undefined, null);
  }

  /**
   * Pushes an ma_write (with `piv`) or an ma_op with the node and ranges of
   * the write under way. Each is one literal with all its fields: added
   * afterwards, fields would need a second object to hold them, kept with
   * the step.
   */
  private mapleEvent(
    fn: string,
    node: string,
    piv: string | undefined,
    entry: string | null,
  ): void {
    const call = this.call;
    const min = hexOf(this.walkMin);
    const max = hexOf(this.walkMax);
    const index = hexOf(this.index);
    const last = hexOf(this.last);
    const e: MaWriteEvent | MaOpEvent =
      piv === undefined
        ? { kind: 'ma_op', call, fn, node, min, max, index, last }
        : { kind: 'ma_write', call, fn, node, min, max, index, last, piv, entry };
    this.pending.push(e);
  }

  private maple(e: MapleTraceEvent): void {
    switch (e.kind) {
      case 'write_begin':
        this.storeType = '';
        this.walkNode = -1;
        return;
      case 'walk':
        if (e.side !== 'write') return;
        this.walkNode = e.nodeId;
        this.walkMin = e.min;
        this.walkMax = e.max;
        this.walkRMax = e.rMax ?? e.max;
        return;
      case 'node_replaced': {
        // A copy of a node the kernel changes in place keeps its name; the
        // old id has left the tree either way.
        if (this.silent || IN_PLACE.has(e.by)) {
          const name = this.nodeName(e.oldId);
          this.names.set(e.newId, name);
        }
        this.names.delete(e.oldId);
        return;
      }
      case 'store_type': {
        if (this.silent) return;
        this.storeType = e.storeType;
        this.index = e.index;
        this.last = e.last;
        this.newEnd = e.newEnd;
        const node = e.nodeId ?? this.walkNode;
        this.leafName = node < 0 ? 'node ?' : this.nodeName(node);
        // lib/maple_tree.c: mas_is_span_wr() (Linux 6.18): the walk found the
        // range crosses the node's slot, traced with that slot's r_max.
        if (e.storeType === 'wr_spanning_store')
          this.mapleWrite('mas_is_span_wr', this.leafName, this.walkRMax, this.spanEntry);
        // lib/maple_tree.c: mas_store_prealloc(), mas_store() (Linux 6.18): traced
        // after the walk, on the node the store lands in.
        if (this.api !== 'mas_store_gfp') this.mapleWrite(this.api, this.leafName, 0);
        switch (e.storeType) {
          case 'wr_split_store':
          case 'wr_rebalance':
            // lib/maple_tree.c: mas_wr_bnode(), then mas_split() / mas_rebalance()
            this.mapleWrite('mas_wr_bnode', this.leafName, 0);
            this.mapleOp(
              e.storeType === 'wr_split_store' ? 'mas_split' : 'mas_rebalance',
              this.leafName,
            );
            return;
          case 'wr_spanning_store':
            // lib/maple_tree.c: mas_wr_spanning_store()
            this.mapleOp('mas_wr_spanning_store', this.leafName);
            return;
          default:
            return;
        }
      }
      case 'node_created':
        if (this.silent || this.storeType !== 'wr_node_store' || e.by !== 'mas_wr_node_store')
          return;
        // lib/maple_tree.c: mas_wr_node_store() (Linux 6.18) traces the node
        // that replaced the leaf; outside RCU mode it copies into the leaf itself.
        if (!this.inRcu) this.names.set(e.nodeId, this.leafName);
        this.mapleWrite('mas_wr_node_store', this.nodeName(e.nodeId), 0);
        return;
      case 'write_end':
        if (this.silent) return;
        // lib/maple_tree.c: mas_wr_slot_store() and mas_wr_append() trace the
        // leaf they changed in place, mas_wr_append() with its new end.
        if (e.storeType === 'wr_slot_store') this.mapleWrite('mas_wr_slot_store', this.leafName, 0);
        else if (e.storeType === 'wr_append')
          this.mapleWrite('mas_wr_append', this.leafName, this.newEnd);
        return;
      default:
        return;
    }
  }
}

// A run has one event log: its map would die between two runs (keep-map.ts).
keepMap(new KernelEventLog());
