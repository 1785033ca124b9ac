// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { lineSpans } from './language';

/** Each span as `kind:text`, to read a line the way the editor colours it. */
const read = (line: string) => lineSpans(line).map((s) => `${s.kind}:${line.slice(s.from, s.to)}`);

describe('the scenario editor colours a line as the parser reads it', () => {
  it('a call, its flags, numbers and its expected result', () => {
    expect(read('mmap(NULL, 4K, PROT_READ|PROT_WRITE, MAP_PRIVATE, -1, 0) = 0x7f00')).toEqual([
      'call:mmap',
      'punctuation:(',
      'flag:NULL',
      'punctuation:,',
      'number:4K',
      'punctuation:,',
      'flag:PROT_READ',
      'operator:|',
      'flag:PROT_WRITE',
      'punctuation:,',
      'flag:MAP_PRIVATE',
      'punctuation:,',
      'number:-1',
      'punctuation:,',
      'number:0',
      'punctuation:)',
      'result:= 0x7f00',
    ]);
  });

  it('pseudo-calls, strings, comments and unknown names', () => {
    expect(read('@note("hi") ')).toEqual([
      'pseudoCall:@note',
      'punctuation:(',
      'string:"hi"',
      'punctuation:)',
    ]);
    expect(read('  # a comment')).toEqual(['comment:# a comment']);
    expect(read('mmprotect(0, 1, PROT_RED)')).toEqual([
      'unknownCall:mmprotect',
      'punctuation:(',
      'number:0',
      'punctuation:,',
      'number:1',
      'punctuation:,',
      'name:PROT_RED',
      'punctuation:)',
    ]);
  });

  it("strace's pid, time and notes", () => {
    expect(read('[pid 12] 12:00:01.5 mmap(0x10 /* MAP_??? */) = -1 ENOMEM (x)')).toEqual([
      'prefix:[pid 12] 12:00:01.5 ',
      'call:mmap',
      'punctuation:(',
      'number:0x10',
      'comment: /* MAP_??? */',
      'punctuation:)',
      'result:= -1 ENOMEM (x)',
    ]);
  });
});
