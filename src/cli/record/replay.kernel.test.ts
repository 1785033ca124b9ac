// SPDX-License-Identifier: GPL-2.0-or-later
// Real programs, recorded on this machine and replayed on the model: every
// address space of each must end with the kernel's final smaps, every call
// with the kernel's result, and every call and fault with the kernel's step
// events. An interpreter that forks and execs through a shim (python3), a
// multi-threaded compressor (xz -T2), a shell that forks, vforks and execs
// (sh with --follow-forks), a database (sqlite3), a compressor (gzip) and
// a second interpreter (perl) and a JIT with worker threads (node). A program
// missing here fails the suite.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readProgramRecording, replayProgram, type ProgramRecording } from '../../engine';
import { fakeIo } from '../fake-io';
import { main } from '../main';

const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-replay-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Enough input for xz -T2 -1 to hand blocks to two threads (its blocks are 3 MiB).
const INPUT = join(dir, 'input.txt');
writeFileSync(INPUT, Array.from({ length: 900_000 }, (_, i) => `${i}\n`).join(''));

/** Records argv (after `record`) and reads the recording back. */
async function recorded(name: string, args: string[]): Promise<ProgramRecording> {
  const file = join(dir, `${name}.json`);
  const { io, err } = fakeIo({});
  expect(await main(['record', '-o', file, ...args], io), err.join('\n')).toBe(0);
  const read = readProgramRecording(readFileSync(file, 'utf8'), file);
  if (!read.ok) throw new Error(read.diagnostics[0].message);
  return read.recording;
}

/**
 * Replays every space: what differs from the kernel, in words (empty when
 * nothing), and how many kernel events and final smaps lines were compared.
 */
function differences(rec: ProgramRecording): { out: string[]; events: number; lines: number } {
  const out: string[] = [];
  let events = 0;
  let lines = 0;
  rec.spaces.forEach((space, i) => {
    const r = replayProgram(rec, i, `space ${i}`);
    if (!r.ok) {
      out.push(`space ${i}: ${r.diagnostics[0].message}`);
      return;
    }
    lines += r.replay.finalKernel?.length ?? 0;
    for (const s of r.replay.steps) {
      events += s.compared;
      if (!s.resultMatches) out.push(`space ${i}:${s.line}: ${s.text}: another result`);
      if (s.events !== 'confirmed')
        out.push(`space ${i}:${s.line}: ${s.text}: ${s.differences[0]}`);
    }
    if (space.endedBy === 'exit' && r.replay.finalKernel === null)
      out.push(`space ${i}: no final smaps recorded`);
    if (r.replay.finalDifference !== null && r.replay.finalKernel !== null)
      out.push(`space ${i}: final smaps differ at ${r.replay.finalDifference}`);
  });
  return { out, events, lines };
}

const programs: Array<{ name: string; args: string[]; check?: (r: ProgramRecording) => void }> = [
  { name: 'python3', args: ['--', 'python3', '-c', 'import json'] },
  {
    name: 'xz-threads',
    args: ['--', 'xz', '-T2', '-1', '-k', '-f', INPUT],
    check: (r) => expect(r.spaces[0].tids.length).toBeGreaterThanOrEqual(3),
  },
  {
    name: 'sh-forks',
    args: [
      '--follow-forks',
      '--',
      'sh',
      '-c',
      `(/bin/true); cat ${INPUT} >/dev/null; ls / >/dev/null`,
    ],
    check: (r) => {
      expect(r.spaces.some((s) => s.from === 'fork')).toBe(true);
      expect(r.spaces.length).toBeGreaterThanOrEqual(4);
    },
  },
  {
    name: 'sqlite3',
    args: [
      '--',
      'sqlite3',
      ':memory:',
      'create table t(a); insert into t select value from generate_series(1, 50000); select sum(a) from t;',
    ],
  },
  { name: 'gzip', args: ['--', 'gzip', '-k', '-f', INPUT] },
  {
    // A forked child that works in its copy of the parent's space, and exits.
    name: 'perl-fork',
    args: [
      '--follow-forks',
      '--',
      'perl',
      '-e',
      'my $p = fork(); if ($p == 0) { my @a = (1..100000); exit 0 } waitpid($p, 0);',
    ],
    check: (r) => {
      const child = r.spaces.find((s) => s.from === 'fork');
      expect(child?.endedBy).toBe('exit');
      expect(child?.calls.some((c) => c.name === 'munmap')).toBe(true);
    },
  },
  {
    // A memfd and a file unlinked while mapped: /proc names both "(deleted)".
    name: 'python3-memfd-unlink',
    args: [
      '--',
      'python3',
      '-c',
      [
        'import mmap, os',
        'fd = os.memfd_create("vmx"); os.ftruncate(fd, 65536)',
        'm = mmap.mmap(fd, 65536); m[0] = 1',
        `name = ${JSON.stringify(join(dir, 'unlinked'))}`,
        'open(name, "wb").write(b"x" * 8192)',
        'f = open(name, "r+b"); m2 = mmap.mmap(f.fileno(), 8192); os.unlink(name)',
      ].join('\n'),
    ],
    check: (r) => {
      const calls = r.spaces.flatMap((s) => s.calls);
      expect(calls.some((c) => c.name === 'unlink' && c.path?.endsWith('/unlinked'))).toBe(true);
      expect(
        calls.some((c) => c.name === 'memfd_create' && c.path === '/memfd:vmx (deleted)'),
      ).toBe(true);
    },
  },
  {
    // V8: a JIT, worker threads and epoll (whose entries share a slab cache with anon_vma_chain).
    name: 'node',
    args: [
      '--',
      process.execPath,
      '-e',
      'const a = []; for (let i = 0; i < 1e5; i++) a.push({ i });',
    ],
    check: (r) => expect(r.spaces[0].tids.length).toBeGreaterThanOrEqual(4),
  },
  {
    name: 'perl',
    args: ['--', 'perl', '-e', 'my @a = map { $_ * 2 } 1..300000; print scalar(@a)'],
  },
];

describe('real programs replay to the kernel’s end, step for step', () => {
  it('has every program on this machine', () => {
    for (const p of ['python3', 'xz', 'sh', 'sqlite3', 'gzip', 'perl'])
      expect(
        () => execFileSync('sh', ['-c', `command -v ${p}`]),
        `${p} is not installed`,
      ).not.toThrow();
  });

  for (const p of programs) {
    it(
      p.name,
      async () => {
        const rec = await recorded(p.name, p.args);
        p.check?.(rec);
        const steps = rec.spaces.reduce((n, s) => n + s.calls.length + s.faults.length, 0);
        expect(steps).toBeGreaterThan(50);
        const { out, events, lines } = differences(rec);
        expect(out).toEqual([]);
        expect(events).toBeGreaterThan(50);
        expect(lines).toBeGreaterThan(40);
      },
      120_000,
    );
  }
});
