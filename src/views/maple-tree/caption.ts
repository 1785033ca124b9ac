// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view's words: what the step did to the tree, and each
// node's accessible name.
import type { MapleStepChanges, MapleView } from '../../engine';
import { isLeaf } from './layout';

const list = (ids: readonly number[]) =>
  ids.length === 1 ? `node ${ids[0]}` : `nodes ${ids.join(', ')}`;

/** Groups changes by the kernel function that made them: "mas_split built nodes 8, 9". */
function byFunction(changes: readonly { id: number; by: string }[], verb: string): string[] {
  const groups = new Map<string, number[]>();
  for (const c of changes) {
    const ids = groups.get(c.by) ?? [];
    ids.push(c.id);
    groups.set(c.by, ids);
  }
  return [...groups].map(([by, ids]) => `${by} ${verb} ${list(ids)}`);
}

/** What the record says after its store types: each function's nodes, splits, frees, height. */
function changeParts(c: MapleStepChanges): string[] {
  const parts: string[] = [];
  parts.push(...byFunction(c.created, 'built'));
  parts.push(...byFunction(c.written, 'wrote in place'));
  for (const s of c.splits) parts.push(`${s.by} split into ${list(s.ids)}`);
  for (const r of c.rebalances)
    parts.push(`${r.by} rebalanced node ${r.nodeId} with node ${r.neighbourId}`);
  if (c.freed.length) parts.push(`freed ${list(c.freed)}`);
  if (c.height) parts.push(`height ${c.height.from} → ${c.height.to}`);
  return parts;
}

/** One sentence: "this step: wr_node_store; mas_wr_node_store built node 14; freed node 9". */
export function describeChanges(c: MapleStepChanges | null): string {
  if (!c) return 'this step did not write the tree';
  return `this step: ${[c.storeTypes.join(', '), ...changeParts(c)].join('; ')}`;
}

/**
 * A whole system call's writes, from the state before it: "the call wrote
 * 3 nodes (stores wr_split_store, wr_node_store): mas_split built nodes
 * 83, 93; ...; freed nodes 82, 55".
 */
export function describeCallChanges(c: MapleStepChanges | null): string {
  if (!c) return 'the call did not write the tree';
  const n = c.created.length + c.written.length;
  const stores = `${c.storeTypes.length === 1 ? 'store' : 'stores'} ${c.storeTypes.join(', ')}`;
  const parts = changeParts(c);
  return `the call wrote ${n} ${n === 1 ? 'node' : 'nodes'} (${stores})${parts.length ? ': ' + parts.join('; ') : ''}`;
}

export const STATUS_WORDS = ['', 'walked', 'written in place', 'new'] as const;

/** "leaf_64 node 12, 3 slots, written in place by mas_wr_append". */
export function nodeLabel(
  typeName: string,
  id: number,
  used: number,
  status: number,
  by: string,
  extra: string[] = [],
): string {
  let label = `${typeName} node ${id}, ${used} ${used === 1 ? 'slot' : 'slots'}`;
  if (status > 0) label += `, ${STATUS_WORDS[status]}`;
  if (by) label += ` by ${by}`;
  for (const e of extra) label += `, ${e}`;
  return label;
}

/** How many of the tree's nodes are leaves. */
export function leafCount(view: MapleView): number {
  let n = 0;
  for (let i = 0; i < view.count; i++) if (isLeaf(view, i)) n++;
  return n;
}

/**
 * The call's path through the tree on both sides, when a recording covers
 * it: "this call's writes: model mas_store_prealloc → mas_wr_node_store;
 * kernel mas_store_prealloc → mas_wr_slot_store (different)".
 */
export function describeWritePaths(model: readonly string[], kernel: readonly string[]): string {
  const path = (fns: readonly string[]) => (fns.length ? fns.join(' → ') : 'none');
  const same = model.length === kernel.length && model.every((fn, i) => fn === kernel[i]);
  return (
    `this call's writes: model ${path(model)}; kernel ${path(kernel)}` +
    (same ? ' (the same)' : ' (different)')
  );
}
