// SPDX-License-Identifier: GPL-2.0-or-later
// Hand-checked scenarios on the real kernel: what Linux 6.18 prints for them.
import { describe, expect, it } from 'vitest';
import { JUDGE_FILE_SIZE } from '../../engine/world/process';
import { formatRet, judgeScenario, meetsExpectation, type JudgeOutput } from './judge';
import { parseScenario } from '../../engine';
import { kernelConfig } from './kernel-config';

const anon = (addr: string, len: string, prot = 'PROT_READ|PROT_WRITE', more = ''): string =>
  `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED${more}, -1, 0)`;

async function judge(lines: string[]): Promise<Extract<JudgeOutput, { ok: true }>> {
  const out = await judgeScenario(lines.join('\n') + '\n', 'test.scn');
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

const rets = (out: { results: { ret: string }[] }): string[] => out.results.map((r) => r.ret);

describe('judgeScenario on the real kernel', () => {
  it('merges two adjacent private anonymous mappings into one VMA', async () => {
    const out = await judge([
      anon('0x200000000000', '0x4000'),
      `${anon('0x200000004000', '0x4000')} = 0x200000004000`,
    ]);
    expect(out.results).toEqual([
      {
        line: 1,
        call: anon('0x200000000000', '0x4000'),
        ret: '0x200000000000',
        expected: null,
        match: true,
      },
      {
        line: 2,
        call: anon('0x200000004000', '0x4000'),
        ret: '0x200000004000',
        expected: '0x200000004000',
        match: true,
      },
    ]);
    expect(out.maps).toEqual(['200000000000-200000008000 rw-p 00000000 00:00 0 ']);
    expect(out.smaps).toEqual([
      '200000000000-200000008000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
    ]);
  });

  it('splits a VMA in three when mprotect changes its middle page', async () => {
    const out = await judge([
      anon('0x200000000000', '0x3000'),
      'mprotect(0x200000001000, 0x1000, PROT_READ) = 0',
    ]);
    expect(out.smaps).toEqual([
      '200000000000-200000001000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
      // Never written to: read-only private anonymous memory drops VM_ACCOUNT.
      '200000001000-200000002000 r--p 00000000 00:00 0 ',
      'VmFlags: rd mr mw me ',
      '200000002000-200000003000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
    ]);
  });

  it('reports SIGSEGV for a touch of PROT_NONE memory and runs on', async () => {
    const out = await judge([
      anon('0x200000000000', '0x2000', 'PROT_NONE'),
      '@touch(0x200000000000) = SIGSEGV',
      '@read(0x200000001000)',
      'munmap(0x200000001000, 0x1000)',
      '@touch(0x200000001000, 0x1000)',
      'mprotect(0x200000000000, 0x1000, PROT_READ|PROT_WRITE)',
      '@touch(0x200000000000)',
    ]);
    expect(rets(out)).toEqual(['0x200000000000', 'SIGSEGV', 'SIGSEGV', '0', 'SIGSEGV', '0', '0']);
    expect(out.results[1].match).toBe(true);
    expect(out.maps).toEqual(['200000000000-200000001000 rw-p 00000000 00:00 0 ']);
  });

  it('shows the scenario path of a file mapping at column 74, and SIGBUS past the end of file', async () => {
    const page = JUDGE_FILE_SIZE - 0x1000;
    const out = await judge([
      'openat(AT_FDCWD, "/data/file", O_RDWR) = 3',
      `mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_FIXED, 3, 0x${page.toString(16)})`,
      '@touch(0x200000000000)',
      '@touch(0x200000001000) = SIGBUS',
      'close(3) = 0',
      '@read(0x200000000000)',
    ]);
    expect(rets(out)).toEqual(['3', '0x200000000000', '0', 'SIGBUS', '0', '0']);
    const line = `200000000000-200000002000 rw-s 0000f000 00:00 0 ${' '.repeat(24)} /data/file`;
    expect(out.maps).toEqual([line]);
    expect(out.maps[0].indexOf('/data/file')).toBe(73); // column 74
    expect(out.smaps[1]).toBe('VmFlags: rd wr sh mr mw me ms ');
  });

  it('maps a scenario fd to the real one and shows shared anonymous memory as /dev/zero (deleted)', async () => {
    const out = await judge([
      'openat(AT_FDCWD, "/lib/libc.so.6", O_RDONLY|O_CLOEXEC) = 5',
      'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 5, 0x1000)',
      'mmap(0x200000001000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0) = -1 EBADF',
      'mmap(0x200000002000, 0x1000, PROT_READ|PROT_WRITE, MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    ]);
    // The kernel gives fd 3; the scenario's 5 still names that file.
    expect(out.results[0]).toMatchObject({ ret: '3', expected: '5', match: false });
    expect(rets(out).slice(1)).toEqual(['0x200000000000', '-1 EBADF', '0x200000002000']);
    expect(out.maps).toEqual([
      `200000000000-200000001000 r--p 00001000 00:00 0 ${' '.repeat(24)} /lib/libc.so.6`,
      `200000002000-200000003000 rw-s 00000000 00:00 0 ${' '.repeat(24)} /dev/zero (deleted)`,
    ]);
  });

  it('runs the rest of the scenario in the child after @fork', async () => {
    const out = await judge([
      anon('0x200000000000', '0x4000'),
      anon('0x200000010000', '0x2000'),
      'madvise(0x200000010000, 0x2000, MADV_DONTFORK)',
      'mlock(0x200000000000, 0x1000)',
      '@touch(0x200000000000, 0x4000)',
      '@fork()',
      anon('0x200000004000', '0x1000'),
    ]);
    expect(rets(out)).toEqual([
      '0x200000000000',
      '0x200000010000',
      '0',
      '0',
      '0',
      '0',
      '0x200000004000',
    ]);
    // The child has no MADV_DONTFORK VMA, no lock (the split stays), and the
    // new mapping does not merge with the copied, touched VMA.
    expect(out.smaps).toEqual([
      '200000000000-200000001000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
      '200000001000-200000004000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
      '200000004000-200000005000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
    ]);
  });

  it('refuses to munmap a sealed VMA with EPERM', async () => {
    const out = await judge([
      anon('0x200000000000', '0x2000', 'PROT_READ'),
      'mseal(0x200000000000, 0x2000, 0) = 0',
      'munmap(0x200000000000, 0x1000) = -1 EPERM',
      'mprotect(0x200000000000, 0x1000, PROT_READ|PROT_WRITE) = -1 EPERM',
    ]);
    expect(out.results.every((r) => r.match)).toBe(true);
    expect(out.smaps).toEqual([
      '200000000000-200000002000 r--p 00000000 00:00 0 ',
      'VmFlags: rd mr mw me sl ',
    ]);
  });

  it('grows [heap] from the start of the window with brk', async () => {
    const out = await judge([
      'brk(NULL) = 0x200000000000',
      'brk(0x200000003000) = 0x200000003000',
      anon('0x200000005000', '0x1000'),
      'brk(0x200000005000) = 0x200000003000', // no room: the guard page before the next VMA
      'brk(0x1fffffffe000)', // below start_brk (the judge's end_data): refused, break unchanged
    ]);
    expect(out.results.every((r) => r.match)).toBe(true);
    expect(out.results[4].ret).toBe('0x200000003000');
    expect(out.maps).toEqual([
      `200000000000-200000003000 rw-p 00000000 00:00 0 ${' '.repeat(24)} [heap]`,
      '200000005000-200000006000 rw-p 00000000 00:00 0 ',
    ]);
  });

  it('places mmap(NULL) and a taken hint at the top of the window, top-down', async () => {
    const out = await judge([
      'mmap(NULL, 0x2000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2fffffffe000',
      'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x200000000000',
      'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2fffffffd000',
      anon('0x200000010000', '0x1000'),
      anon('0x200000011000', '0x1000', 'PROT_READ'),
      'mremap(0x200000010000, 0x1000, 0x3000, MREMAP_MAYMOVE) = 0x2fffffffa000',
    ]);
    expect(out.results.filter((r) => !r.match)).toEqual([]);
    expect(out.maps).toEqual([
      '200000000000-200000001000 r--p 00000000 00:00 0 ',
      '200000011000-200000012000 r--p 00000000 00:00 0 ',
      '2fffffffa000-2fffffffd000 rw-p 00000000 00:00 0 ',
      '2fffffffd000-300000000000 r--p 00000000 00:00 0 ',
    ]);
  });

  it('marks guard regions and locks as the kernel does', async () => {
    const out = await judge([
      anon('0x200000000000', '0x4000'),
      'madvise(0x200000001000, 0x1000, MADV_GUARD_INSTALL) = 0',
      '@touch(0x200000001000) = SIGSEGV',
      '@read(0x200000000000) = 0',
      'mlockall(MCL_CURRENT) = 0',
      anon('0x200000008000', '0x1000'),
      'mlockall(MCL_FUTURE) = 0',
      anon('0x200000009000', '0x1000', 'PROT_READ'),
      'mlock2(0x200000000000, 0x1000, MLOCK_ONFAULT) = 0',
      'munlockall() = 0',
    ]);
    expect(out.results.filter((r) => !r.match)).toEqual([]);
    expect(out.smaps).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me gu ac ',
      '200000008000-200000009000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me ac ',
      '200000009000-20000000a000 r--p 00000000 00:00 0 ',
      'VmFlags: rd mr mw me ',
    ]);
  });

  it('grows a MAP_GROWSDOWN mapping on a touch just below it', async () => {
    const out = await judge([
      anon('0x200000010000', '0x2000', 'PROT_READ|PROT_WRITE', '|MAP_GROWSDOWN'),
      '@touch(0x20000000f000) = 0',
    ]);
    expect(out.results[1].match).toBe(true);
    expect(out.smaps).toEqual([
      '20000000f000-200000012000 rw-p 00000000 00:00 0 ',
      'VmFlags: rd wr mr mw me gd ac ',
    ]);
  });

  it('runs prctl(PR_SET_VMA_ANON_NAME) for real: EINVAL without CONFIG_ANON_VMA_NAME', async () => {
    const out = await judge([
      anon('0x200000000000', '0x1000'),
      'prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, 0x200000000000, 0x1000, "buf")',
    ]);
    const named = kernelConfig().get('CONFIG_ANON_VMA_NAME') === 'y';
    expect(out.results[1].ret).toBe(named ? '0' : '-1 EINVAL');
    expect(out.maps).toEqual([
      named
        ? `200000000000-200000001000 rw-p 00000000 00:00 0 ${' '.repeat(24)} [anon:buf]`
        : '200000000000-200000001000 rw-p 00000000 00:00 0 ',
    ]);
  });

  it('refuses an address outside the window with the line and column', async () => {
    const out = await judgeScenario(
      [anon('0x200000000000', '0x1000'), '', 'munmap(0x7f0000000000, 0x1000)'].join('\n'),
      'x.scn',
    );
    expect(out).toEqual({
      ok: false,
      diagnostics: [
        {
          file: 'x.scn',
          line: 3,
          column: 8,
          message:
            "munmap range 0x7f0000000000-0x7f0000001000 reaches outside the judge's window 0x200000000000-0x300000000000",
          text: '0x7f0000000000',
        },
      ],
    });
  });

  it('passes parse errors through as diagnostics', async () => {
    const out = await judgeScenario('mmap(0, 1, PROT_READ, MAP_FIXD, -1, 0)', 'x.scn');
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.diagnostics[0]).toMatchObject({ line: 1, column: 23 });
  });
});

describe('results as strace prints them', () => {
  it('formats raw returns: addresses in hex, errors by name, the rest in decimal', () => {
    expect(formatRet('mmap', '35184372088832')).toBe('0x200000000000');
    expect(formatRet('brk', '35184372088832')).toBe('0x200000000000');
    expect(formatRet('mmap', '-12')).toBe('-1 ENOMEM');
    expect(formatRet('close', '-9')).toBe('-1 EBADF');
    expect(formatRet('mlockall', '-11')).toBe('-1 EAGAIN');
    expect(formatRet('openat', '3')).toBe('3');
    expect(formatRet('@touch', 'SIGBUS')).toBe('SIGBUS');
  });

  it('matches expectations written in hex, decimal, errno or signal form', () => {
    const expectation = (line: string) => parseScenario(line).calls[0].expect;
    const mmap =
      'mmap(0x200000000000, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
    expect(meetsExpectation(expectation(`${mmap} = 35184372088832`), '0x200000000000')).toBe(true);
    expect(meetsExpectation(expectation(`${mmap} = 0x200000001000`), '0x200000000000')).toBe(false);
    expect(
      meetsExpectation(expectation(`${mmap} = -1 ENOMEM (Cannot allocate memory)`), '-1 ENOMEM'),
    ).toBe(true);
    expect(meetsExpectation(expectation(`${mmap} = ?`), '-1 EINVAL')).toBe(true);
    expect(meetsExpectation(expectation('@touch(0x200000000000) = SIGSEGV'), 'SIGBUS')).toBe(false);
    expect(meetsExpectation(expectation('@touch(0x200000000000) = 0'), 'SIGSEGV')).toBe(false);
    expect(meetsExpectation(null, '-1 EPERM')).toBe(true);
  });
});
