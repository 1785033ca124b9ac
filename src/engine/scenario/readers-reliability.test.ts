// SPDX-License-Identifier: GPL-2.0-or-later
// Every reader (scenarios, strace logs, maps and smaps dumps) on any text:
// no exception, every diagnostic inside the input, work linear in its size.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadProcMaps } from '../timeline/load-proc-maps';
import { mutatedLine } from '../testing/arbitraries';
import { growthRatio, LINEAR_BOUND } from '../testing/growth';
import type { Diagnostic } from './diagnostic';
import { parseScenario } from './parse';
import { parseProcMaps } from './proc-maps-reader';

/** Lines each reader meets in real inputs, to cut up and mix. */
const LINES = [
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
  'openat(AT_FDCWD, "/usr/lib/a\\nb", O_RDONLY|O_CLOEXEC) = 3',
  'munmap(0x200000000000, 4K)',
  '@note("\\ud83d\\ude00 merges")',
  '1234  12:00:01.123456 mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>',
  '[pid 1234] 1700000000.1 <... mmap resumed>) = 0x7f5e1c9a5000',
  '7 execve("/usr/bin/true", ["true"], 0x7ffc6c3f9e48 /* 20 vars */) = 0',
  '+++ exited with 0 +++',
  '--- SIGSEGV {si_signo=SIGSEGV} ---',
  '200000000000-200000004000 rw-p 00000000 00:00 0                          [heap]',
  '7ffffffde000-7ffffffff000 rw-p 00000000 00:00 0                          [stack]',
  '200000010000-200000014000 r-xp 00001000 fe:00 18446744073709551615       /usr/lib/a\\012b',
  'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0                  [vsyscall]',
  'ffffffffff600000-ffffffffff601000 --xp 00000000 00:00 0 ',
  '7ffffffff000-fffffffffffff000 rw-p 00000000 00:00 0 ',
  '200000020000-200000021000 rw-s 10000000000000000 00:01 7                 /dev/zero (deleted)',
  'Anonymous:            12 kB',
  'VmFlags: rd wr mr mw me ac sd lo ',
  'VmFlags: rd ex mr mw me sl ',
];
const PIECES = ['(', ')', ',', '|', '"', '\\', '<', '>', '/*', '-', ' ', '\t', '\r', ':', '0x'];
const EXOTIC = [
  '\ufeff',
  '\ud83d\ude00',
  '\u00e9',
  '\u0000',
  '\ud800',
  '\n',
  '99999999999999999999999',
];

/** A line from LINES cut, spliced and salted with odd characters. */
const line = mutatedLine(LINES, [...PIECES, ...EXOTIC]);
/** A whole input: mixed lines, maybe with a byte-order mark or CRLF endings. */
const input = fc
  .tuple(fc.array(line, { maxLength: 12 }), fc.boolean(), fc.boolean())
  .map(([ls, bom, crlf]) => (bom ? '\ufeff' : '') + ls.join(crlf ? '\r\n' : '\n'));

/** Checks every diagnostic names a line of `text` and a column within it (or just past its end). */
function expectInside(text: string, diagnostics: readonly Diagnostic[]): void {
  const lines = text.replace(/^\ufeff/, '').split('\n');
  for (const d of diagnostics) {
    expect(d.line).toBeGreaterThanOrEqual(1);
    expect(d.line).toBeLessThanOrEqual(lines.length);
    const codePoints = [...lines[d.line - 1].replace(/\r$/, '')].length;
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeLessThanOrEqual(codePoints + 1);
  }
}

const READERS: ReadonlyArray<readonly [string, (text: string) => readonly Diagnostic[]]> = [
  ['scenario or strace log', (text) => parseScenario(text).diagnostics],
  ['strace log, all pids', (text) => parseScenario(text, 'scn', { pid: 'all' }).diagnostics],
  ['maps or smaps dump', (text) => parseProcMaps(text).diagnostics],
  [
    'maps dump loaded',
    (text) => {
      const got = loadProcMaps(text);
      return got.ok ? [] : got.diagnostics;
    },
  ],
];

describe.each(READERS)('the %s reader', (_name, read) => {
  it('never throws and keeps its diagnostics inside the input', () => {
    fc.assert(
      fc.property(input, (text) => expectInside(text, read(text))),
      { numRuns: 300 },
    );
  });

  it('does work linear in the number of lines', () => {
    const sample = fc.sample(input, { numRuns: 40, seed: 17 }).join('\n');
    const ratio = growthRatio((n) => read(Array(n).fill(sample).join('\n')), 25);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });
});

describe.each([
  ['scenario or strace log', (text: string) => parseScenario(text, 'scn', { pid: 'all' })],
  ['maps or smaps dump', (text: string) => loadProcMaps(text)],
])('the %s reader', (_name, read) => {
  it.each([' ', '1 ', '"\\', '<', 'a-', '\ud83d\ude00'])(
    'does work linear in the length of a line of %j',
    (piece) => {
      const ratio = growthRatio((n) => read(piece.repeat(n)), 20_000);
      expect(ratio).toBeLessThan(LINEAR_BOUND);
    },
  );
});
