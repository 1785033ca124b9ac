// SPDX-License-Identifier: GPL-2.0-or-later
// The case language: comments, the dump format, and malformed lines reported
// with their line number instead of thrown.
import { describe, expect, it } from 'vitest';
import { parseMapleCase, replayMapleCase } from './replay';

describe('replayMapleCase', () => {
  it('prints the README example', () => {
    const r = replayMapleCase('# one VMA\nstore 0x1000 0x1fff 1\ndump\n');
    expect(r).toEqual({
      ok: true,
      lines: [
        '{"op":1,"height":1,"root":{"type":"leaf_64","min":"0x0","max":"0xffffffffffffffff","pivots":["0xfff","0x1fff"],"slots":[null,1,null]}}',
      ],
    });
  });

  it('counts operations, not dumps, and keeps index 0 in the root', () => {
    const r = replayMapleCase('dump\nstore 0x0 0x0 5  # in the root\n\ndump\nerase 0x0\ndump\n');
    expect(r).toEqual({
      ok: true,
      lines: [
        '{"op":0,"height":0,"root":null}',
        '{"op":1,"height":0,"root":5}',
        '{"op":2,"height":0,"root":null}',
      ],
    });
  });

  it('reports the first malformed line', () => {
    const cases: Array<[string, number, RegExp]> = [
      ['store 0x1000 0x1fff\n', 1, /takes 3 arguments/],
      ['dump\nstore 0x2000 0x1fff 1\n', 2, /above LAST/],
      ['store 1000 0x1fff 1\n', 1, /0x-prefixed hex/],
      ['store 0x1000 0x1fff one\n', 1, /bad ID/],
      ['erase\n', 1, /erase takes 1 argument/],
      ['dump now\n', 1, /no arguments/],
      ['\n\nunmap 0x1000\n', 3, /unknown operation "unmap"/],
      ['store 0x1000 0x10000000000000000 1\n', 1, /wider than 64 bits/],
      ['store_null 0x1000 0x8000000000000000\n', 1, /outside the modelled index space/],
    ];
    for (const [text, line, message] of cases) {
      const r = replayMapleCase(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.line).toBe(line);
        expect(r.error.message).toMatch(message);
      }
    }
  });

  it('parses every operation kind', () => {
    const r = parseMapleCase('store 0x1 0x2 3\nstore_null 0x4 0x5\nerase 0x6\ndump\n');
    expect(r).toEqual({
      ok: true,
      ops: [
        { op: 'store', line: 1, first: 1, last: 2, id: 3 },
        { op: 'store_null', line: 2, first: 4, last: 5 },
        { op: 'erase', line: 3, index: 6 },
        { op: 'dump', line: 4 },
      ],
    });
  });
});
