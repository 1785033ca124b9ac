// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The tree as one line of JSON, in the format of the golden dumps
 * (shared/golden/maple/README.md): the kernel's node layout without its
 * pointers, keys in a fixed order and no whitespace.
 */
import { type MapleNode, ma_is_leaf, maple_type_name, mte_child, mte_entry } from './node';
import { type MapleTree, mt_height } from './tree';
import { u64_to_hex } from './u64';

/** How an entry is written: by default a number as itself, else JSON. */
export type MapleEntryFormatter<T> = (entry: T) => string;

function defaultEntry<T>(entry: T): string {
  return typeof entry === 'number' ? String(entry) : JSON.stringify(entry);
}

function hexList(values: readonly number[], count: number): string {
  let out = '[';
  for (let i = 0; i < count; i++) {
    if (i) out += ',';
    out += '"' + u64_to_hex(values[i]) + '"';
  }
  return out + ']';
}

/** One node and everything below it. */
export function mt_dump_node_json<T>(
  node: MapleNode<T>,
  entry: MapleEntryFormatter<T> = defaultEntry,
): string {
  let out =
    '{"type":"' +
    maple_type_name[node.type] +
    '","min":"' +
    u64_to_hex(node.min) +
    '","max":"' +
    u64_to_hex(node.max) +
    '","pivots":' +
    hexList(node.pivots, node.end) +
    ',"slots":[';
  const leaf = ma_is_leaf(node.type);
  for (let i = 0; i <= node.end; i++) {
    if (i) out += ',';
    if (leaf) {
      const e = mte_entry(node, i);
      out += e === null ? 'null' : entry(e);
    } else {
      out += mt_dump_node_json(mte_child(node, i), entry);
    }
  }
  out += ']';
  if (node.gaps !== null) out += ',"gaps":' + hexList(node.gaps, node.end + 1);
  return out + '}';
}

// lib/maple_tree.c: mt_dump() (Linux 6.18), in the golden JSON format
// `{"op":N,"height":H,"root":ROOT}` where N counts the operations so far.
export function mt_dump_json<T>(
  mt: MapleTree<T>,
  op: number,
  entry: MapleEntryFormatter<T> = defaultEntry,
): string {
  let root: string;
  if (mt.root !== null) root = mt_dump_node_json(mt.root, entry);
  else if (mt.rootEntry !== null) root = entry(mt.rootEntry);
  else root = 'null';
  return '{"op":' + op + ',"height":' + mt_height(mt) + ',"root":' + root + '}';
}
