// SPDX-License-Identifier: GPL-2.0-or-later
// What one step did to mm->mm_mt, summarised from the maple tree's trace
// events (maple/trace.ts) as the kernel would see it. Simulator-only code.
//
// The model never changes a node a published version can reach, so every
// write builds new nodes with new ids. The kernel does not: it changes a leaf
// in place for wr_exact_fit, wr_append and wr_slot_store
// (mas_wr_store_entry()), and writes a new child into its parent's slot and
// the parents' gaps in place (mas_put_in_tree(), mas_update_gap()). Only
// mas_wr_node_store(), mas_split(), the rebalances, spanning stores and new
// roots allocate nodes (and free the ones they replace). This file maps the
// model's copies back onto the kernel's nodes: a node replaced "in place"
// keeps its identity, and only the nodes the kernel really builds and frees
// show as new and freed.
import type { MapleTraceEvent, MapleTraceSink, StoreType } from '../maple/trace';
import { keepMap } from '../keep-map';

/** A node the step built or wrote, with the kernel function that did it. */
export interface MapleNodeChange {
  /** The node's id in the step's tree. */
  id: number;
  by: string;
}

/** mas_split(), mas_spanning_rebalance() or mas_push_data() spread data over new nodes. */
export interface MapleSplitRecord {
  by: string;
  /** The level counted from the leaves (1 = leaf level), as the trace gives it. */
  depth: number;
  /** The nodes it built, by their ids in the step's tree. */
  ids: number[];
}

/** mas_rebalance() / mast_spanning_rebalance() combined a node with a neighbour. */
export interface MapleRebalanceRecord {
  by: string;
  /** Ids as the step before showed them (both nodes are usually freed). */
  nodeId: number;
  neighbourId: number;
}

/** Everything a step did to the maple tree; absent on steps that did not write it. */
export interface MapleStepChanges {
  /** The enum store_type of each write, in order. */
  storeTypes: StoreType[];
  /** Nodes the writes walked, by their ids in the step's tree (a walked node a write replaced maps to its replacement). */
  walked: number[];
  /** Nodes the kernel allocated and that are in the step's tree. */
  created: MapleNodeChange[];
  /** Nodes the kernel changed in place (mas_wr_exact_fit/append/slot_store, mas_put_in_tree). */
  written: MapleNodeChange[];
  /** Nodes the kernel freed (ids as the step before showed them). */
  freed: number[];
  splits: MapleSplitRecord[];
  rebalances: MapleRebalanceRecord[];
  /** mas_set_height(): the height before and after, when it changed. */
  height: { from: number; to: number } | null;
}

/** The `by` of a model copy that stands for a node the kernel changed in place. */
const IN_PLACE: ReadonlySet<string> = new Set([
  'mas_wr_exact_fit',
  'mas_wr_append',
  'mas_wr_slot_store',
  'mas_put_in_tree',
]);

/** The empty list every record without such changes shares (nobody writes a record). */
const NONE: never[] = [];
Object.freeze(NONE);

/**
 * A list reused from step to step, emptied by its count: an array whose
 * length is set to 0 gives up its storage, and the next push allocates it
 * again.
 */
class ScratchList<T> {
  private readonly items: T[] = [];
  count = 0;

  push(item: T): void {
    this.items[this.count++] = item;
  }

  at(i: number): T {
    return this.items[i];
  }

  set(i: number, item: T): void {
    this.items[i] = item;
  }

  /** The first `n` items, at their exact size (the shared empty list for none). */
  copy(n = this.count): T[] {
    return n === 0 ? NONE : this.items.slice(0, n);
  }
}

/**
 * Node id to node id for one step: a few dozen entries at most, usually,
 * kept in two lists searched from the newest (as a Map, the last set
 * wins); past SMALL entries a Map takes over. Emptied by its count: a
 * Map's clear() allocates a new table, every step.
 */
class IdMap {
  private static readonly SMALL = 32;
  private readonly keys: number[] = [];
  private readonly values: number[] = [];
  private count = 0;
  private big: Map<number, number> | null = null;

  get(key: number): number | undefined {
    if (this.big !== null) return this.big.get(key);
    for (let i = this.count - 1; i >= 0; i--) if (this.keys[i] === key) return this.values[i];
    return undefined;
  }

  has(key: number): boolean {
    return this.get(key) !== undefined;
  }

  set(key: number, value: number): void {
    if (this.big === null && this.count < IdMap.SMALL) {
      this.keys[this.count] = key;
      this.values[this.count++] = value;
      return;
    }
    if (this.big === null) {
      this.big = new Map();
      for (let i = 0; i < this.count; i++) this.big.set(this.keys[i], this.values[i]);
    }
    this.big.set(key, value);
  }

  clear(): void {
    this.count = 0;
    this.big = null;
  }
}

/** Empties `map` (Map.clear() allocates a new table even for an empty map). */
function clearMap<K, V>(map: Map<K, V>): void {
  if (map.size > 0) map.clear();
}

/**
 * Collects the trace events of every write between two steps. Give `sink` to
 * mtree_store_range(); call take() when a step is emitted. A write done
 * inside refresh() is the model's artefact (the kernel changes the
 * vm_area_struct and never writes the tree): its copies become the same
 * nodes as before and nothing else is recorded.
 *
 * A traced run keeps every record, so take() builds each list at its exact
 * size (an empty one shared) from scratch lists reused between steps.
 */
export class MapleStepRecorder {
  readonly sink: MapleTraceSink = (event) => {
    this.record(event);
    if (this.next !== null) this.next(event);
  };
  /**
   * Who hears each event after the recorder (the run's kernel event log):
   * one sink for the tree to call, not a closure calling both.
   */
  next: MapleTraceSink | null = null;

  private refreshing = false;
  /** Some event arrived since the last take(). */
  private dirty = false;
  /** The write under way is a refresh() (an exact fit nobody sees). */
  private silent = false;
  private readonly pendingWalk = new ScratchList<number>();

  private readonly storeTypes = new ScratchList<StoreType>();
  private readonly walked = new ScratchList<number>();
  /** Same-range successor of every replaced node (for walked ids). */
  private readonly succ = new IdMap();
  /** In-place successor: the kernel's node is still the same one. */
  private readonly fwd = new IdMap();
  /** The id at the start of the step of a node that was replaced in place. */
  private readonly back = new IdMap();
  /** Keyed by the id the node had when first built or at the step's start. */
  private readonly created = new Map<number, string>();
  private readonly written = new Map<number, string>();
  private readonly freed = new ScratchList<number>();
  private readonly splits: MapleSplitRecord[] = [];
  private readonly rebalances: MapleRebalanceRecord[] = [];
  private height: { from: number; to: number } | null = null;

  /** Runs `store` as a refresh: its node copies are not writes. */
  refresh(store: () => void): void {
    this.refreshing = true;
    try {
      store();
    } finally {
      this.refreshing = false;
    }
  }

  private origin(id: number): number {
    return this.back.get(id) ?? id;
  }

  private latest(id: number, map: IdMap): number {
    let next = map.get(id);
    while (next !== undefined) {
      id = next;
      next = map.get(id);
    }
    return id;
  }

  private record(e: MapleTraceEvent): void {
    this.dirty = true;
    switch (e.kind) {
      case 'write_begin':
        this.silent = this.refreshing;
        this.pendingWalk.count = 0;
        return;
      case 'walk':
        this.pendingWalk.push(e.nodeId);
        return;
      case 'store_type':
        // A refresh is an exact fit of the VMA's own range; anything else
        // would change the tree's shape and is recorded as a real write.
        if (this.silent && e.storeType !== 'wr_exact_fit') this.silent = false;
        if (this.silent) return;
        this.storeTypes.push(e.storeType);
        for (let i = 0; i < this.pendingWalk.count; i++) this.walked.push(this.pendingWalk.at(i));
        return;
      case 'node_replaced': {
        this.succ.set(e.oldId, e.newId);
        if (!this.silent && !IN_PLACE.has(e.by)) return;
        const origin = this.origin(e.oldId);
        this.fwd.set(e.oldId, e.newId);
        this.back.set(e.newId, origin);
        if (!this.silent && !this.created.has(origin) && !this.written.has(origin))
          this.written.set(origin, e.by);
        return;
      }
      case 'node_created':
        // In-place copies are announced by their node_replaced event.
        if (this.silent || IN_PLACE.has(e.by)) return;
        this.created.set(e.nodeId, e.by);
        return;
      case 'node_freed': {
        // The old version of a node changed in place is not freed by the kernel.
        if (this.fwd.has(e.nodeId)) return;
        const origin = this.origin(e.nodeId);
        this.written.delete(origin);
        // Built and freed within the step: the kernel's scratch, not shown.
        if (this.created.delete(origin)) return;
        this.freed.push(origin);
        return;
      }
      case 'split': {
        if (this.silent) return;
        const ids = [e.leftId];
        if (e.middleId !== null) ids.push(e.middleId);
        if (e.rightId !== null) ids.push(e.rightId);
        this.splits.push({ by: e.by, depth: e.depth, ids });
        return;
      }
      case 'push':
        if (this.silent) return;
        this.splits.push({ by: 'mas_push_data', depth: 0, ids: [e.leftId, e.rightId] });
        return;
      case 'rebalance':
        if (this.silent) return;
        this.rebalances.push({
          by: e.by,
          nodeId: this.origin(e.nodeId),
          neighbourId: this.origin(e.neighbourId),
        });
        return;
      case 'height_change':
        if (this.silent) return;
        if (this.height === null) this.height = { from: e.from, to: e.to };
        else this.height.to = e.to;
        return;
      default:
        return;
    }
  }

  /** The id a node of the record has in the step's tree. */
  private now(id: number): number {
    return this.latest(id, this.fwd);
  }

  /** `changes` as {id, by} with ids in the step's tree, in the order they were recorded. */
  private changes(changes: ReadonlyMap<number, string>): MapleNodeChange[] {
    if (changes.size === 0) return NONE;
    const out = new Array<MapleNodeChange>(changes.size);
    let i = 0;
    // forEach(), not for-of: each [key, value] pair of a Map's iterator is an array.
    changes.forEach((by, id) => {
      out[i++] = { id: this.now(id), by };
    });
    return out;
  }

  /** The walked ids in the step's tree, each once, in the order first walked. */
  private walkedNow(): number[] {
    // In place over the scratch list: the first n entries are the answer so far.
    const walked = this.walked;
    let n = 0;
    for (let i = 0; i < walked.count; i++) {
      const now = this.latest(walked.at(i), this.succ);
      let seen = false;
      for (let j = 0; j < n && !seen; j++) seen = walked.at(j) === now;
      if (!seen) walked.set(n++, now);
    }
    return walked.copy(n);
  }

  /** The split records with ids in the step's tree (the records are this step's own). */
  private splitsNow(): MapleSplitRecord[] {
    if (this.splits.length === 0) return NONE;
    for (const s of this.splits)
      for (let i = 0; i < s.ids.length; i++) s.ids[i] = this.now(s.ids[i]);
    return this.splits.slice();
  }

  /** The changes since the last take(), or undefined when no write happened; then starts afresh. */
  take(): MapleStepChanges | undefined {
    // Most steps write nothing: answer them without allocating.
    if (!this.dirty) return undefined;
    this.dirty = false;
    let out: MapleStepChanges | undefined;
    if (this.storeTypes.count > 0) {
      out = {
        storeTypes: this.storeTypes.copy(),
        walked: this.walkedNow(),
        created: this.changes(this.created),
        written: this.changes(this.written),
        freed: this.freed.copy(),
        splits: this.splitsNow(),
        rebalances: this.rebalances.length === 0 ? NONE : this.rebalances.slice(),
        height: this.height !== null && this.height.from !== this.height.to ? this.height : null,
      };
    }
    this.storeTypes.count = 0;
    this.walked.count = 0;
    this.succ.clear();
    this.fwd.clear();
    this.back.clear();
    clearMap(this.created);
    clearMap(this.written);
    this.freed.count = 0;
    if (this.splits.length > 0) this.splits.length = 0;
    if (this.rebalances.length > 0) this.rebalances.length = 0;
    this.height = null;
    return out;
  }
}

// A run has one recorder: its map would die between two runs (keep-map.ts).
keepMap(new MapleStepRecorder());
