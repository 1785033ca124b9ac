// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel's own mt_dump() beside each golden case (`.mtdump`) shows what
// the JSON leaves out: each maple_arange_64 node's metadata, `| END GAP|`
// (ma_data_end() and the offset of the largest gap, meta.gap). Ours must
// match it, node for node, in every dump the file keeps.
import { describe, expect, it } from 'vitest';
import {
  MA_STATE,
  MTREE_INIT,
  ma_is_leaf,
  maple_arange_64,
  mas_erase,
  mas_store_gfp,
  mte_child,
  parseMapleCase,
  type MapleNode,
  type MapleTree,
} from './index';
import { goldenCaseNames, readGolden } from './golden/golden.fixture';

/** The trees at each `dump` line of a case. */
function treesAtDumps(text: string): MapleTree<number>[] {
  const parsed = parseMapleCase(text);
  if (!parsed.ok) throw new Error(parsed.error.message);
  let tree: MapleTree<number> = MTREE_INIT();
  const out: MapleTree<number>[] = [];
  for (const op of parsed.ops) {
    if (op.op === 'dump') {
      out.push(tree);
    } else if (op.op === 'erase') {
      const mas = MA_STATE(tree, op.index, op.index);
      mas_erase(mas);
      tree = mas.tree;
    } else {
      const mas = MA_STATE(tree, op.first, op.last);
      mas_store_gfp(mas, op.op === 'store' ? op.id : null);
      tree = mas.tree;
    }
  }
  return out;
}

/** `END GAP` of every arange_64 node, in pre-order (mt_dump()'s order). */
function ourMeta(node: MapleNode<number> | null, out: string[] = []): string[] {
  if (node === null || ma_is_leaf(node.type)) return out;
  if (node.type === maple_arange_64) out.push(`${hex2(node.end)} ${hex2(node.gapOffset)}`);
  for (let i = 0; i <= node.end; i++) ourMeta(mte_child(node, i), out);
  return out;
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}

/** Dump number (1-based) -> the metadata lines of the kernel's mt_dump(). */
function kernelMeta(text: string): Map<number, string[]> {
  const dumps = new Map<number, string[]>();
  let current: string[] | null = null;
  for (const line of text.split('\n')) {
    const head = /^### dump (\d+) after op \d+/.exec(line);
    if (head) {
      current = [];
      dumps.set(Number(head[1]), current);
      continue;
    }
    const meta = / type 3 .*\| ([0-9A-F]{2}) ([0-9A-F]{2})\|/.exec(line);
    if (meta && current !== null) current.push(`${meta[1]} ${meta[2]}`);
  }
  return dumps;
}

describe('arange_64 metadata matches the kernel mt_dump() output', () => {
  const names = goldenCaseNames();

  for (const name of names) {
    it(name, () => {
      const trees = treesAtDumps(readGolden(name, 'case'));
      const kernel = kernelMeta(readGolden(name, 'mtdump'));
      expect(kernel.size).toBeGreaterThan(0);
      for (const [k, meta] of kernel) {
        expect(ourMeta(trees[k - 1].root), `${name} dump ${k}`).toEqual(meta);
      }
    });
  }
});
