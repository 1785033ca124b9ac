// SPDX-License-Identifier: GPL-2.0-or-later
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { fakeIo, JSON_EXPECTED, JSON_SCENARIO, LINE, MMAP } from '../fake-io';
import { parseKernelProfile } from '../../engine';
import { main } from '../main';
import { judgeMain } from './command';
import { hostProfile } from './host-profile';

describe('judge command', () => {
  it('prints maps by default and smaps on request', async () => {
    const a = fakeIo({ 'a.scn': MMAP });
    expect(await judgeMain(['a.scn'], a.io)).toBe(0);
    expect(a.out).toEqual([LINE]);
    expect(a.err).toEqual([]);
    const b = fakeIo({ 'a.scn': MMAP });
    expect(await judgeMain(['a.scn', '--format', 'smaps'], b.io)).toBe(0);
    expect(b.out).toEqual([LINE, 'VmFlags: rd wr mr mw me ac ']);
  });

  it('prints the json of the contract with the kernel it ran on', async () => {
    const { io, out } = fakeIo({ 'a.scn': JSON_SCENARIO });
    expect(await judgeMain(['a.scn', '--format=json'], io)).toBe(0);
    const json = JSON.parse(out[0]);
    expect(json).toMatchObject({
      ...JSON_EXPECTED,
      kernel: {
        config: { CONFIG_64BIT: 'y' },
        judge: {
          window: ['0x200000000000', '0x300000000000'],
          mmapBase: '0x300000000000',
          startBrk: '0x200000000000',
          fileSize: 0x10000,
        },
      },
    });
    expect(json.kernel.release).toMatch(/^\d+\.\d+/);
    expect(json.kernel.profile).toEqual((await hostProfile()).profile);
  });

  it('--write-profile writes the host profile, says how it found each setting, and runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vma-profile-'));
    const file = join(dir, 'host.json');
    const { io, err } = fakeIo({});
    expect(await judgeMain(['--write-profile', file], io)).toBe(0);
    const parsed = parseKernelProfile(readFileSync(file, 'utf8'));
    expect(parsed).toEqual({ ok: true, profile: (await hostProfile()).profile });
    expect(err.find((l) => l.startsWith('zeroPage = '))).toMatch(/mprotect\(PROT_READ\)/);
    expect(err[err.length - 1]).toBe(`wrote ${file}`);
    // The file reproduces this machine on any machine.
    const run = fakeIo({ 'a.scn': JSON_SCENARIO, 'host.json': readFileSync(file, 'utf8') });
    expect(await main(['run', 'a.scn', '--kernel', 'host.json', '--format', 'json'], run.io)).toBe(
      0,
    );
    expect(JSON.parse(run.out[0]).kernel.name).toBe('host');
    rmSync(dir, { recursive: true });
  });

  it('vma-explorer run --kernel host models this machine', async () => {
    const { io, out } = fakeIo({ 'a.scn': JSON_SCENARIO });
    expect(await main(['run', 'a.scn', '--kernel', 'host', '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(out[0]).kernel).toEqual((await hostProfile()).profile);
  });

  it('prints a header per file when given several', async () => {
    const { io, out } = fakeIo({ 'a.scn': MMAP, 'b.scn': 'brk(NULL)' });
    expect(await judgeMain(['a.scn', 'b.scn'], io)).toBe(0);
    expect(out).toEqual(['==> a.scn <==', LINE, '==> b.scn <==']);
    const j = fakeIo({ 'a.scn': MMAP, 'b.scn': 'brk(NULL)' });
    expect(await judgeMain(['--format', 'json', 'a.scn', 'b.scn'], j.io)).toBe(0);
    expect(j.out.map((l) => JSON.parse(l).file)).toEqual(['a.scn', 'b.scn']);
  });

  it('exits 1 when a result misses its expectation', async () => {
    const { io, err } = fakeIo({ 'a.scn': `${MMAP} = -1 ENOMEM` });
    expect(await judgeMain(['a.scn'], io)).toBe(1);
    expect(err).toEqual([`a.scn:1: ${MMAP} returned 0x200000000000, expected -1 ENOMEM`]);
  });

  it('exits 2 with diagnostics for input it will not run', async () => {
    const { io, out, err } = fakeIo({ 'a.scn': 'munmap(0x1000, 0x1000)' });
    expect(await judgeMain(['a.scn'], io)).toBe(2);
    expect(out).toEqual([]);
    expect(err).toEqual([
      "a.scn:1:8: munmap range 0x1000-0x2000 reaches outside the judge's window 0x200000000000-0x300000000000",
    ]);
  });

  it.each([
    [['missing.scn'], 'vma-explorer judge: cannot read missing.scn: no such file'],
    [['a.scn', '--frob'], "vma-explorer judge: unknown option '--frob' (try --help)"],
    [
      ['a.scn', '--format', 'trace'],
      "vma-explorer judge: unknown format 'trace' (choose maps, smaps, json)",
    ],
    [[], 'vma-explorer judge: judge takes one or more FILEs'],
  ])('%j is a one-line error with status 2', async (argv, message) => {
    const { io, out, err } = fakeIo({ 'a.scn': MMAP });
    expect(await judgeMain(argv, io)).toBe(2);
    expect(err).toEqual([message]);
    expect(out).toEqual([]);
  });

  it('runs as `node --import tsx src/cli/judge/main.ts`', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vma-judge-cli-'));
    const file = join(dir, 'one.scn');
    writeFileSync(file, MMAP + '\n');
    const main = join(process.cwd(), 'src', 'cli', 'judge', 'main.ts');
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, file]);
    expect(stdout).toBe(LINE + '\n');
    const help = await promisify(execFile)(process.execPath, ['--import', 'tsx', main, '--help']);
    expect(help.stdout).toMatch(/^Usage: npm run judge -- FILE\.\.\./);
    rmSync(dir, { recursive: true });
  });
});
