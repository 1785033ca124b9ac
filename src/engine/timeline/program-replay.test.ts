// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readProgramRecording, type ProgramRecording } from '../scenario/program-recording';
import { programScript } from './program-script';
import { replayProgram, spaceStart } from './program-replay';
import type { KernelEvent } from '../kernel/trace/kernel-events';

// `vma-explorer record -- /bin/true` on Linux 6.18 (x86_64, zero page, no PKU).
const TEXT = readFileSync(new URL('./fixtures/true.recording.json', import.meta.url), 'utf8');
const read = (text: string): ProgramRecording => {
  const r = readProgramRecording(text, 'true.json');
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.recording;
};

describe('replaying a program recording', () => {
  it('writes each call with the result the kernel gave and each fault as a touch or a read', () => {
    const script = programScript(read(TEXT), 0);
    const lines = script.text.split('\n');
    expect(lines[script.firstLine - 1]).toBe('@read(0x7f5d0bfea000)');
    expect(script.text).toContain(
      'mmap(0x0, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0x0) = 0x7f5d0bfc6000',
    );
    expect(script.text).toContain(
      'openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3',
    );
    expect(script.text).toContain('munmap(0x7f5d0bfbc000, 0x980f) = 0');
    expect(script.steps).toHaveLength(17 + 45);
  });

  it('names flags, fields and advice as strace does, and prints in hex what has no name', () => {
    const rec = read(TEXT);
    const call = (name: string, args: string[]): void => {
      rec.spaces[0].calls.push({ name, args, ret: '0x0', tid: rec.spaces[0].pid, events: [] });
    };
    const at = '0x7f5d0bfc6000';
    call('mmap', [at, '0x1000', '0x0', '0x131', '0xffffffffffffffff', '0x0']);
    call('mmap', [at, '0x1000', '0x3', '0x3', '0x3', '0x0']);
    call('mprotect', [at, '0x1000', '0x10']);
    call('madvise', [at, '0x1000', '0x4']);
    call('madvise', [at, '0x1000', '0x66']);
    call('madvise', [at, '0x1000', '0x3e7']);
    call('mremap', [at, '0x1000', '0x2000', '0x1', '0x0']);
    call('mlockall', ['0x5']);
    const lines = programScript(rec, 0).text.trimEnd().split('\n').slice(-8);
    expect(lines).toEqual([
      // The mapping type is a field, MAP_ANON an alias never printed, bits in table order.
      `mmap(${at}, 0x1000, PROT_NONE, MAP_SHARED|MAP_FIXED|MAP_ANONYMOUS|MAP_GROWSDOWN, -1, 0x0) = 0x0`,
      `mmap(${at}, 0x1000, PROT_READ|PROT_WRITE, MAP_SHARED_VALIDATE, 3, 0x0) = 0x0`,
      `mprotect(${at}, 0x1000, 0x10) = 0`,
      `madvise(${at}, 0x1000, MADV_DONTNEED) = 0`,
      `madvise(${at}, 0x1000, MADV_GUARD_INSTALL) = 0`,
      `madvise(${at}, 0x1000, 999) = 0`,
      `mremap(${at}, 0x1000, 0x2000, MREMAP_MAYMOVE) = 0x0`,
      'mlockall(MCL_CURRENT|MCL_ONFAULT) = 0',
    ]);
  });

  it('takes mmap_base from the first top-down free-area search, calls before faults', () => {
    const base = (rec: ProgramRecording): number => {
      const start = spaceStart(rec.spaces[0], rec, 'true.json');
      if (!start.ok) throw new Error(start.diagnostics[0].message);
      return start.mm.mmap_base;
    };
    expect(base(read(TEXT))).toBe(0x7f5d0c005000);
    const search = (low: string, high: string): KernelEvent => ({
      kind: 'unmapped_area',
      call: 0,
      length: '0x1000',
      low,
      high,
      alignMask: '0x0',
      alignOffset: '0x0',
      addr: '0x0',
      err: 0,
    });
    const rec = read(TEXT);
    const space = rec.spaces[0];
    for (const c of space.calls) c.events = c.events.filter((e) => e.kind !== 'unmapped_area');
    space.faults[0].events.push(search('0x1000', '0x7f0000001000'));
    expect(base(rec)).toBe(0x7f0000001000);
    // A search that does not start at the bottom is not one, wherever it is.
    space.calls[0].events.push(search('0x7e0000000000', '0x7f0000002000'));
    expect(base(rec)).toBe(0x7f0000001000);
    space.calls[space.calls.length - 1].events.push(search('0x10000', '0x7f0000003000'));
    expect(base(rec)).toBe(0x7f0000003000);
  });

  it('reaches the final smaps with every result and every kernel event of /bin/true', () => {
    const r = replayProgram(read(TEXT), 0, 'true.json');
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const { steps, finalDifference, finalKernel, finalModel } = r.replay;
    expect(steps.filter((s) => !s.resultMatches)).toEqual([]);
    expect(steps.filter((s) => s.events !== 'confirmed')).toEqual([]);
    // The kernel's events were compared, not skipped: the mmaps made some.
    expect(r.replay.run.steps.some((s) => s.kernelEvents?.some((e) => e.kind === 'ma_write'))).toBe(
      true,
    );
    expect(finalDifference).toBeNull();
    expect(finalModel).toEqual(finalKernel);
    expect(finalModel[0]).toMatch(/ fe:00 260958 +\/usr\/bin\/true$/);
  });

  it('names the step where a recording differs from the model', () => {
    const rec = read(TEXT);
    const mprotect = rec.spaces[0].calls.findIndex((c) => c.name === 'mprotect');
    rec.spaces[0].calls[mprotect].ret = '0xfffffffffffffff4'; // -ENOMEM
    const r = replayProgram(rec, 0, 'true.json');
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    const bad = r.replay.steps.filter((s) => !s.resultMatches);
    expect(bad.map((s) => s.text)).toEqual(['mprotect(0x7f5d0bfa9000, 0x4000, PROT_READ)']);
  });
});

describe('reading a program recording', () => {
  const problem = (text: string): string => {
    const r = readProgramRecording(text, 'r.json');
    if (r.ok) throw new Error('read');
    const d = r.diagnostics[0];
    return `${d.line}:${d.column}: ${d.message}`;
  };

  it('names the line of a truncated recording', () => {
    const cut = TEXT.slice(0, 20000);
    expect(problem(cut)).toMatch(/^\d+:\d+: not JSON: /);
    expect(Number(problem(cut).split(':')[0])).toBeGreaterThan(100);
  });

  it('refuses a newer format version, naming it', () => {
    expect(problem(TEXT.replace('"version": 2', '"version": 3'))).toBe(
      '3:2: recording version 3 (this reads 2): re-record it with this version of `vma-explorer record`',
    );
  });

  it('names the field and the line of a damaged call', () => {
    const damaged = TEXT.replace('"args":["0x0","0x2000"', '"args":["zero","0x2000"');
    const line = TEXT.slice(0, TEXT.indexOf('"args":["0x0","0x2000"')).split('\n').length;
    expect(problem(damaged)).toBe(`${line}:1: spaces[0].calls[1].args: not up to six 0x numbers`);
  });

  it('refuses what is not a recording', () => {
    expect(problem('{"results": []}')).toBe(
      '1:1: not a recording: "format" is not "vma-explorer-recording"',
    );
    expect(problem('')).toMatch(/^1:1: not JSON/);
  });
});

describe('a recorded fork, in the parent', () => {
  it('builds the child’s copy for its events and leaves the parent as it was', async () => {
    const { runScenario } = await import('./run');
    const text = [
      'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      '@touch(0x200000000000)',
      '@note("fork")',
      'munmap(0x200000001000, 0x1000)',
    ].join('\n');
    const run = runScenario(text, 'f', { forkParentAt: new Set([2]) });
    if (!run.ok) throw new Error('did not run');
    const fork = run.steps.filter((s) => s.call === 2);
    const events = fork.flatMap((s) => s.kernelEvents ?? []);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'alloc', site: 'vm_area_dup' }));
    expect(events).toContainEqual(expect.objectContaining({ kind: 'alloc', cache: 'anon_vma' }));
    expect(fork.at(-1)?.mm.map_count).toBe(1);
    const last = run.steps.at(-1)!.mm;
    expect(last.vmas.map((v) => [v.vm_start.toString(16), v.vm_end.toString(16)])).toEqual([
      ['200000000000', '200000001000'],
      ['200000002000', '200000004000'],
    ]);
    // The parent's node names did not become the child's (`node N/1`).
    const later = run.steps.filter((s) => s.call === 3).flatMap((s) => s.kernelEvents ?? []);
    expect(later.some((e) => e.kind === 'ma_write' && e.node.includes('/'))).toBe(false);
  });
});

describe('a file unlinked while mapped, and a memfd', () => {
  it('prints the unlinked file (deleted) from the unlink on, and a memfd by its name', () => {
    const rec = read(TEXT);
    const calls = rec.spaces[0].calls;
    const close = calls.findIndex((c, i) => c.name === 'close' && i > 5);
    const tid = calls[0].tid;
    calls.splice(close + 1, 0, {
      name: 'unlink',
      args: ['0x7ffd00000000'],
      ret: '0x0',
      tid,
      events: [],
      path: '/usr/lib/x86_64-linux-gnu/libc.so.6',
    });
    calls.push(
      {
        name: 'memfd_create',
        args: ['0x7ffd00000100', '0x1'],
        ret: '0x5',
        tid,
        events: [],
        path: '/memfd:jit (deleted)',
        size: 0,
      },
      {
        name: 'mmap',
        args: ['0x0', '0x1000', '0x3', '0x1', '0x5', '0x0'],
        ret: '0x7f5d0bfbc000',
        tid,
        events: [],
      },
    );
    for (const f of rec.spaces[0].faults) if (f.after > close) f.after++;
    const r = replayProgram(rec, 0, 'true.json');
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.replay.script.text).toContain(
      '@note("unlink of /usr/lib/x86_64-linux-gnu/libc.so.6 by task 9767 returned 0")',
    );
    expect(r.replay.script.text).toContain('openat(AT_FDCWD, "/memfd:jit (deleted)", O_RDWR) = 5');
    const libc = r.replay.finalModel.filter((l) => l.includes('libc.so.6'));
    expect(libc.length).toBeGreaterThan(2);
    for (const l of libc)
      expect(l).toMatch(/ fe:00 339380 +\/usr\/lib\/x86_64-linux-gnu\/libc\.so\.6 \(deleted\)$/);
    expect(r.replay.finalModel).toContainEqual(
      expect.stringMatching(/^[0-9a-f]+-[0-9a-f]+ rw-s .*\/memfd:jit \(deleted\)$/),
    );
  });
});
