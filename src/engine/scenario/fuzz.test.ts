// SPDX-License-Identifier: GPL-2.0-or-later
// Bad input never crashes the reader: random and mutated lines each end in a
// call, a skip or a diagnostic that names a real line and column.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../timeline/run';
import { parseScenario } from './parse';
import { mutatedLine } from '../testing/arbitraries';

const SEEDS = [
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
  'openat(AT_FDCWD, "/usr/lib/libc.so.6", O_RDONLY|O_CLOEXEC) = 3',
  'mprotect(0x200000001000, 4096, PROT_READ) = 0',
  'munmap(0x200000000000, 4K)',
  'mremap(0x200000000000, 0x4000, 0x8000, MREMAP_MAYMOVE) = 0x200000000000',
  'madvise(0x200000000000, 0x4000, MADV_DONTFORK) = 0',
  'brk(NULL) = 0x555555559000',
  'mmap(0x200000010000, 2M, PROT_READ, MAP_SHARED|MAP_FIXED, 3, 0x1000) = -1 EBADF (Bad file descriptor)',
  '@touch(0x200000000000, 0x2000) = SIGSEGV',
  '@note("The new mapping merges with its \\"left\\" neighbour")',
  'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x200000000000, 4096, "heap") = -1 EINVAL',
  '1234  12:00:01.123456 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0 <unfinished ...>',
  '[pid 1234] 1700000000.1 <... mmap resumed>) = 0x7f5e1c9a5000',
  '7 execve("/usr/bin/true", ["true"], 0x7ffc6c3f9e48 /* 20 vars */) = 0',
  '7 read(3, "\\177ELF\\2\\1\\1"..., 832) = 832',
  'mlock2(0x200000000000, 4096, MLOCK_ONFAULT) = 0',
];

const PIECES = [
  '(',
  ')',
  ',',
  '|',
  '=',
  '"',
  '\\',
  '<',
  '>',
  '...',
  '0x',
  '-1',
  'K',
  'NULL',
  ' ',
  '#',
  '@',
  '/*',
  '*/',
  '\t',
  '[pid 1]',
  'PROT_',
  'MAP_FIXD',
  '99999999999999999999999',
  '\u00e9',
  '\ud83d\ude00',
];

/** A line changed by a few random edits: insert, delete, replace, cut or repeat. */
const mutated = mutatedLine(SEEDS, PIECES);

const random = fc
  .string({
    unit: fc.constantFrom(...'()|,=" \\<>.-_0123456789abcdefxKMGPROT_MAP@#'.split('')),
    maxLength: 80,
  })
  .map((s) => s);
const anyUnicode = fc
  .string({ unit: 'grapheme', maxLength: 60 })
  .map((s) => s.replace(/[\r\n]/g, ' '));

function checkLine(line: string): void {
  const parsed = parseScenario(line);
  const blank = line.trim() === '' || line.trim().startsWith('#');
  const accounted = parsed.calls.length + parsed.diagnostics.length + parsed.skipped;
  expect(blank ? accounted === 0 : accounted >= 1, JSON.stringify(line)).toBe(true);
  for (const d of parsed.diagnostics) {
    expect(d.line).toBe(1);
    expect(d.column).toBeGreaterThanOrEqual(1);
    expect(d.column).toBeLessThanOrEqual(line.length + 1);
    expect(d.message.length).toBeGreaterThan(0);
  }
  // The engine takes whatever the reader gives it without throwing either.
  const run = runScenario(line);
  expect(run.ok || run.diagnostics.length > 0).toBe(true);
}

describe('scenario reader under fuzzing', () => {
  it('survives 6,000 mutated contract lines', () => {
    fc.assert(fc.property(mutated, checkLine), { numRuns: 6_000, seed: 42 });
  });

  it('survives 3,000 lines of random scenario-ish characters', () => {
    fc.assert(fc.property(random, checkLine), { numRuns: 3_000, seed: 43 });
  });

  it('survives 1,000 lines of arbitrary Unicode', () => {
    fc.assert(fc.property(anyUnicode, checkLine), { numRuns: 1_000, seed: 44 });
  });

  it('survives whole mutated files, in both hand-written and strace form', () => {
    const file = fc.array(fc.oneof(mutated, fc.constantFrom(...SEEDS)), { maxLength: 30 });
    fc.assert(
      fc.property(file, (lines) => {
        const text = lines.join('\n');
        const parsed = parseScenario(text);
        for (const d of parsed.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeLessThanOrEqual(lines[d.line - 1].length + 1);
        }
        const run = runScenario(text);
        expect(run.ok || run.diagnostics.length > 0).toBe(true);
      }),
      { numRuns: 500, seed: 45 },
    );
  });
});
