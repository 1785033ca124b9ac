// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { codePointColumn, formatDiagnostic, utf16Column } from './diagnostic';
import { parseScenario } from './parse';
import { parseProcMaps } from './proc-maps-reader';

describe('parseScenario', () => {
  it('reads a call with flags, numbers and an expectation', () => {
    const p = parseScenario(
      'mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.calls).toHaveLength(1);
    const c = p.calls[0];
    expect(c.name).toBe('mmap');
    expect(c.args.map((a) => a.value)).toEqual([0x200000000000n, 0x4000n, 3n, 0x32n, -1n, 0n]);
    expect(c.expect).toEqual({ kind: 'value', value: 0x200000000000n, text: '0x200000000000' });
    expect(c.text).toBe(
      'mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    );
  });

  it('names the line and column of an unknown flag and suggests the right one', () => {
    const p = parseScenario(
      '# first\n\nmunmap(0x1000, 4K)\nmmap(0, 1, PROT_READ, MAP_FIXD, -1, 0)',
    );
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:4:23: unknown flag MAP_FIXD (did you mean MAP_FIXED?)',
    ]);
    expect(p.diagnostics[0].text).toBe('MAP_FIXD');
  });

  it('reads errno, unknown and signal expectations', () => {
    const p = parseScenario(
      [
        'munmap(0x1001, 1) = -1 EINVAL (Invalid argument)',
        'munmap(0x1000, 1) = ?',
        '@touch(0x1000) = SIGSEGV',
      ].join('\n'),
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.calls.map((c) => c.expect?.kind)).toEqual(['errno', 'unknown', 'signal']);
    expect(p.calls[0].expect).toMatchObject({ errno: 'EINVAL' });
  });

  it('accepts K, M and G suffixes, octal modes and NULL', () => {
    const p = parseScenario(
      'mmap(NULL, 2M, PROT_NONE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 1G)\nopenat(AT_FDCWD, "/a", O_RDWR|O_CREAT, 0644)',
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.calls[0].args.map((a) => a.value)).toEqual([0n, 2n << 20n, 0n, 0x22n, -1n, 1n << 30n]);
    expect(p.calls[1].args[3].value).toBe(0o644n);
    expect(p.calls[1].args[1].value).toBe('/a');
  });

  it('strips strace pids and timestamps and skips other calls in a log', () => {
    const p = parseScenario(
      [
        '1234  12:00:01.123456 read(3, "\\177ELF"..., 832) = 832',
        '1234  12:00:01.123500 mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x7f5e1c9a5000',
        '[pid  1234] 1700000000.123456 munmap(0x7f5e1c9a5000, 8192) = 0',
        '1234  12:00:02.000000 +++ exited with 0 +++',
      ].join('\n'),
    );
    expect(p.isStraceLog).toBe(true);
    expect(p.diagnostics).toEqual([]);
    expect(p.skipped).toBe(2);
    expect(p.calls.map((c) => [c.name, c.pid, c.line])).toEqual([
      ['mmap', 1234, 2],
      ['munmap', 1234, 3],
    ]);
  });

  it.each([
    ['pid and time', '4000  12:00:00.000001 read(3, "", 1) = 0'],
    ['time only', '12:00:00.000001 read(3, "", 1) = 0'],
    ['epoch time', '1700000000.123456 read(3, "", 1) = 0'],
    ['pid only', '4000  read(3, "", 1) = 0'],
    ['[pid N]', '[pid  4000] read(3, "", 1) = 0'],
  ])('recognises a strace log by its %s prefix', (_, line) => {
    const p = parseScenario(line);
    expect(p).toMatchObject({ isStraceLog: true, skipped: 1, diagnostics: [] });
  });

  it('joins <unfinished ...> and <... resumed> pairs of the same pid', () => {
    const p = parseScenario(
      [
        '[pid 11] 12:00:00.000001 mmap(0x200000000000, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0 <unfinished ...>',
        '[pid 12] 12:00:00.000002 munmap(0x200000100000, 4096 <unfinished ...>',
        '[pid 12] 12:00:00.000003 <... munmap resumed>) = 0',
        '[pid 11] 12:00:00.000004 <... mmap resumed>) = 0x200000000000',
        '[pid 11] 12:00:00.000005 <... brk resumed>) = 0x555555559000',
        '[pid 11] 12:00:00.000006 mprotect(0x200000000000, 4096, PROT_NONE <unfinished ...>',
      ].join('\n'),
      'log',
      { pid: 11 },
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.calls.map((c) => [c.name, c.line, c.pid, c.expect?.text])).toEqual([
      ['mmap', 1, 11, '0x200000000000'],
    ]);
    expect(p.calls[0].text).toBe(
      'mmap(0x200000000000, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    );
    // A resumed call with no start, and one never resumed, are skipped.
    expect(p.skipped).toBe(2);
    expect(p.pids).toEqual([
      { pid: 11, calls: 1 },
      { pid: 12, calls: 1 },
    ]);
  });

  it('locates a mistake in the resumed half on its own line', () => {
    const p = parseScenario(
      [
        '1 mmap(0x200000000000, 8192, PROT_READ <unfinished ...>',
        '1 <... mmap resumed>, MAP_PRIVAT, -1, 0) = 0',
      ].join('\n'),
    );
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:2:23: unknown flag MAP_PRIVAT (did you mean MAP_PRIVATE?)',
    ]);
  });

  it('replays the pid with the most calls unless told otherwise', () => {
    const log = [
      '100 munmap(0x200000000000, 4096) = 0',
      '200 munmap(0x200000001000, 4096) = 0',
      '200 munmap(0x200000002000, 4096) = 0',
    ].join('\n');
    expect(parseScenario(log)).toMatchObject({ pid: 200, calls: [{ line: 2 }, { line: 3 }] });
    expect(parseScenario(log, 'scn', { pid: 100 })).toMatchObject({
      pid: 100,
      calls: [{ line: 1 }],
    });
    expect(parseScenario(log, 'scn', { pid: 'all' })).toMatchObject({
      pid: null,
      calls: [{}, {}, {}],
    });
  });

  it('turns a successful execve into a fresh start and skips failed ones', () => {
    const p = parseScenario(
      [
        '7 execve("/usr/local/bin/true", ["true"], 0x7ffc6c3f9e48 /* 20 vars */) = -1 ENOENT (No such file or directory)',
        '7 execve("/usr/bin/true", ["true"], 0x7ffc6c3f9e48 /* 20 vars */) = 0',
        '7 brk(NULL) = 0x555555559000',
      ].join('\n'),
    );
    expect(p.diagnostics).toEqual([]);
    expect(p.skipped).toBe(1);
    expect(p.calls.map((c) => [c.name, c.args[0]?.value])).toEqual([
      ['execve', '/usr/bin/true'],
      ['brk', 0n],
    ]);
  });

  it('refuses unknown calls in a hand-written scenario', () => {
    const p = parseScenario('read(3, 0, 0)');
    expect(p.diagnostics.map(formatDiagnostic)).toEqual(['scn:1:1: unknown call read']);
  });

  it('suggests the call an unknown name is a typo of', () => {
    const p = parseScenario('mmprotect(0, 4K, PROT_READ)\n@tuch(0)\nmunmapp(0, 4K)');
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:1:1: unknown call mmprotect (did you mean mprotect?)',
      'scn:2:1: unknown call @tuch (did you mean @touch?)',
      'scn:3:1: unknown call munmapp (did you mean munmap?)',
    ]);
  });

  it('reports wrong arity, misplaced flags and junk after the call', () => {
    const p = parseScenario(
      [
        'munmap(0x1000)',
        'munmap(0x1000, 4K, 1)',
        'mprotect(0, 1, MAP_SHARED)',
        'munmap(0, 1) junk',
      ].join('\n'),
    );
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:1:14: munmap takes 2 arguments, found 1',
      'scn:2:20: too many arguments: munmap takes 2 arguments',
      'scn:3:16: MAP_SHARED is not allowed here (expected PROT_* flags)',
      "scn:4:14: unexpected 'junk' after the call",
    ]);
  });

  it('reports unterminated strings and bad numbers', () => {
    const p = parseScenario(
      [
        '@note("open',
        'munmap(0x10g0, 1)',
        'munmap(0x1K, 1)',
        'munmap(09, 1)',
        'munmap(0, 1) # why',
        'munmap(0, 1) $',
      ].join('\n'),
    );
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:1:7: unterminated string',
      'scn:2:8: bad number 0x10g0',
      'scn:3:8: bad number 0x1K',
      'scn:4:8: bad number 09',
      "scn:5:14: '#' starts a comment only at the start of a line",
      'scn:6:14: unexpected character "$" after the call',
    ]);
    expect(parseScenario('munmap(010, 2K)').calls[0].args.map((a) => a.value)).toEqual([8n, 2048n]);
  });

  it('reports a number that does not fit in 64 bits with its line and column', () => {
    const p = parseScenario(
      [
        'munmap(99999999999999999999999999, 1)',
        'munmap(0x10000000000000000, 1)',
        'munmap(0, -9223372036854775809)',
        'munmap(0, 20000000000G)',
        'munmap(0, 1) = 18446744073709551616',
      ].join('\n'),
    );
    expect(p.calls).toEqual([]);
    expect(p.diagnostics.map(formatDiagnostic)).toEqual([
      'scn:1:8: number 99999999999999999999999999 does not fit in 64 bits',
      'scn:2:8: number 0x10000000000000000 does not fit in 64 bits',
      'scn:3:11: number -9223372036854775809 does not fit in 64 bits',
      'scn:4:11: number 20000000000G does not fit in 64 bits',
      'scn:5:16: number 18446744073709551616 does not fit in 64 bits',
    ]);
    const edges = parseScenario(
      'munmap(0xffffffffffffffff, -9223372036854775808) = 18446744073709551615',
    );
    expect(edges.diagnostics).toEqual([]);
    expect(edges.calls[0].args.map((a) => a.value)).toEqual([2n ** 64n - 1n, -(2n ** 63n)]);
  });
});

describe('what every reader reads alike', () => {
  it('ignores a byte-order mark at the start, in a scenario and in a maps dump', () => {
    const scn = parseScenario('\ufeffmunmap(0x200000000000, 4K)\nbad(');
    expect(scn.calls).toHaveLength(1);
    expect(scn.diagnostics.map((d) => [d.line, d.column])).toEqual([[2, 1]]);
    const maps = parseProcMaps('\ufeff200000000000-200000001000 rw-p 00000000 00:00 0 \n');
    expect(maps).toMatchObject({ diagnostics: [], entries: [{ start: 0x200000000000 }] });
  });

  it('counts columns in code points: an emoji is one', () => {
    const scn = parseScenario('@note("\ud83d\ude00") munmap(1, 2)\nmunmap(0x1000, MAP_FIXD)');
    expect(scn.diagnostics.map((d) => [d.line, d.column])).toEqual([
      [1, 12],
      [2, 16],
    ]);
    const strace = parseScenario(
      '1 mmap(NULL, 4096, PROT_READ, MAP_SHARED, -1, 0) = 0x1000 <\ud83d\ude00\ud83d\ude00> x',
    );
    // `x` is the 64th code point, the 66th UTF-16 unit.
    expect(strace.diagnostics.map((d) => d.column)).toEqual([64]);
    // The arguments after an emoji, in code points too (the editor's marks and the views use them).
    const after = parseScenario('openat(AT_FDCWD, "\ud83d\ude00", O_RDONLY) = 3');
    expect(after.calls[0].args.map((a) => a.column)).toEqual([8, 18, 23]);
    const emoji = parseScenario('munmap(\ud83d\ude00, 4096)');
    expect(emoji.diagnostics.map((d) => [d.column, d.text, d.message])).toEqual([
      [8, '\ud83d\ude00', 'unexpected character "\ud83d\ude00"'],
    ]);
    const maps = parseProcMaps(
      '\ud83d\ude00\n200000000000-200000001000 rw-p 00000000 00:00 0 \nVmFlags: \ud83d\ude00 Xx',
    );
    expect(maps.diagnostics.map((d) => [d.line, d.column])).toEqual([
      [1, 1],
      [3, 10],
    ]);
  });

  it('converts columns between code points and UTF-16 units both ways', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), fc.nat(14), (line, n) => {
        const points = [...line];
        const at = Math.min(n, points.length + 2);
        const utf16 = points.slice(0, at).join('').length + 1 + Math.max(0, at - points.length);
        expect(codePointColumn(line, utf16)).toBe(at + 1);
        expect(utf16Column(line, at + 1)).toBe(utf16);
      }),
    );
  });
});
