// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import {
  MAPLE_VIEW_STRIDE as S,
  NODE_NEW,
  NODE_UNCHANGED,
  NODE_WALKED,
  NODE_WRITTEN,
  mapleView,
} from './maple-view';
import { loadProcMaps } from './load-proc-maps';
import { runScenario, type Step } from './run';
import { largeSpaceMaps } from '../scenario/generate';

const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
const mmap = (i: number) =>
  `mmap(${page(i)}, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function run(lines: string[]): Step[] {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.steps;
}

describe('mapleView', () => {
  it('an empty tree has no nodes', () => {
    const v = mapleView(run([])[0].mm);
    expect(v).toMatchObject({ count: 0, height: 0, rootEntry: -1, changes: null });
  });

  it('lays the nodes out depth first, with VMA ids in leaves and child indices inside', () => {
    const lines: string[] = [];
    for (let i = 0; i < 9; i++) lines.push(mmap(2 * i));
    const steps = run(lines);
    const last = steps.filter((s) => s.maple).at(-1) as Step;
    const v = mapleView(last.mm, last.maple);
    expect(v.height).toBe(2);
    expect(v.count).toBe(3);
    expect([...v.types]).toEqual([3, 1, 1]);
    expect([...v.depths]).toEqual([0, 1, 1]);
    expect([...v.parents]).toEqual([-1, 0, 0]);
    expect([...v.subtreeEnds]).toEqual([3, 2, 3]);
    expect(v.ends[0]).toBe(1);
    expect([...v.slots.subarray(0, 2)]).toEqual([1, 2]);
    // The first leaf: NULL below the first VMA, then VMAs 1.. and NULLs between them.
    const leaf = [...v.slots.subarray(S, S + v.ends[1] + 1)];
    expect(leaf.slice(0, 4)).toEqual([-1, 1, -1, 2]);
    expect(v.pivots[S]).toBe(0x200000000000 - 1);
    expect(v.pivots[S + 1]).toBe(0x200000001000 - 1);
    expect(v.gaps[0]).toBeGreaterThan(0);
    // The step: a node store in the second leaf, the root's slot written in place.
    expect(v.status[0]).toBe(NODE_WRITTEN);
    expect(v.by[0]).toBe('mas_put_in_tree');
    expect(v.status[1]).toBe(NODE_UNCHANGED);
    expect(v.status[2]).toBe(NODE_NEW);
    expect(v.by[2]).toBe('mas_wr_node_store');
    expect(NODE_WALKED).toBeLessThan(NODE_WRITTEN);
  });

  it('holds every VMA of a 65,530-VMA space in its leaves', () => {
    const loaded = loadProcMaps(largeSpaceMaps(65_530), 'maps');
    if (!loaded.ok) throw new Error('maps');
    const v = mapleView(loaded.mm);
    expect(v.height).toBe(5);
    // Every node's subtree is a contiguous run after it.
    for (let i = 1; i < v.count; i++) {
      const p = v.parents[i];
      expect(p < i && i < v.subtreeEnds[p]).toBe(true);
    }
    let leaves = 0;
    let entries = 0;
    for (let i = 0; i < v.count; i++)
      if (v.types[i] === 1) {
        leaves++;
        for (let k = 0; k <= v.ends[i]; k++) if (v.slots[i * S + k] >= 0) entries++;
      }
    expect(entries).toBe(65_530);
    expect(leaves).toBeGreaterThan(1000);
  });
});
