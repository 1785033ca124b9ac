// SPDX-License-Identifier: GPL-2.0-or-later
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { fakeIo, JSON_EXPECTED, JSON_SCENARIO, LINE, MMAP } from './fake-io';
import {
  LINUX_6_18,
  kernelProfileJson,
  mapsLines,
  runScenario,
  smapsLines,
  traceJson,
  type Step,
} from '../engine';
import { generateScenario } from '../engine/scenario/generate';
import { terminalSafe } from './io';
import { main } from './main';

// The folders go when the file's tests end: each run used to leave its own.
const made: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'vma-explorer-'));
  made.push(d);
  return d;
}
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('vma-explorer (in process)', () => {
  it('run prints the final maps lines', async () => {
    const { io, out, err } = fakeIo({ 'a.scn': MMAP });
    expect(await main(['run', 'a.scn', '--format', 'maps'], io)).toBe(0);
    expect(out).toEqual([LINE]);
    expect(err).toEqual([]);
  });

  it('run --format json follows the contract', async () => {
    const { io, out } = fakeIo({ 'a.scn': JSON_SCENARIO });
    expect(await main(['run', 'a.scn', '--format=json'], io)).toBe(0);
    expect(JSON.parse(out[0])).toEqual({ ...JSON_EXPECTED, kernel: LINUX_6_18 });
  });

  it('--kernel picks the profile the run models and the json says which', async () => {
    const pvm = { ...LINUX_6_18, name: 'pvm', zeroPage: false };
    const scenario = [
      'mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      '@read(0x200000000000)',
      'mprotect(0x200000000000, 0x2000, PROT_READ)',
    ].join('\n');
    const { io, out } = fakeIo({ 'a.scn': scenario, 'pvm.json': kernelProfileJson(pvm) });
    expect(await main(['run', 'a.scn', '--kernel', 'pvm.json', '--format', 'json'], io)).toBe(0);
    const json = JSON.parse(out[0]);
    expect(json.kernel).toEqual(pvm);
    expect(json.smaps[1]).toBe('VmFlags: rd mr mw me ac ');
    expect(await main(['run', 'a.scn', '--kernel', 'linux-6.18', '--format', 'smaps'], io)).toBe(0);
    expect(out[out.length - 1]).toBe('VmFlags: rd mr mw me ');
  });

  it('--kernel names a bad profile: unknown name, missing file, the wrong field', async () => {
    const doc = JSON.parse(kernelProfileJson(LINUX_6_18));
    const { io, err } = fakeIo({
      'a.scn': MMAP,
      'bad.json': JSON.stringify({ ...doc, overcommit: { ...doc.overcommit, memory: 7 } }),
      'extra.json': JSON.stringify({ ...doc, ksm: true }),
    });
    expect(await main(['run', 'a.scn', '--kernel', 'linux-9'], io)).toBe(2);
    expect(await main(['run', 'a.scn', '--kernel', 'toString'], io)).toBe(2);
    expect(await main(['run', 'a.scn', '--kernel', 'gone.json'], io)).toBe(2);
    expect(await main(['run', 'a.scn', '--kernel', 'bad.json'], io)).toBe(2);
    expect(await main(['run', 'a.scn', '--kernel', 'extra.json'], io)).toBe(2);
    expect(err).toEqual([
      "vma-explorer: unknown kernel profile 'linux-9' (choose linux-6.18, host, or a profile FILE.json)",
      "vma-explorer: unknown kernel profile 'toString' (choose linux-6.18, host, or a profile FILE.json)",
      'vma-explorer: cannot read gone.json: no such file',
      'vma-explorer: bad.json: field "overcommit.memory": expected 0, 1 or 2',
      'vma-explorer: extra.json: field "ksm": not a setting this engine models',
    ]);
  });

  it('run --format trace-json writes every step with the final maps', async () => {
    const { io, out } = fakeIo({ 'a.scn': MMAP });
    expect(await main(['run', 'a.scn', '--format', 'trace-json'], io)).toBe(0);
    const trace = JSON.parse(out[0]) as { format: string; steps: unknown[]; maps: string[] };
    expect(trace.format).toBe('vma-explorer-trace');
    expect((trace as unknown as { kernel: unknown }).kernel).toEqual(LINUX_6_18);
    expect(trace.steps.length).toBeGreaterThan(1);
    expect(trace.maps).toEqual([LINE]);
  });

  it('prints, byte for byte, what the whole run kept gives: every format', async () => {
    const text = generateScenario(5, 300);
    const whole = runScenario(text, 'g.scn');
    if (!whole.ok) throw new Error('generated scenario refused');
    const last = whole.steps[whole.steps.length - 1].mm;
    const line = (s: Step) => (s.call < 0 ? '-' : String(whole.calls[s.call].line));
    const expected: Record<string, string[]> = {
      maps: mapsLines(last),
      smaps: smapsLines(last),
      // The contract's keys in the contract's order, each call without `lastStep`.
      json: [
        JSON.stringify({
          results: whole.calls.map(({ lastStep, ...call }) => (void lastStep, call)),
          maps: mapsLines(last),
          smaps: smapsLines(last),
          kernel: LINUX_6_18,
        }),
      ],
      trace: whole.steps.map((s) => `${line(s)}\t${s.fn}\t${s.message}`),
      'trace-json': [JSON.stringify(traceJson(whole))],
    };
    for (const [format, lines] of Object.entries(expected)) {
      const { io, out, err } = fakeIo({ 'g.scn': text });
      expect(await main(['run', 'g.scn', '--format', format], io)).toBe(0);
      expect(out).toEqual(lines);
      expect(err).toEqual([]);
    }
  });

  it('--from starts from a maps dump and --pid picks a process of a strace log', async () => {
    const { io, out, err } = fakeIo({
      'start.maps': '200000000000-200000004000 rw-p 00000000 00:00 0 \n',
      log: [
        '10 munmap(0x200000000000, 0x1000) = 0',
        '20 munmap(0x200000003000, 0x1000) = 0',
        '20 munmap(0x200000002000, 0x1000) = 0',
      ].join('\n'),
    });
    expect(await main(['run', 'log', '--from', 'start.maps', '--pid', '10'], io)).toBe(0);
    expect(out).toEqual(['200000001000-200000004000 rw-p 00000000 00:00 0 ']);
    expect(err).toEqual([]);
  });

  it('--from reports a bad dump with its line and column', async () => {
    const { io, err } = fakeIo({ 'a.scn': MMAP, 'bad.maps': '200000000000-20000000100 rw-p\n' });
    expect(await main(['run', 'a.scn', '--from', 'bad.maps'], io)).toBe(2);
    expect(err).toEqual([
      'bad.maps:1:30: expected a maps line (start-end perms offset dev inode [path]): bad a space',
    ]);
  });

  it('exits 1 when a result misses its expectation', async () => {
    const { io, err } = fakeIo({ 'a.scn': `${MMAP} = -1 ENOMEM` });
    expect(await main(['run', 'a.scn'], io)).toBe(1);
    expect(err).toEqual([`a.scn:1: ${MMAP} returned 0x200000000000, expected -1 ENOMEM`]);
  });

  it.each([
    [['run', 'missing.scn'], 'vma-explorer: cannot read missing.scn: no such file'],
    [['run', 'a.scn', '--frob'], "vma-explorer: unknown option '--frob' (try --help)"],
    [
      ['run', 'a.scn', '--format', 'xml'],
      "vma-explorer: unknown format 'xml' (choose maps, smaps, json, trace, trace-json)",
    ],
    [['run'], 'vma-explorer: run takes exactly one FILE'],
    // A pid is decimal digits, greater than 0.
    ...['x', '1e3', '-5', '0', '0x10', '12.0'].map((pid): [string[], string] => [
      ['run', 'a.scn', '--pid', pid],
      `vma-explorer: --pid takes a process id (decimal digits, greater than 0) or 'all', not '${pid}'`,
    ]),
    [['run', 'a.scn', '--from', 'none.maps'], 'vma-explorer: cannot read none.maps: no such file'],
    [['run', 'locked.scn'], 'vma-explorer: cannot read locked.scn: permission denied'],
    [['run', 'odd.scn'], 'vma-explorer: cannot read odd.scn: i/o error'],
    [['frobnicate'], "vma-explorer: unknown command 'frobnicate' (try --help)"],
    [['record'], 'vma-explorer: record takes a command after --'],
    [['record', '-o', 'r.json', '--'], 'vma-explorer: record takes a command after --'],
    [['record', '-o'], 'vma-explorer: record: -o takes a FILE'],
    [
      ['record', 'true'],
      'vma-explorer: record: put the command after -- (record [-o FILE] -- CMD ARGS...)',
    ],
    [['record', '-x', '--', 'true'], "vma-explorer: record: unknown option '-x' (try --help)"],
  ])('%j is a one-line error with status 2', async (argv, message) => {
    const { io, out, err } = fakeIo({
      'a.scn': MMAP,
      // As node:fs words them.
      'locked.scn': Object.assign(new Error("EACCES: permission denied, open 'locked.scn'"), {
        code: 'EACCES',
      }),
      'odd.scn': Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' }),
    });
    expect(await main(argv, io)).toBe(2);
    expect(err).toEqual([message]);
    expect(out).toEqual([]);
  });

  it('bad input gives diagnostics and status 2', async () => {
    const { io, err } = fakeIo({ 'a.scn': 'mmap(0, 1, PROT_READ, MAP_FIXD, -1, 0)' });
    expect(await main(['run', 'a.scn'], io)).toBe(2);
    expect(err).toEqual(['a.scn:1:23: unknown flag MAP_FIXD (did you mean MAP_FIXED?)']);
  });
});

describe('vma-explorer maple-replay', () => {
  const CASE = ['# a tiny case', 'store 0x1000 0x1fff 1', 'dump'].join('\n');

  it('prints exactly the dump lines', async () => {
    const { io, out, err } = fakeIo({ 'a.case': CASE });
    expect(await main(['maple-replay', 'a.case'], io)).toBe(0);
    expect(out).toEqual([
      '{"op":1,"height":1,"root":{"type":"leaf_64","min":"0x0","max":"0xffffffffffffffff","pivots":["0xfff","0x1fff"],"slots":[null,1,null]}}',
    ]);
    expect(err).toEqual([]);
  });

  it('reports a malformed line with its number and status 2', async () => {
    const { io, out, err } = fakeIo({ 'a.case': CASE + '\nstore 0x1000 1' });
    expect(await main(['maple-replay', 'a.case'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^a\.case:4: /);
  });
});

describe('the installed bin', () => {
  const exec = promisify(execFile);
  const bin = join(process.cwd(), 'bin', 'vma-explorer.mjs');

  it('--help prints usage', async () => {
    const { stdout } = await exec(process.execPath, [bin, '--help']);
    expect(stdout).toMatch(/^Usage: vma-explorer <command>/);
  });

  it('run prints the same maps line as the app', async () => {
    const dir = tempDir();
    const file = join(dir, 'one.scn');
    writeFileSync(file, MMAP + '\n');
    const { stdout } = await exec(process.execPath, [bin, 'run', file, '--format', 'maps']);
    expect(stdout).toBe(LINE + '\n');
  });

  // 10,000 fixed mmap/munmap calls make about 49,000 steps: kept, they take
  // about 70 MB of heap, so this heap only fits a run that writes each step
  // and drops it.
  it.each(['trace', 'trace-json'])(
    'run --format %s streams its steps in a 48 MB heap',
    async (format) => {
      const dir = tempDir();
      const file = join(dir, 'big.scn');
      writeFileSync(file, fixedCalls(10_000));
      const done = await exec(
        process.execPath,
        ['--max-old-space-size=48', bin, 'run', file, '--format', format],
        { maxBuffer: 1 << 30 },
      ).then(
        ({ stdout }) => ({ code: 0, bytes: stdout.length }),
        (e: { code: number; signal: string }) => ({ code: e.code ?? e.signal, bytes: 0 }),
      );
      expect(done.code).toBe(0);
      expect(done.bytes).toBeGreaterThan(1e6);
    },
    60_000,
  );

  it('/dev/zero is refused at once, in one line, status 2', async () => {
    const failed = await exec(process.execPath, [bin, 'run', '/dev/zero']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({
      code: 2,
      stderr:
        'vma-explorer: cannot read /dev/zero: not a file or a pipe (a device, which may never end)\n',
    });
  });

  it('a missing file exits 2 with one line', async () => {
    const failed = await exec(process.execPath, [bin, 'run', '/nonexistent.scn']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({
      code: 2,
      stderr: 'vma-explorer: cannot read /nonexistent.scn: no such file\n',
    });
  });
});

/** `n` MAP_FIXED mmap and munmap calls scattered over 16 MB: many splits and merges. */
function fixedCalls(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const addr = '0x' + (0x200000000000 + ((i * 2654435761) % 4096) * 0x1000).toString(16);
    const len = 0x1000 * (1 + ((i * 7) % 8));
    const prot = i % 3 ? 'PROT_READ' : 'PROT_READ|PROT_WRITE';
    lines.push(
      i % 5 < 3
        ? `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`
        : `munmap(${addr}, ${len})`,
    );
  }
  return lines.join('\n') + '\n';
}

describe('text from the input reaches the terminal escaped', () => {
  it('a path with a newline and an escape sequence stays on its trace line', async () => {
    const path = 'a\\nb\\x1b[31mred';
    const { io, out } = fakeIo({
      'p.scn': [
        `openat(AT_FDCWD, "${path}", O_RDONLY) = 3`,
        'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0)',
      ].join('\n'),
    });
    expect(await main(['run', 'p.scn', '--format', 'trace'], io)).toBe(0);
    const lines = out.join('\n').split('\n');
    expect(lines.every((l) => /^(\d+|-)\t\S+\t/.test(l))).toBe(true);
    expect(out.join('\n')).not.toContain('\x1b');
    expect(out.join('\n')).toContain('a\\012b\\033[31mred');
  });

  it('terminalSafe() escapes control characters as octal, and keeps tabs', () => {
    expect(terminalSafe('a\tb\nc\x1b\x7f')).toBe('a\tb\\012c\\033\\177');
  });
});
