// SPDX-License-Identifier: GPL-2.0-or-later
// A strace log replayed without a capture of its start: it must land where
// the kernel put things, and say what it had to guess.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOutput } from './run';
import { vmaRows } from './step-view';
import { vmaList } from '../kernel/mm/mm-snapshot';

// strace -f -tt -e trace=memory,openat,open,close,execve python3 -c 'import json',
// trimmed to two processes (see the file's head).
const PY = readFileSync(join(import.meta.dirname, 'fixtures', 'py-json.strace'), 'utf8');

function run(text: string, pid?: number | 'all'): Extract<RunOutput, { ok: true }> {
  const out = runScenario(text, 'py.strace', { pid, validate: true });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

describe('a strace log without a capture of its start', () => {
  it('gives the logged result for at least 99% of the calls of each process', () => {
    for (const pid of [6294, 6300]) {
      const out = run(PY, pid);
      const matched = out.calls.filter((c) => c.match).length;
      expect(out.calls.length).toBeGreaterThan(50);
      expect(matched / out.calls.length).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('puts the break and the first mmap where the log says', () => {
    const out = run(PY, 6300);
    const brk = out.calls.find((c) => c.call.startsWith('brk(NULL)'));
    expect(brk).toMatchObject({ ret: '0x557bdae99000', match: true });
    const mmap = out.calls.find((c) => c.call.startsWith('mmap(NULL'));
    expect(mmap).toMatchObject({ ret: '0x7f26c6cc8000', match: true });
    // The step says where the address came from.
    const placed = out.steps.find((s) => s.fn === 'strace.placement');
    expect(placed?.message).toContain('0x7f26c6cc8000');
    const after = out.steps[mmap!.lastStep];
    expect(after.message).toContain('(address from the log)');
    expect(after.mm.start_brk).toBe(0x557bdae99000);
    expect(after.mm.mmap_base).toBeGreaterThan(0x7f26c6cc8000);
  });

  it('marks the VMAs it had to infer, and they survive an mprotect split', () => {
    const out = run(PY, 6294);
    expect(out.log).toMatchObject({ pid: 6294, inferred: 2 });
    expect(out.log?.pids.map((p) => p.pid)).toEqual([6294, 6300]);
    const start = out.steps.find((s) => s.fn === 'strace.start');
    expect(start?.message).toMatch(/2 inferred VMAs/);
    const last = out.steps[out.steps.length - 1].mm;
    const rows = vmaRows(last);
    const inferred = rows.filter((r) => r.inferred);
    expect(inferred.length).toBeGreaterThanOrEqual(2);
    // The program's own page below the break carries the execve's path.
    expect(inferred.some((r) => r.maps.endsWith('/bin/python3'))).toBe(true);
    // What the log mapped itself is never marked.
    expect(rows.filter((r) => r.maps.includes('libc.so.6')).every((r) => !r.inferred)).toBe(true);
    expect(vmaList(last).length).toBe(rows.length);
  });

  it('counts what it skipped', () => {
    const out = run(PY);
    expect(out.skipped).toBeGreaterThan(0);
    expect(out.log?.placed).toBeGreaterThan(10);
  });

  it('places a MAP_32BIT mapping at the address the log gives it', () => {
    const out = run(
      '1 12:00:00.000001 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_32BIT, -1, 0) = 0x40000000',
    );
    expect(out.calls[0]).toMatchObject({ ret: '0x40000000', match: true });
  });

  it('keeps exact behaviour for hand-written scenarios', () => {
    const out = runScenario('mmap(NULL, 8192, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)');
    if (!out.ok) throw new Error('bad');
    expect(out.calls[0].ret).toBe('0x2fffffffe000');
    expect(out.log).toBeNull();
  });
});

describe('a process forked with its heap', () => {
  it('takes the break its first brk() left, when that moved it', () => {
    const log = [
      '7001  12:00:00.000001 brk(0x55dd517e3000) = 0x55dd517e3000',
      '7001  12:00:00.000002 brk(0x55dd51804000) = 0x55dd51804000',
    ].join('\n');
    const out = run(log, 7001);
    expect(out.calls.map((c) => c.match)).toEqual([true, true]);
    const start = out.steps.find((s) => s.fn === 'strace.start' || s.call === -1);
    expect(start?.message).toContain(
      'the break at 0x55dd517e3000 (the first brk(), of a forked heap)',
    );
  });
});

describe('a forked heap that shrinks below its first move', () => {
  it('starts the break at the lowest one the log shows', () => {
    const log = [
      '7002  12:00:00.000001 brk(0x562e6063a000) = 0x562e6063a000',
      '7002  12:00:00.000002 brk(0x562e60639000) = 0x562e60639000',
      '7002  12:00:00.000003 brk(0x562e6065b000) = 0x562e6065b000',
    ].join('\n');
    const out = run(log, 7002);
    expect(out.calls.map((c) => c.match)).toEqual([true, true, true]);
    const start = out.steps.find((s) => s.fn === 'strace.start' || s.call === -1);
    expect(start?.message).toContain(
      'the break at 0x562e60639000 (the lowest break the log shows, of a forked heap)',
    );
  });
});
