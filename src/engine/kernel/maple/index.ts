// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The maple tree of Linux 6.18 (lib/maple_tree.c), as immutable versions.
 * This is the public API for the rest of the engine; see README.md here.
 */
export {
  type MapleTree,
  MTREE_INIT,
  MM_MT_FLAGS,
  MT_FLAGS_ALLOC_RANGE,
  MT_FLAGS_USE_RCU,
  MT_FLAGS_LOCK_EXTERN,
  MT_FLAGS_HEIGHT_MASK,
  MT_FLAGS_HEIGHT_OFFSET,
  mt_height,
  mt_is_alloc,
  mt_in_rcu,
  mt_with_rcu,
  mtree_empty,
} from './tree';
export {
  MapleNode,
  type MapleSlot,
  type MapleType,
  maple_dense,
  maple_leaf_64,
  maple_range_64,
  maple_arange_64,
  maple_type_name,
  mt_slots,
  mt_pivots,
  mt_min_slots,
  MAPLE_RANGE64_SLOTS,
  MAPLE_ARANGE64_SLOTS,
  ma_is_leaf,
  mte_child,
  mte_entry,
} from './node';
export {
  type MaState,
  type MapleStatus,
  MA_STATE,
  masReinit,
  ma_active,
  ma_start,
  ma_root,
  ma_none,
  ma_pause,
  ma_overflow,
  ma_underflow,
  ma_error,
  EBUSY,
  EINVAL,
  mas_reset,
  mas_set,
  mas_set_range,
  mas_pause,
} from './state';
export { mas_walk, mtree_load, mtWalkRange } from './walk';
export {
  mas_find,
  mas_find_range,
  mas_find_rev,
  mas_find_range_rev,
  mas_next,
  mas_next_range,
  mas_prev,
  mas_prev_range,
  mtRanges,
  forEachNode,
} from './iterate';
export {
  mas_store,
  mas_store_gfp,
  mas_store_prealloc,
  mas_preallocate,
  mas_erase,
  mas_destroy,
  mtree_store_range,
  mtree_store,
  mtree_erase,
  mtPreallocCount,
} from './store';
export { mas_empty_area, mas_empty_area_rev } from './empty-area';
export { mt_validate } from './validate';
export { mt_dump_json, mt_dump_node_json, type MapleEntryFormatter } from './dump';
export {
  type MapleTraceEvent,
  type MapleTraceSink,
  type StoreType,
  type MapleTypeName,
  collectTrace,
} from './trace';
export {
  replayMapleCase,
  parseMapleCase,
  type MapleCaseOp,
  type MapleCaseError,
  type MapleReplayResult,
  type MapleReplayOptions,
} from './replay';
export {
  ULONG_MAX,
  MT_INDEX_LOW_LIMIT,
  MT_INDEX_HIGH_BASE,
  u64_is_index,
  u64_from_bigint,
  u64_to_bigint,
  u64_from_hex,
  u64_to_hex,
} from './u64';
