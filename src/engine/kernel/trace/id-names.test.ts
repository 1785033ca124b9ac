// SPDX-License-Identifier: GPL-2.0-or-later
// The event log's id -> name table behaves as a Map under any sequence of
// sets, deletes and clears, including the runs of colliding ids whose
// deletes shift entries back.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IdNames } from './id-names';

type Op =
  { kind: 'set'; id: number; name: string } | { kind: 'delete'; id: number } | { kind: 'clear' };

// Mostly a few hundred ids, so that tables grow and runs of neighbours form.
const id = fc.oneof(
  { weight: 9, arbitrary: fc.integer({ min: 1, max: 300 }) },
  { weight: 1, arbitrary: fc.integer({ min: 1, max: 0x7fff_ffff }) },
);
const op: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      kind: fc.constant('set' as const),
      id,
      name: fc.string({ maxLength: 3 }),
    }),
  },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('delete' as const), id }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'clear' as const }) },
);

describe('IdNames', () => {
  it('answers as a Map after every operation', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 200, maxLength: 800 }), (ops) => {
        const names = new IdNames();
        const model = new Map<number, string>();
        for (const o of ops) {
          if (o.kind === 'set') {
            names.set(o.id, o.name);
            model.set(o.id, o.name);
          } else if (o.kind === 'delete') {
            names.delete(o.id);
            model.delete(o.id);
          } else {
            names.clear();
            model.clear();
          }
          expect(names.size).toBe(model.size);
          if (o.kind !== 'clear') expect(names.get(o.id)).toBe(model.get(o.id));
        }
        for (let k = 1; k <= 300; k++) expect(names.get(k)).toBe(model.get(k));
        expect(new Map(names.entries())).toEqual(model);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps every entry through growth and a churn of sets and deletes', () => {
    // A traced run's pattern: each copy takes the name of the node it
    // replaces, which leaves; the live set stays the same size.
    const names = new IdNames();
    for (let k = 1; k <= 3_000; k++) names.set(k, `node ${k}`);
    let next = 3_001;
    for (let k = 1; k <= 3_000; k++) {
      const name = names.get(k) as string;
      names.set(next++, name);
      names.delete(k);
    }
    expect(names.size).toBe(3_000);
    for (let k = 1; k <= 3_000; k++) {
      expect(names.get(k)).toBeUndefined();
      expect(names.get(3_000 + k)).toBe(`node ${k}`);
    }
  });

  it('refuses an id that is not a node id', () => {
    const names = new IdNames();
    for (const bad of [0, -1, 1.5, 2 ** 31]) expect(() => names.set(bad, 'x')).toThrow(RangeError);
  });
});
