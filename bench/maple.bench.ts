// SPDX-License-Identifier: GPL-2.0-or-later
// Maple tree speed and memory (issues 3 and 16): `npm run bench -- maple`.
//
// - The 165,530-operation sequence of shared/bench/gen_maple_bench.py --seed 1
//   (65,530 VMAs, then a random replace/unmap/map mix) and three large golden
//   cases, replayed with mas_store_gfp() on an ma_state started afresh for
//   each operation (masReinit()),
//   side by side with the kernel's own lib/maple_tree.c doing the same
//   (kernel/maple-replay.c): rounds alternate, C then ours, so the machine's
//   load falls on both, and the final trees must be the same. Ours replays
//   twice a round: keeping every version (a copy of the path per write, what
//   a traced run's steps need) and in place (what an untraced call does,
//   and the kernel). Then the largest golden cases alone.
// - Finds and mas_empty_area_rev() searches per second on the 65,530-entry tree.
// - Bytes each step of history keeps when 10,000 versions stay reachable.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-row';
import { findGc } from './gc';
import {
  buildMapleReplay,
  kernelSourceMissing,
  ratioRows,
  runProgram,
  sameRow,
  spreadRows,
} from './kernel/yardstick';
import {
  MA_STATE,
  MTREE_INIT,
  mas_empty_area,
  mas_empty_area_rev,
  mas_erase,
  mas_find,
  mas_store_gfp,
  masReinit,
  mt_dump_json,
  mtree_load,
  parseMapleCase,
  ULONG_MAX,
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
/** Rounds of each side in the comparison with the kernel's C. */
const YARDSTICK_ROUNDS = 5;
/** The golden cases compared with the kernel's C besides the sequence. */
const YARDSTICK_GOLDENS = ['desc-n5000', 'asc-n1000', 'churn-n2000'];
/**
 * Operations a round replays at least: a small case is replayed several
 * times a round (a fresh tree each time), so that a round lasts tens of
 * milliseconds on both sides and one timer tick or collection is noise.
 */
const YARDSTICK_ROUND_OPS = 100_000;

/**
 * A case's operations as the C program holds them (maple-replay.c's array
 * of struct op: kind, first, last, entry), made before any timing. Read as
 * parsed objects, each operation's kind and boxed bounds were cache misses
 * of the replay's own: about 6% of a replay in place.
 */
interface PackedOps {
  length: number;
  kind: Uint8Array;
  first: Float64Array;
  last: Float64Array;
  id: Float64Array;
}
const STORE = 0;
const STORE_NULL = 1;
const ERASE = 2;

/** The operations of a case file, without its dumps. */
function loadOps(text: string): PackedOps {
  const parsed = parseMapleCase(text);
  if (!parsed.ok) throw new Error(`line ${parsed.error.line}: ${parsed.error.message}`);
  const ops = parsed.ops.filter((op) => op.op !== 'dump');
  const packed: PackedOps = {
    length: ops.length,
    kind: new Uint8Array(ops.length),
    first: new Float64Array(ops.length),
    last: new Float64Array(ops.length),
    id: new Float64Array(ops.length),
  };
  ops.forEach((op, i) => {
    if (op.op === 'store' || op.op === 'store_null') {
      packed.kind[i] = op.op === 'store' ? STORE : STORE_NULL;
      packed.first[i] = op.first;
      packed.last[i] = op.last;
      if (op.op === 'store') packed.id[i] = op.id;
    } else if (op.op === 'erase') {
      packed.kind[i] = ERASE;
      packed.first[i] = packed.last[i] = op.index;
    }
  });
  return packed;
}

/**
 * The replay's ma_state: each operation starts it afresh with masReinit(),
 * as the C program declares MA_STATE() on the stack for each; an object per
 * operation (its indices boxed by V8) was a quarter of what a replay in
 * place allocated.
 */
const replayState = MA_STATE<number>(MTREE_INIT(), 0, 0);

/**
 * Apply ops[from, to) to a tree as the golden runs did (fresh state per op).
 * `mutableFrom`: Infinity keeps every version intact (each write copies its
 * path, as a traced run's steps need); the tree's first node id lets a
 * write change in place the nodes earlier writes of this replay built, as
 * an untraced engine call does and as the kernel always does
 * (MaState.mutableFrom).
 */
function replay(
  tree: MapleTree<number>,
  ops: PackedOps,
  from = 0,
  to = ops.length,
  mutableFrom = Infinity,
) {
  const { kind, first, last, id } = ops;
  for (let i = from; i < to; i++) {
    const mas = masReinit(replayState, tree, first[i], last[i]);
    mas.mutableFrom = mutableFrom;
    if (kind[i] === ERASE) mas_erase(mas);
    else mas_store_gfp(mas, kind[i] === STORE ? id[i] : null);
    tree = mas.tree;
  }
  return tree;
}

/** The two ways ours replays, as the rows name them. */
const MODES = [
  { label: 'ours, every version kept', mutableFrom: Infinity },
  { label: 'ours, in place', mutableFrom: 0 },
] as const;

/**
 * ns per op of whole replays: the best and the median of RUNS runs, each
 * started on a collected heap so that one run's garbage is not the next's.
 */
function timeReplay(ops: PackedOps, gc: (() => void) | null): { best: number; median: number } {
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

interface YardstickCase {
  /** The case's name in the rows: `seed 1`, `desc-n5000`. */
  label: string;
  /** The case file the C program reads. */
  path: string;
  ops: PackedOps;
}

/**
 * The kernel's C and ours on each case, rounds alternating (C, ours, C,
 * ours...), ours after a warm-up replay and on a collected heap. C's first
 * round also prints its final tree, which must equal ours.
 */
async function yardstick(cases: YardstickCase[], gc: (() => void) | null): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const missing = kernelSourceMissing();
  let bin: string | null = null;
  let why = missing;
  if (missing === null) {
    try {
      bin = await buildMapleReplay();
    } catch (e) {
      why = `the kernel's maple tree did not build: ${(e as Error).message}`;
    }
  }
  if (bin === null) {
    console.log(`maple: no kernel C rows: ${why}`);
    const what = missing !== null ? 'apt-get install linux-source-6.12, extract it' : 'see above';
    rows.push({ suite: SUITE, name: `kernel C: not run (${what})`, value: NaN, unit: '' });
  }
  for (const c of cases) {
    const kernel: number[] = [];
    const ours: number[][] = MODES.map(() => []);
    const ourTrees: string[] = MODES.map(() => '');
    let kernelTree = '';
    const reps = Math.max(1, Math.ceil(YARDSTICK_ROUND_OPS / c.ops.length));
    // Warm up the JIT on both modes.
    for (const mode of MODES) replay(MTREE_INIT(), c.ops, 0, c.ops.length, mode.mutableFrom);
    for (let r = 0; r < YARDSTICK_ROUNDS; r++) {
      if (bin !== null) {
        const args = [c.path, String(reps), ...(r === 0 ? ['--dump'] : [])];
        const got: number[] = [];
        for (const line of (await runProgram(bin, args)).split('\n')) {
          const m = /^round ([\d.]+) ns\/op$/.exec(line);
          if (m) got.push(Number(m[1]));
          else if (line.startsWith('{')) kernelTree = line;
        }
        kernel.push(got.reduce((a, b) => a + b, 0) / got.length);
      }
      MODES.forEach((mode, m) => {
        if (gc !== null) gc();
        let tree = MTREE_INIT<number>();
        const t0 = process.hrtime.bigint();
        for (let i = 0; i < reps; i++)
          tree = replay(MTREE_INIT(), c.ops, 0, c.ops.length, mode.mutableFrom);
        ours[m].push(Number(process.hrtime.bigint() - t0) / (reps * c.ops.length));
        if (r === 0) ourTrees[m] = mt_dump_json(tree, c.ops.length);
      });
    }
    const name =
      reps > 1 ? `${c.label} (${c.ops.length} ops x ${reps})` : `${c.label} (${c.ops.length} ops)`;
    const target = c.label === 'seed 1' ? '<= 1200 ns/op' : undefined;
    MODES.forEach((mode, m) =>
      rows.push(...spreadRows(SUITE, `${mode.label}: ${name}`, ours[m], 'ns/op', target)),
    );
    if (kernel.length === 0) continue;
    rows.push(...spreadRows(SUITE, `kernel C: ${name}`, kernel, 'ns/op'));
    MODES.forEach((mode, m) =>
      rows.push(
        ...ratioRows(SUITE, `${mode.label} / kernel C: ${c.label}`, ours[m], kernel, '<= 3x'),
        sameRow(
          SUITE,
          `final tree as kernel C: ${c.label}, ${mode.label}`,
          kernelTree === ourTrees[m],
        ),
      ),
    );
  }
  return rows;
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

  // 1. The generated sequence and three goldens, against the kernel's C.
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-maple-'));
  try {
    const cases: YardstickCase[] = [{ label: 'seed 1', path: SEQUENCE, ops: seq }];
    for (const name of YARDSTICK_GOLDENS) {
      const text = readGolden(name, 'case');
      const path = join(dir, `${name}.case`);
      writeFileSync(path, text);
      cases.push({ label: name, path, ops: loadOps(text) });
    }
    rows.push(...(await yardstick(cases, gc)));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

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
  const base = seq.first[0];
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
