// SPDX-License-Identifier: GPL-2.0-or-later
// Maple tree speed and memory (issue 3): `npm run bench -- maple`.
//
// - The 165,530-operation sequence of shared/bench/gen_maple_bench.py --seed 1
//   (65,530 VMAs, then a random replace/unmap/map mix), replayed with a fresh
//   ma_state and mas_store_gfp() per operation as the kernel's figure of
//   ~390 ns/op was taken; and the largest golden cases.
// - Finds and mas_empty_area_rev() searches per second on the 65,530-entry tree.
// - Bytes each step of history keeps when 10,000 versions stay reachable.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { BenchRow } from './bench-row';
import {
  MA_STATE,
  MTREE_INIT,
  mas_empty_area,
  mas_empty_area_rev,
  mas_erase,
  mas_find,
  mas_store_gfp,
  mtree_load,
  parseMapleCase,
  ULONG_MAX,
  type MapleCaseOp,
  type MapleTree,
} from '../src/engine/kernel/maple';
import { goldenCaseNames, readGolden } from '../src/engine/kernel/maple/golden/golden.fixture';

const here = dirname(fileURLToPath(import.meta.url));
const GENERATOR = resolve(here, '../../shared/bench/gen_maple_bench.py');
const SEQUENCE = join(here, 'maple-seed1.case');
const SUITE = 'maple';
const RUNS = 5;
const PAGE = 0x1000;
const BUILD = 65_530;

/** The operations of a case file, without its dumps. */
function loadOps(text: string): MapleCaseOp[] {
  const parsed = parseMapleCase(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
  return parsed.ops.filter((op) => op.op !== 'dump');
}

/** Apply ops[from, to) to a tree as the golden runs did (fresh state per op). */
function replay(tree: MapleTree<number>, ops: MapleCaseOp[], from = 0, to = ops.length) {
  for (let i = from; i < to; i++) {
    const op = ops[i];
    if (op.op === 'store') {
      const mas = MA_STATE(tree, op.first, op.last);
      mas_store_gfp(mas, op.id);
      tree = mas.tree;
    } else if (op.op === 'store_null') {
      const mas = MA_STATE(tree, op.first, op.last);
      mas_store_gfp(mas, null);
      tree = mas.tree;
    } else if (op.op === 'erase') {
      const mas = MA_STATE(tree, op.index, op.index);
      mas_erase(mas);
      tree = mas.tree;
    }
  }
  return tree;
}

/**
 * ns per op of whole replays: the best and the median of RUNS runs, each
 * started on a collected heap so that one run's garbage is not the next's.
 */
function timeReplay(ops: MapleCaseOp[], gc: (() => void) | null): { best: number; median: number } {
  const times: number[] = [];
  replay(MTREE_INIT(), ops); // warm up the JIT
  for (let r = 0; r < RUNS; r++) {
    if (gc !== null) gc();
    const t0 = process.hrtime.bigint();
    replay(MTREE_INIT(), ops);
    times.push(Number(process.hrtime.bigint() - t0) / ops.length);
  }
  times.sort((a, b) => a - b);
  return { best: times[0], median: times[Math.floor(times.length / 2)] };
}

/** The bench sequence: generated once into bench/ (git-ignored). */
function benchSequence(): string {
  if (!existsSync(SEQUENCE)) {
    const text = execFileSync('python3', [GENERATOR, '--seed', '1'], {
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    writeFileSync(SEQUENCE, text);
  }
  return readFileSync(SEQUENCE, 'utf8');
}

/** A real gc() when node can give one; else null and heap deltas are noisier. */
function findGc(): { gc: (() => void) | null; how: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g, how: 'global.gc (--expose-gc)' };
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as () => void;
    if (typeof fn === 'function') return { gc: fn, how: 'gc() via v8.setFlagsFromString' };
  } catch {
    /* fall through */
  }
  return { gc: null, how: 'process.memoryUsage() heap deltas without gc' };
}

function heapAfterGc(gc: (() => void) | null): number {
  if (gc !== null) {
    gc();
    gc();
  }
  return process.memoryUsage().heapUsed;
}

export default async function (): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const seq = loadOps(benchSequence());
  const { gc, how } = findGc();

  // 1. The generated sequence.
  const t = timeReplay(seq, gc);
  rows.push({
    suite: SUITE,
    name: `gen_maple_bench --seed 1 (${seq.length} ops), best of ${RUNS}`,
    value: Math.round(t.best),
    unit: 'ns/op',
    target: '<= 1200 ns/op',
  });
  rows.push({
    suite: SUITE,
    name: `gen_maple_bench --seed 1, median of ${RUNS}`,
    value: Math.round(t.median),
    unit: 'ns/op',
    target: '<= 1200 ns/op',
  });

  // 2. The largest golden cases.
  {
    const largest = goldenCaseNames()
      .map((name) => ({ name, text: readGolden(name, 'case') }))
      .sort((a, b) => b.text.length - a.text.length)
      .slice(0, 5);
    for (const { name, text } of largest) {
      const ops = loadOps(text);
      const g = timeReplay(ops, gc);
      rows.push({
        suite: SUITE,
        name: `golden ${name} (${ops.length} ops), best of ${RUNS}`,
        value: Math.round(g.best),
        unit: 'ns/op',
        target: '<= 1200 ns/op',
      });
    }
  }

  // 3. Reads on the 65,530-entry tree.
  const tree = replay(MTREE_INIT(), seq, 0, BUILD);
  const base = (seq[0] as { first: number }).first;
  const window = 2 * BUILD * PAGE;
  const probes: number[] = [];
  let seed = 1;
  for (let i = 0; i < 200_000; i++) {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    probes.push(base + Math.floor((seed / 2147483648) * window));
  }
  let sink = 0;
  const timeReads = (fn: (index: number) => number): number => {
    for (let i = 0; i < 20_000; i++) sink += fn(probes[i]);
    let best = Infinity;
    for (let r = 0; r < RUNS; r++) {
      const t0 = process.hrtime.bigint();
      for (const p of probes) sink += fn(p);
      best = Math.min(best, Number(process.hrtime.bigint() - t0));
    }
    return Math.round((probes.length / best) * 1e9);
  };
  rows.push({
    suite: SUITE,
    name: 'mas_find() from a fresh state, 65,530-entry tree',
    value: timeReads((p) => {
      const mas = MA_STATE(tree, p, p);
      return mas_find(mas, ULONG_MAX) ?? 0;
    }),
    unit: 'finds/s',
    target: '>= 1,000,000/s',
  });
  rows.push({
    suite: SUITE,
    name: 'mtree_load(), 65,530-entry tree',
    value: timeReads((p) => mtree_load(tree, p) ?? 0),
    unit: 'loads/s',
  });
  rows.push({
    suite: SUITE,
    name: 'mas_empty_area_rev(1 page, [0x10000, random]), 65,530-entry tree',
    value: timeReads((p) => {
      const mas = MA_STATE(tree, 0, 0);
      return mas_empty_area_rev(mas, 0x10000, p, PAGE) === 0 ? mas.index : 0;
    }),
    unit: 'searches/s',
  });
  rows.push({
    suite: SUITE,
    name: 'mas_empty_area(1 page, [random, window end]), 65,530-entry tree',
    value: timeReads((p) => {
      const mas = MA_STATE(tree, 0, 0);
      return mas_empty_area(mas, p, base + window, PAGE) === 0 ? mas.index : 0;
    }),
    unit: 'searches/s',
  });

  // 4. Memory kept per step of history: the heap with 10,000 versions
  // reachable, less the heap once only the first one is (so garbage left
  // from before does not count).
  const steps = 10_000;
  const history: MapleTree<number>[] = [tree];
  let cur = tree;
  for (let i = 0; i < steps; i++) {
    cur = replay(cur, seq, BUILD + i, BUILD + i + 1);
    history.push(cur);
  }
  const kept = heapAfterGc(gc);
  const nodes = cur.nextNodeId - tree.nextNodeId;
  // Keep only the first version (and `cur`, one more) reachable.
  history.length = 1;
  const dropped = heapAfterGc(gc);
  rows.push({
    suite: SUITE,
    name: `retained per store, ${steps} versions kept (${how})`,
    value: Math.round((kept - dropped) / steps),
    unit: 'bytes/step',
  });
  rows.push({
    suite: SUITE,
    name: 'nodes built per store on the 65,530-entry tree (height 6)',
    value: Number((nodes / steps).toFixed(2)),
    unit: 'nodes/step',
  });
  if (sink === -1) throw new Error('unreachable');
  return rows;
}
