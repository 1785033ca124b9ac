// SPDX-License-Identifier: GPL-2.0-or-later
// The recording's reading of a trace and its file format, on traces of the
// launcher's markers and the kernel's events: fixtures/touch.trace, trimmed
// from a real recording of a small static program that mmaps three pages,
// writes to the second and munmaps them; fixtures/threads.trace, two threads
// whose calls interleave; fixtures/fork.trace, a shell that forks, vforks and
// whose children exec.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatRecording,
  mappedFiles,
  parseRecording,
  parseRecordingTrace,
  type Recording,
} from './recording';

const fixture = (name: string): string =>
  readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const TOUCH = fixture('touch.trace');
const PID = 18086;

describe('parseRecordingTrace on one process', () => {
  const run = parseRecordingTrace(TOUCH);
  const [space] = run.spaces;

  it('keeps only what lies between the exec marker and the end of the space', () => {
    expect(run.complete).toBe(true);
    expect(run.spaces).toHaveLength(1);
    expect(space).toMatchObject({ pid: PID, tids: [PID], from: 'exec', parent: null });
    expect(space.endedBy).toBe('exit');
    // The events before the exec marker are execve's; those after the end are exit_mmap's.
    expect(space.calls.map((c) => c.name)).toEqual(['brk', 'mprotect', 'mmap', 'munmap']);
  });

  it('reads each call with its raw arguments, result, task and events', () => {
    const [brk, mprotect, mmap, munmap] = space.calls;
    expect(brk).toEqual({
      name: 'brk',
      args: ['0x3c01b000'],
      ret: '0x3c01b000',
      tid: PID,
      events: [],
    });
    expect(mprotect.args).toEqual(['0x4a0000', '0x4000', '0x1']);
    expect(mmap.args).toEqual(['0x0', '0x3000', '0x3', '0x22', '0xffffffff', '0x0']);
    expect(mmap.ret).toBe('0x7f782b3c1000');
    expect(mmap.events.map((e) => e.kind)).toEqual([
      'unmapped_area',
      'alloc',
      'ma_write',
      'ma_write',
      'ma_op',
      'alloc',
      'alloc',
      'alloc',
    ]);
    expect(mmap.events.every((e) => e.call === 2)).toBe(true);
    expect(mmap.events[1]).toMatchObject({ kind: 'alloc', id: 'vma2', site: 'vm_area_alloc' });
    // munmap frees the VMA mmap made: identities follow objects across calls.
    expect(munmap.ret).toBe('0x0');
    expect(munmap.events).toContainEqual(
      expect.objectContaining({ kind: 'free', cache: 'vm_area_struct', id: 'vma2' }),
    );
  });

  it('reads user faults, with the kernel events of handling them', () => {
    expect(space.faults.map((f) => [f.after, f.address, f.errorCode])).toEqual([
      [0, '0x401550', 0x14],
      [0, '0x4ab220', 0x6],
      [1, '0x3bffa498', 0x6],
      [1, '0x7f782b3ca020', 0x4],
      [2, '0x477580', 0x14],
      [2, '0x494cf0', 0x4],
      [3, '0x7f782b3c2000', 0x6],
      [3, '0x4a7190', 0x7],
      [3, '0x3bffb6d8', 0x6],
    ]);
    const touch = space.faults[6];
    expect(touch.ip).toBe('0x401516');
    expect(touch.tid).toBe(PID);
    expect(touch.kernel).toBeUndefined();
    expect(touch.events.map((e) => (e.kind === 'alloc' ? e.cache : e.kind))).toEqual([
      'anon_vma_chain',
      'anon_vma',
    ]);
    expect(touch.events.every((e) => e.call === 3)).toBe(true);
    expect(space.faults[0].events).toEqual([]);
  });

  it('notices a trace that lost its end marker (a full buffer)', () => {
    const cut = TOUCH.slice(0, TOUCH.indexOf('vmx end 0'));
    expect(parseRecordingTrace(cut).complete).toBe(false);
    expect(parseRecordingTrace(cut).spaces[0].endedBy).toBeNull();
  });

  it('ignores the tasks no marker put in a space', () => {
    const other = TOUCH.replaceAll(`-${PID} `, `-${PID + 1} `);
    expect(parseRecordingTrace(other).spaces[0].calls).toEqual([]);
  });
});

describe('parseRecordingTrace on two threads', () => {
  const run = parseRecordingTrace(fixture('threads.trace'));
  const [space] = run.spaces;

  it('records both tasks in one space', () => {
    expect(run.complete).toBe(true);
    expect(space.tids).toEqual([300, 301]);
  });

  it('orders calls where they took effect: the first kernel event, else the return', () => {
    // 300 entered its mmap first, but 301's took the lock first; 300's clone3 had no event.
    expect(space.calls.map((c) => [c.tid, c.name, c.ret])).toEqual([
      [300, 'clone3', '0x12d'],
      [301, 'mmap', '0x7f10b2bc9000'],
      [300, 'mmap', '0x7f10b2bc6000'],
      [300, 'munmap', '0x0'],
      // Entered, then the task exited: no result, placed at its entry.
      [301, 'munmap', null],
    ]);
    expect(space.calls[0].child).toBeUndefined(); // a thread begins no space
    expect(space.calls.map((c) => c.events.map((e) => e.call))).toEqual([
      [],
      [1, 1],
      [2, 2],
      [3],
      [],
    ]);
    // Identities in order of first appearance in the trace: 301's VMA is vma1.
    expect(space.calls[1].events[1]).toMatchObject({ kind: 'alloc', id: 'vma1' });
    expect(space.calls[3].events).toEqual([
      expect.objectContaining({ kind: 'free', id: 'vma2', call: 3 }),
    ]);
  });

  it('attributes events per task and orders faults the same way', () => {
    expect(space.faults.map((f) => [f.tid, f.after, f.address, f.kernel])).toEqual([
      // 300's fault caused no event: placed at its exception.
      [300, 3, '0x7f10b2bc7000', undefined],
      // 301's anon_vma comes while 300 is in munmap, before munmap's first event.
      [301, 3, '0x7f10b2bca000', undefined],
      // The kernel's fault on a user address outside a recorded call.
      [301, 4, '0x7f10b2bca800', true],
    ]);
    expect(space.faults[1].events).toEqual([
      expect.objectContaining({ kind: 'alloc', cache: 'anon_vma', call: 3 }),
    ]);
    expect(space.faults[2].ip).toBe('_copy_to_iter');
  });
});

describe('parseRecordingTrace on forks and execs', () => {
  const run = parseRecordingTrace(fixture('fork.trace'));
  const [sh, sub, trueSpace, cat] = run.spaces;

  it('makes a space for each fork and each exec, in the order they began', () => {
    expect(run.complete).toBe(true);
    expect(run.spaces.map((s) => [s.pid, s.tids, s.from, s.endedBy])).toEqual([
      [200, [200, 202], 'exec', 'exit'],
      [201, [201], 'fork', 'exec'],
      [201, [201], 'exec', 'exit'],
      [202, [202], 'exec', 'exit'],
    ]);
  });

  it('links a fork to the clone that made it, both ways', () => {
    expect(sh.calls.map((c) => [c.tid, c.name, c.ret, c.child])).toEqual([
      [200, 'brk', '0x55ba8898c000', undefined],
      [200, 'clone', '0xc9', 1],
      // The vfork child's execve is a call of the space it shares, until it succeeds.
      [202, 'execve', '0x0', undefined],
      // The vfork returns once its child has exec'd; that child began space 3.
      [200, 'vfork', '0xca', 3],
    ]);
    // The execve's events (of the mm it builds) are the call's.
    expect(sh.calls[2].events).toEqual([
      expect.objectContaining({ kind: 'alloc', site: 'vm_area_alloc', call: 2 }),
    ]);
    expect(sub.parent).toEqual({ space: 0, call: 1 });
    expect(sh.calls[1].events).toEqual([
      expect.objectContaining({ kind: 'alloc', site: 'vm_area_dup', call: 1 }),
    ]);
    expect(trueSpace.parent).toBeNull();
    expect(cat.parent).toBeNull();
  });

  it('ends a space at the execve that replaces it', () => {
    expect(sub.calls.map((c) => [c.name, c.ret])).toEqual([
      ['execve', '0xfffffffffffffffe'],
      ['execve', '0x0'],
    ]);
    expect(sub.calls[1].events).toEqual([expect.objectContaining({ kind: 'free', call: 1 })]);
    // The new image's first call is its own: execve's return is not one.
    expect(trueSpace.calls.map((c) => c.name)).toEqual(['brk']);
  });

  it('names the file an open returned, with its size, from the fd marker', () => {
    expect(cat.calls.map((c) => [c.name, c.ret, c.path, c.size])).toEqual([
      ['openat', '0x3', '/etc/host name', 3],
      ['openat', '0xfffffffffffffffe', undefined, undefined],
    ]);
    expect(run.opened).toEqual([{ path: '/etc/host name', size: 3 }]);
  });
});

describe('memfd_create and unlink', () => {
  // fork.trace's cat, given a memfd and an unlink (and an unlink that failed).
  const at = '    vmx-launcher-199   [000] ...1. 200.000070: tracing_mark_write: vmx exit 202';
  const extra = [
    '             cat-202   [001] ..... 200.000065: sys_memfd_create(uname: 0x7ffd66d11f40, flags: 1)',
    '             cat-202   [001] ..... 200.000066: sys_memfd_create -> 0x4',
    '    vmx-launcher-199   [000] ...1. 200.000066: tracing_mark_write: vmx fd 202 4 0 /memfd:jit (deleted)',
    '             cat-202   [001] ..... 200.000067: sys_unlink(pathname: 0x7ffd66d11f60)',
    '             cat-202   [001] ..... 200.000068: sys_unlink -> 0x0',
    '    vmx-launcher-199   [000] ...1. 200.000068: tracing_mark_write: vmx unlink 202 /dev/shm/sem.a b',
    '             cat-202   [001] ..... 200.000069: sys_unlinkat(dfd: 0xffffff9c, pathname: 0x7ffd66d11f80, flag: 0)',
    '             cat-202   [001] ..... 200.000069: sys_unlinkat -> 0xfffffffffffffffe',
  ];
  const run = parseRecordingTrace(fixture('fork.trace').replace(at, [...extra, at].join('\n')));
  const cat = run.spaces[3];

  it('names a memfd by the name /proc gives it, and what an unlink unlinked', () => {
    expect(cat.calls.slice(2).map((c) => [c.name, c.ret, c.path])).toEqual([
      ['memfd_create', '0x4', '/memfd:jit (deleted)'],
      ['unlink', '0x0', '/dev/shm/sem.a b'],
      ['unlinkat', '0xfffffffffffffffe', undefined],
    ]);
  });
});

describe('the recording file', () => {
  const traced = parseRecordingTrace(fixture('fork.trace'));
  const recording: Recording = {
    format: 'vma-explorer-recording',
    version: 2,
    command: ['sh', '-c', '(/bin/true); cat /etc/hostname'],
    kernel: { release: '6.18.0' },
    exit: { code: 0 },
    files: [{ path: '/usr/bin/dash', size: 125688 }],
    spaces: traced.spaces.map((s, n) => ({
      ...s,
      start: ['00400000-00401000 r--p 00000000 fe:00 42          /usr/bin/dash', 'Size: 4 kB'],
      end: n === 2 ? null : [],
      endedBy: s.endedBy ?? 'exit',
    })),
  };

  it('formats as JSON that reads back the same, one call per line', () => {
    const text = formatRecording(recording);
    expect(parseRecording(text)).toEqual(recording);
    const lines = text.split('\n');
    expect(lines[1]).toBe(' "format": "vma-explorer-recording",');
    expect(lines.filter((l) => l.startsWith('    {"name":"clone"'))).toHaveLength(1);
    expect(lines).toContain('   "end": null,');
    expect(lines).toContain('   "parent": {"space":0,"call":1},');
  });

  it('refuses what is not a recording of this version', () => {
    expect(() => parseRecording('{')).toThrow(/not a recording/);
    expect(() => parseRecording('{"format":"x"}')).toThrow(/"format" is not/);
    const v1 = formatRecording(recording).replace('"version": 2', '"version": 1');
    expect(() => parseRecording(v1)).toThrow('recording version 1 (this reads 2)');
    const noSpaces = JSON.stringify({ ...recording, spaces: null });
    expect(() => parseRecording(noSpaces)).toThrow(/"spaces" is not a non-empty array/);
    const noCalls = JSON.stringify({
      ...recording,
      spaces: [{ ...recording.spaces[0], calls: 1 }],
    });
    expect(() => parseRecording(noCalls)).toThrow(/spaces\[0\]\.calls: not an array/);
  });

  it('lists the files an smaps dump maps', () => {
    expect(
      mappedFiles([
        '00400000-00401000 r--p 00000000 fe:00 42                 /tmp/touch',
        'Size:                  4 kB',
        '7ffd0000-7ffd1000 rw-p 00000000 00:00 0                  [stack]',
        '7f000000-7f001000 rw-s 00000000 00:01 7                  /memfd:x (deleted)',
        '7f001000-7f002000 r--p 00001000 fe:00 42                 /tmp/touch',
        '7f002000-7f003000 rw-p 00000000 00:00 0 ',
      ]),
    ).toEqual(['/tmp/touch']);
  });
});
