// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Typed events of one write, for the timeline and the tree views. Tracing is
 * off unless a sink is given: the write path tests `trace !== null` before it
 * builds an event, so an untraced write allocates nothing for it.
 *
 * Indices in events use the tree's number encoding (see u64.ts); format them
 * with u64_to_hex().
 */

/** enum store_type, the kernel's names. */
export type StoreType =
  | 'wr_invalid'
  | 'wr_new_root'
  | 'wr_store_root'
  | 'wr_exact_fit'
  | 'wr_spanning_store'
  | 'wr_split_store'
  | 'wr_rebalance'
  | 'wr_append'
  | 'wr_node_store'
  | 'wr_slot_store';

export type MapleTypeName = 'dense' | 'leaf_64' | 'range_64' | 'arange_64';

export type MapleTraceEvent =
  /** A write starts: mas_store_gfp()/mas_store()/mas_store_prealloc() or mas_erase(). */
  | {
      kind: 'write_begin';
      op: 'store' | 'erase';
      index: number;
      last: number;
      isNull: boolean;
    }
  /** The write walk entered a node (mas_wr_walk(), mas_wr_walk_index()). */
  | {
      kind: 'walk';
      nodeId: number;
      depth: number;
      offset: number;
      min: number;
      max: number;
      side: 'write' | 'left' | 'right';
      /** The write walk's r_max: the end of the slot the index falls in. */
      rMax?: number;
    }
  /** mas_wr_store_type() chose how to write; `index`/`last` after NULL extension. */
  | {
      kind: 'store_type';
      storeType: StoreType;
      index: number;
      last: number;
      nodeId: number | null;
      offset: number;
      offsetEnd: number;
      end: number;
      newEnd: number;
    }
  /** A node was built; `by` names the kernel function that built it. */
  | {
      kind: 'node_created';
      nodeId: number;
      type: MapleTypeName;
      min: number;
      max: number;
      end: number;
      by: string;
    }
  /** A new node took an old node's place with the same range (a copy on write). */
  | { kind: 'node_replaced'; oldId: number; newId: number; by: string }
  /** A node left the tree (the kernel frees it, after an RCU grace period). */
  | { kind: 'node_freed'; nodeId: number }
  /** mas_split() or mas_spanning_rebalance() divided data over new nodes. */
  | {
      kind: 'split';
      by: string;
      depth: number;
      oldIds: number[];
      leftId: number;
      middleId: number | null;
      rightId: number | null;
      split: number;
      midSplit: number;
    }
  /** mas_push_data() moved data into a sibling instead of splitting upwards. */
  | {
      kind: 'push';
      direction: 'left' | 'right';
      nodeId: number;
      siblingId: number;
      leftId: number;
      rightId: number;
      split: number;
    }
  /** An insufficient node was combined with a neighbour (mas_rebalance(),
   * mast_spanning_rebalance()). */
  | {
      kind: 'rebalance';
      by: string;
      nodeId: number;
      neighbourId: number;
      direction: 'next' | 'prev';
    }
  /** mas_wr_spanning_store(): the range crosses nodes; left/right leaves. */
  | {
      kind: 'spanning_store';
      leftLeafId: number;
      rightLeafId: number;
      index: number;
      last: number;
    }
  /** A parent's gap for one child changed (mas_update_gap() / mas_parent_gap()). */
  | { kind: 'gap_update'; nodeId: number; offset: number; gap: number; gapOffset: number }
  /** mas_set_height(): the tree grew or shrank. */
  | { kind: 'height_change'; from: number; to: number }
  /** A new root was published (rcu_assign_pointer(mt->ma_root, ...)). */
  | { kind: 'root_set'; rootId: number | null; rootEntry: boolean; height: number }
  /** The write is done. */
  | {
      kind: 'write_end';
      storeType: StoreType;
      rootId: number | null;
      height: number;
      created: number;
      freed: number;
    };

/** Receives events; null (the default) turns tracing off. */
export type MapleTraceSink = (event: MapleTraceEvent) => void;

/** A sink that collects events into an array. */
export function collectTrace(into: MapleTraceEvent[]): MapleTraceSink {
  // A copy: the most frequent events are one object each, reused (below).
  return (event) => {
    into.push({ ...event });
  };
}

type Ev<K extends MapleTraceEvent['kind']> = Extract<MapleTraceEvent, { kind: K }>;

/*
 * The events every traced write sends (a walk event per level, a
 * node_created and a node_replaced per copy, a node_freed per dead node,
 * and its begin, store type, root and end), each one object filled anew and
 * handed to the sink. A sink reads an event
 * while it is called and keeps none of it (collectTrace() keeps copies): a
 * traced run had allocated about 160 MB of these per run of the mm bench.
 */
const WALK: Ev<'walk'> = {
  kind: 'walk',
  nodeId: 0,
  depth: 0,
  offset: 0,
  min: 0,
  max: 0,
  side: 'write',
  rMax: undefined,
};
const CREATED: Ev<'node_created'> = {
  kind: 'node_created',
  nodeId: 0,
  type: 'leaf_64',
  min: 0,
  max: 0,
  end: 0,
  by: '',
};
const REPLACED: Ev<'node_replaced'> = { kind: 'node_replaced', oldId: 0, newId: 0, by: '' };
const FREED: Ev<'node_freed'> = { kind: 'node_freed', nodeId: 0 };

const BEGIN: Ev<'write_begin'> = {
  kind: 'write_begin',
  op: 'store',
  index: 0,
  last: 0,
  isNull: false,
};
const STORE_TYPE: Ev<'store_type'> = {
  kind: 'store_type',
  storeType: 'wr_invalid',
  index: 0,
  last: 0,
  nodeId: null,
  offset: 0,
  offsetEnd: 0,
  end: 0,
  newEnd: 0,
};
const ROOT_SET: Ev<'root_set'> = { kind: 'root_set', rootId: null, rootEntry: false, height: 0 };
const GAP_UPDATE: Ev<'gap_update'> = {
  kind: 'gap_update',
  nodeId: 0,
  offset: 0,
  gap: 0,
  gapOffset: 0,
};
const END: Ev<'write_end'> = {
  kind: 'write_end',
  storeType: 'wr_invalid',
  rootId: null,
  height: 0,
  created: 0,
  freed: 0,
};

/** Sends a `write_begin` event. */
export function traceWriteBegin(
  sink: MapleTraceSink,
  op: Ev<'write_begin'>['op'],
  index: number,
  last: number,
  isNull: boolean,
): void {
  BEGIN.op = op;
  BEGIN.index = index;
  BEGIN.last = last;
  BEGIN.isNull = isNull;
  sink(BEGIN);
}

/** Sends a `store_type` event. */
export function traceStoreType(
  sink: MapleTraceSink,
  storeType: StoreType,
  index: number,
  last: number,
  nodeId: number | null,
  offset: number,
  offsetEnd: number,
  end: number,
  newEnd: number,
): void {
  STORE_TYPE.storeType = storeType;
  STORE_TYPE.index = index;
  STORE_TYPE.last = last;
  STORE_TYPE.nodeId = nodeId;
  STORE_TYPE.offset = offset;
  STORE_TYPE.offsetEnd = offsetEnd;
  STORE_TYPE.end = end;
  STORE_TYPE.newEnd = newEnd;
  sink(STORE_TYPE);
}

/** Sends a `root_set` event. */
export function traceRootSet(
  sink: MapleTraceSink,
  rootId: number | null,
  rootEntry: boolean,
  height: number,
): void {
  ROOT_SET.rootId = rootId;
  ROOT_SET.rootEntry = rootEntry;
  ROOT_SET.height = height;
  sink(ROOT_SET);
}

/** Sends a `gap_update` event. */
export function traceGapUpdate(
  sink: MapleTraceSink,
  nodeId: number,
  offset: number,
  gap: number,
  gapOffset: number,
): void {
  GAP_UPDATE.nodeId = nodeId;
  GAP_UPDATE.offset = offset;
  GAP_UPDATE.gap = gap;
  GAP_UPDATE.gapOffset = gapOffset;
  sink(GAP_UPDATE);
}

/** Sends a `write_end` event. */
export function traceWriteEnd(
  sink: MapleTraceSink,
  storeType: StoreType,
  rootId: number | null,
  height: number,
  created: number,
  freed: number,
): void {
  END.storeType = storeType;
  END.rootId = rootId;
  END.height = height;
  END.created = created;
  END.freed = freed;
  sink(END);
}

/** Sends a `walk` event. */
export function traceWalk(
  sink: MapleTraceSink,
  nodeId: number,
  depth: number,
  offset: number,
  min: number,
  max: number,
  side: Ev<'walk'>['side'],
  rMax: number | undefined,
): void {
  WALK.nodeId = nodeId;
  WALK.depth = depth;
  WALK.offset = offset;
  WALK.min = min;
  WALK.max = max;
  WALK.side = side;
  WALK.rMax = rMax;
  sink(WALK);
}

/** Sends a `node_created` event. */
export function traceNodeCreated(
  sink: MapleTraceSink,
  nodeId: number,
  type: MapleTypeName,
  min: number,
  max: number,
  end: number,
  by: string,
): void {
  CREATED.nodeId = nodeId;
  CREATED.type = type;
  CREATED.min = min;
  CREATED.max = max;
  CREATED.end = end;
  CREATED.by = by;
  sink(CREATED);
}

/** Sends a `node_replaced` event. */
export function traceNodeReplaced(
  sink: MapleTraceSink,
  oldId: number,
  newId: number,
  by: string,
): void {
  REPLACED.oldId = oldId;
  REPLACED.newId = newId;
  REPLACED.by = by;
  sink(REPLACED);
}

/** Sends a `node_freed` event. */
export function traceNodeFreed(sink: MapleTraceSink, nodeId: number): void {
  FREED.nodeId = nodeId;
  sink(FREED);
}
