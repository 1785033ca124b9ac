// SPDX-License-Identifier: GPL-2.0-or-later
// Random store / store_null / erase sequences against a plain sorted-interval
// model: mt_validate() after every operation, the contents equal to the
// model's, and random reads (mtree_load, mas_walk, mas_find, mas_next,
// mas_prev, mas_find_rev, mas_empty_area, mas_empty_area_rev) agreeing with
// it. The operation counts add up to well over 10,000.
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  EBUSY,
  EINVAL,
  MA_STATE,
  MM_MT_FLAGS,
  MT_FLAGS_ALLOC_RANGE,
  MT_FLAGS_LOCK_EXTERN,
  MTREE_INIT,
  ULONG_MAX,
  mas_empty_area,
  mas_empty_area_rev,
  mas_erase,
  mas_find,
  mas_find_rev,
  mas_next,
  mas_prev,
  mas_store_gfp,
  mas_walk,
  mt_dump_json,
  mt_validate,
  mtRanges,
  mtree_load,
  type MapleTree,
} from './index';

/** A stored range; the model keeps them sorted and disjoint. */
interface Interval {
  first: number;
  last: number;
  entry: number;
}

class IntervalModel {
  items: Interval[] = [];

  store(first: number, last: number, entry: number | null): void {
    const kept: Interval[] = [];
    for (const it of this.items) {
      if (it.last < first || it.first > last) {
        kept.push(it);
        continue;
      }
      if (it.first < first) kept.push({ first: it.first, last: first - 1, entry: it.entry });
      if (it.last > last) kept.push({ first: last + 1, last: it.last, entry: it.entry });
    }
    if (entry !== null) kept.push({ first, last, entry });
    kept.sort((a, b) => a.first - b.first);
    this.items = kept;
  }

  /** The interval holding index, or the NULL run around it. */
  rangeAt(index: number): { entry: number | null; first: number; last: number } {
    let prevLast = -1;
    for (const it of this.items) {
      if (index < it.first) return { entry: null, first: prevLast + 1, last: it.first - 1 };
      if (index <= it.last) return { entry: it.entry, first: it.first, last: it.last };
      prevLast = it.last;
    }
    return { entry: null, first: prevLast + 1, last: ULONG_MAX };
  }

  free(a: number, b: number): boolean {
    return this.items.every((it) => it.last < a || it.first > b);
  }

  /** The lowest (or highest) start of `size` free indices in [min, max]. */
  emptyArea(min: number, max: number, size: number, rev: boolean): number | null {
    const starts: number[] = [];
    // Candidate starts: the window edges and the edges of every NULL run.
    const edges = new Set<number>([min, max - size + 1]);
    let prevLast = -1;
    for (const it of [...this.items, { first: ULONG_MAX + 1, last: ULONG_MAX + 1, entry: 0 }]) {
      edges.add(prevLast + 1);
      edges.add(it.first - size);
      prevLast = it.last;
    }
    for (const a of edges) {
      if (a < min || a > max - size + 1) continue;
      if (this.free(a, a + size - 1)) starts.push(a);
    }
    if (starts.length === 0) return null;
    return rev ? Math.max(...starts) : Math.min(...starts);
  }
}

type Op =
  | { kind: 'store'; first: number; last: number }
  | { kind: 'null'; first: number; last: number }
  | { kind: 'erase'; index: number };

/** Indices in a few small windows, so ranges collide, plus the ends of the space. */
function indexArb(scale: number, span: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.integer({ min: 0, max: span }).map((i) => i * scale) },
    { weight: 2, arbitrary: fc.integer({ min: 0, max: span }).map((i) => ULONG_MAX - i * scale) },
    { weight: 1, arbitrary: fc.constantFrom(0, 1, ULONG_MAX, ULONG_MAX - 1) },
  );
}

function opArb(scale: number, span: number): fc.Arbitrary<Op> {
  const idx = indexArb(scale, span);
  const range = fc
    .tuple(idx, fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 30 }))
    .map(([a, len, skew]) => {
      const b = len === 40 ? Math.min(ULONG_MAX, a + skew * scale * 50) : a + len * scale - 1;
      const last = Math.min(ULONG_MAX, Math.max(a, b));
      return [a, last] as const;
    });
  return fc.oneof(
    {
      weight: 6,
      arbitrary: range.map(([first, last]) => ({ kind: 'store' as const, first, last })),
    },
    {
      weight: 3,
      arbitrary: range.map(([first, last]) => ({ kind: 'null' as const, first, last })),
    },
    { weight: 2, arbitrary: idx.map((index) => ({ kind: 'erase' as const, index })) },
  );
}

function checkContents(tree: MapleTree<number>, model: IntervalModel): void {
  const got: Interval[] = [];
  if (tree.rootEntry !== null) got.push({ first: 0, last: 0, entry: tree.rootEntry });
  for (const r of mtRanges(tree.root)) {
    if (r.entry !== null) got.push({ first: r.first, last: r.last, entry: r.entry });
  }
  const want = model.items;
  let same = got.length === want.length;
  for (let i = 0; same && i < got.length; i++)
    same =
      got[i].first === want[i].first &&
      got[i].last === want[i].last &&
      got[i].entry === want[i].entry;
  if (!same) expect(got).toEqual(want);
}

function checkReads(tree: MapleTree<number>, model: IntervalModel, probes: number[]): void {
  for (const p of probes) {
    const at = model.rangeAt(p);
    expect(mtree_load(tree, p)).toBe(at.entry);

    const walk = MA_STATE(tree, p, p);
    expect(mas_walk(walk)).toBe(at.entry);
    expect([walk.index, walk.last]).toEqual([at.first, at.last]);

    // mas_find(): the first entry ending at or after p that starts by max.
    const max = Math.min(ULONG_MAX, p + 37 * 0x1000);
    const find = MA_STATE(tree, p, p);
    const found = mas_find(find, max);
    const wantFind = model.items.find((it) => it.last >= p && it.first <= max) ?? null;
    expect(found).toBe(wantFind === null ? null : wantFind.entry);
    if (wantFind !== null) expect([find.index, find.last]).toEqual([wantFind.first, wantFind.last]);

    // mas_next(): the entry after the range holding p, starting by max.
    const next = MA_STATE(tree, p, p);
    const n = model.items.find((it) => it.first > at.last) ?? null;
    const wantNext = n !== null && n.first <= max ? n : null;
    expect(mas_next(next, max)).toBe(wantNext === null ? null : wantNext.entry);

    // mas_prev(): the entry before the range holding p, ending at min or later.
    const min = Math.max(0, p - 37 * 0x1000);
    const prev = MA_STATE(tree, p, p);
    const before = model.items.filter((it) => it.last < at.first);
    const b = before.length ? before[before.length - 1] : null;
    let wantPrev = b !== null && b.last >= min ? b.entry : null;
    // A tree that keeps its one entry in the root pointer hands it back
    // whatever min is (mas_prev_setup()), as the kernel does.
    if (tree.rootEntry !== null) wantPrev = p > min ? tree.rootEntry : null;
    expect(mas_prev(prev, min)).toBe(wantPrev);

    // mas_find_rev(): the last entry starting at or before p that ends at min or later.
    const rev = MA_STATE(tree, p, p);
    const r = model.items.filter((it) => it.first <= p);
    const lastR = r.length ? r[r.length - 1] : null;
    let wantRev = lastR !== null && lastR.last >= min ? lastR.entry : null;
    if (tree.rootEntry !== null) wantRev = p >= min ? tree.rootEntry : null;
    expect(mas_find_rev(rev, min)).toBe(wantRev);
  }
}

function checkEmptyArea(
  tree: MapleTree<number>,
  model: IntervalModel,
  lo: number,
  hi: number,
  size: number,
): void {
  for (const rev of [false, true]) {
    const mas = MA_STATE(tree, 0, 0);
    const ret = rev ? mas_empty_area_rev(mas, lo, hi, size) : mas_empty_area(mas, lo, hi, size);
    if (lo > hi || size === 0 || hi - lo < size - 1) {
      expect(ret).toBe(-EINVAL);
      continue;
    }
    // The kernel's top-down walk cannot take a slot that starts at 0 when the
    // window is the whole space (see empty-area.test.ts); the model can.
    if (rev && lo === 0 && hi === ULONG_MAX) continue;
    const want = model.emptyArea(lo, hi, size, rev);
    if (want === null) {
      expect(ret).toBe(-EBUSY);
    } else {
      expect(ret).toBe(0);
      expect([mas.index, mas.last]).toEqual([want, want + size - 1]);
    }
  }
}

/** Random operations run so far (the issue asks for at least 10,000). */
let opsRun = 0;

function runSequence(ops: Op[], flags: number, probes: number[], every: number): MapleTree<number> {
  let tree: MapleTree<number> = MTREE_INIT(flags);
  opsRun += ops.length;
  const model = new IntervalModel();
  let id = 1;
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    if (op.kind === 'erase') {
      const mas = MA_STATE(tree, op.index, op.index);
      const erased = mas_erase(mas);
      const at = model.rangeAt(op.index);
      expect(erased).toBe(at.entry);
      if (at.entry !== null) model.store(at.first, at.last, null);
      tree = mas.tree;
    } else {
      const entry = op.kind === 'store' ? id++ : null;
      const mas = MA_STATE(tree, op.first, op.last);
      expect(mas_store_gfp(mas, entry)).toBe(0);
      model.store(op.first, op.last, entry);
      tree = mas.tree;
    }
    mt_validate(tree);
    checkContents(tree, model);
    if (i % every === 0)
      checkReads(
        tree,
        model,
        probes.map((p) => Math.min(ULONG_MAX, p + (i % 7) * 0x1000)),
      );
  }
  return tree;
}

const PROBES = [0, 1, 0x1000, 0x7000, 0x20000, 0x80000, 0x2a3000, ULONG_MAX, ULONG_MAX - 0x5000];

describe('maple tree against an interval model', () => {
  afterAll(() => {
    expect(opsRun).toBeGreaterThanOrEqual(10_000);
  });

  it('page-sized ranges in a small window, mm flags (>= 6,000 ops)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(0x1000, 120), { minLength: 60, maxLength: 120, size: 'max' }),
        (ops) => {
          runSequence(ops, MM_MT_FLAGS, PROBES, 4);
        },
      ),
      { numRuns: 100, seed: 0x6d61706c },
    );
  });

  it('single indices and the top of the space (>= 3,000 ops)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(1, 300), { minLength: 60, maxLength: 100, size: 'max' }),
        (ops) => {
          runSequence(ops, MM_MT_FLAGS, [0, 1, 2, 50, 299, ULONG_MAX - 3, ULONG_MAX], 3);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('trees of height 3 and 4 (6,000 ops)', () => {
    // Ascending VMAs with small holes grow the tree, then random churn.
    fc.assert(
      fc.property(
        fc.array(opArb(0x1000, 3000), { minLength: 1500, maxLength: 1500, size: 'max' }),
        (ops) => {
          const build: Op[] = [];
          for (let k = 0; k < 1500; k++)
            build.push({ kind: 'store', first: 2 * k * 0x1000, last: 2 * k * 0x1000 + 0xfff });
          const tree = runSequence([...build, ...ops], MM_MT_FLAGS, PROBES, 200);
          expect(tree.ma_flags >> 2).toBeGreaterThanOrEqual(3);
        },
      ),
      { numRuns: 2, seed: 42 },
    );
  });

  it('a range tree without gap tracking (maple_range_64), RCU off (>= 1,800 ops)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(0x1000, 200), { minLength: 60, maxLength: 120, size: 'max' }),
        (ops) => {
          runSequence(ops, MT_FLAGS_LOCK_EXTERN, PROBES, 6);
        },
      ),
      { numRuns: 30, seed: 3 },
    );
  });

  it('RCU on or off gives the same shapes, as the golden README says (>= 2,400 ops)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(0x1000, 150), { minLength: 60, maxLength: 150, size: 'max' }),
        (ops) => {
          const on = runSequence(ops, MM_MT_FLAGS, [], 1e9);
          const off = runSequence(ops, MT_FLAGS_ALLOC_RANGE | MT_FLAGS_LOCK_EXTERN, [], 1e9);
          expect(mt_dump_json(off, 0)).toBe(mt_dump_json(on, 0));
        },
      ),
      { numRuns: 20, seed: 11 },
    );
  });

  it('mas_empty_area() and mas_empty_area_rev() find the lowest and highest fit of the model (>= 1,200 ops)', () => {
    fc.assert(
      fc.property(
        fc.array(opArb(0x1000, 120), { minLength: 20, maxLength: 80, size: 'max' }),
        fc.array(
          fc.tuple(
            indexArb(0x1000, 130),
            indexArb(0x1000, 130),
            fc.integer({ min: 0, max: 12 }),
            fc.constantFrom(1, 0x1000),
          ),
          { minLength: 10, maxLength: 30, size: 'max' },
        ),
        (ops, searches) => {
          const tree = runSequence(ops, MM_MT_FLAGS, [], 1e9);
          const model = new IntervalModel();
          for (const r of mtRanges(tree.root))
            if (r.entry !== null)
              model.items.push({ first: r.first, last: r.last, entry: r.entry });
          if (tree.rootEntry !== null)
            model.items.push({ first: 0, last: 0, entry: tree.rootEntry });
          for (const [a, b, pages, unit] of searches) {
            const [lo, hi] = a <= b ? [a, b] : [b, a];
            checkEmptyArea(tree, model, lo, hi, pages * unit);
          }
        },
      ),
      { numRuns: 60, seed: 5 },
    );
  });
});
