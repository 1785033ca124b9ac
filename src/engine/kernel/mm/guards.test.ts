// SPDX-License-Identifier: GPL-2.0-or-later
// Guard runs behave as the set of pages they stand for.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  NO_GUARDS,
  guardsAdd,
  guardsFirst,
  guardsMove,
  guardsRemove,
  type GuardPages,
} from './guards';

const pagesOf = (g: GuardPages): number[] => {
  const out: number[] = [];
  for (let k = 0; k < g.length; k += 2) for (let p = g[k]; p < g[k + 1]; p++) out.push(p);
  return out;
};

const op = fc.tuple(
  fc.constantFrom('add', 'remove', 'move'),
  fc.nat(40),
  fc.nat(12),
  fc.integer({ min: -20, max: 20 }),
);

describe('guard runs', () => {
  it('match a set of pages under any add, remove and move, and stay sorted and apart', () => {
    fc.assert(
      fc.property(fc.array(op, { maxLength: 20 }), fc.nat(50), fc.nat(10), (ops, qs, ql) => {
        let g = NO_GUARDS;
        const set = new Set<number>();
        for (const [kind, first, len, shift] of ops) {
          const end = first + len;
          if (kind === 'add') {
            g = guardsAdd(g, first, end);
            for (let p = first; p < end; p++) set.add(p);
          } else if (kind === 'remove') {
            g = guardsRemove(g, first, end);
            for (let p = first; p < end; p++) set.delete(p);
          } else {
            g = guardsMove(g, first, end, shift + 40);
            const moved = [...set].filter((p) => p >= first && p < end);
            for (const p of moved) set.delete(p);
            for (const p of moved) set.add(p + shift + 40);
          }
        }
        expect(pagesOf(g)).toEqual([...set].sort((a, b) => a - b));
        for (let k = 2; k < g.length; k += 2) expect(g[k]).toBeGreaterThan(g[k - 1]);
        const inQuery = [...set].filter((p) => p >= qs && p < qs + ql).sort((a, b) => a - b);
        expect(guardsFirst(g, qs, qs + ql)).toBe(inQuery.length ? inQuery[0] : -1);
      }),
      { numRuns: 300 },
    );
  });

  it('leave the runs alone (the same object) when removing where there are none', () => {
    const g = guardsAdd(NO_GUARDS, 10, 20);
    expect(guardsRemove(g, 20, 30)).toBe(g);
  });
});
