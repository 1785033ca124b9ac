// SPDX-License-Identifier: GPL-2.0-or-later
// The recording's reading of a trace and its file format, on a trace a real
// recording of a small static program made (fixtures/touch.trace, trimmed: a static
// program that mmaps three pages, writes to the second and munmaps them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  formatRecording,
  mappedFiles,
  parseRecording,
  parseRecordingTrace,
  type Recording,
} from './recording';

const TRACE = readFileSync(new URL('./fixtures/touch.trace', import.meta.url), 'utf8');
const PID = 18086;

describe('parseRecordingTrace', () => {
  const run = parseRecordingTrace(TRACE, PID);

  it('keeps only what lies between the exec and exit markers', () => {
    expect(run.sawExec).toBe(true);
    expect(run.sawExit).toBe(true);
    // The events before the exec marker are execve's; those after exit are exit_mmap's.
    expect(run.calls.map((c) => c.name)).toEqual(['brk', 'mprotect', 'mmap', 'munmap']);
  });

  it('reads each call with its raw arguments, result and events', () => {
    const [brk, mprotect, mmap, munmap] = run.calls;
    expect(brk).toEqual({ name: 'brk', args: ['0x3c01b000'], ret: '0x3c01b000', events: [] });
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
    expect(run.faults.map((f) => [f.after, f.address, f.errorCode])).toEqual([
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
    const touch = run.faults[6];
    expect(touch.ip).toBe('0x401516');
    expect(touch.events.map((e) => (e.kind === 'alloc' ? e.cache : e.kind))).toEqual([
      'anon_vma_chain',
      'anon_vma',
    ]);
    expect(touch.events.every((e) => e.call === 3)).toBe(true);
    expect(run.faults[0].events).toEqual([]);
  });

  it('notices a trace that lost its exit marker (a full buffer)', () => {
    const cut = TRACE.slice(0, TRACE.indexOf('vmx record exit'));
    expect(parseRecordingTrace(cut, PID).sawExit).toBe(false);
  });

  it('ignores the events of other processes', () => {
    expect(parseRecordingTrace(TRACE, PID + 1).calls).toEqual([]);
  });
});

describe('the recording file', () => {
  const recording: Recording = {
    format: 'vma-explorer-recording',
    version: 1,
    command: ['./touch'],
    pid: PID,
    kernel: { release: '6.18.0' },
    start: ['00400000-00401000 r--p 00000000 fe:00 42          /tmp/touch', 'Size: 4 kB'],
    ...parseRecordingTrace(TRACE, PID),
    files: [{ path: '/tmp/touch', size: 900000 }],
    end: [],
    exit: { code: 0 },
  };
  delete (recording as Partial<{ sawExec: boolean }>).sawExec;
  delete (recording as Partial<{ sawExit: boolean }>).sawExit;

  it('formats as JSON that reads back the same, one call per line', () => {
    const text = formatRecording(recording);
    expect(parseRecording(text)).toEqual(recording);
    const lines = text.split('\n');
    expect(lines[1]).toBe(' "format": "vma-explorer-recording",');
    expect(lines.filter((l) => l.startsWith('  {"name":"mmap"'))).toHaveLength(1);
    expect(text).toContain(' "end": [],\n');
  });

  it('refuses what is not a recording of this version', () => {
    expect(() => parseRecording('{')).toThrow(/not a recording/);
    expect(() => parseRecording('{"format":"x"}')).toThrow(/"format" is not/);
    const v2 = formatRecording(recording).replace('"version": 1', '"version": 2');
    expect(() => parseRecording(v2)).toThrow(/version 2/);
    const noCalls = JSON.stringify({ ...recording, calls: null });
    expect(() => parseRecording(noCalls)).toThrow(/"calls" is not an array/);
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
