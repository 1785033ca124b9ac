// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { describeInput } from './input-kind';

describe('describeInput', () => {
  it('tells a strace log and counts its processes', () => {
    const log = [
      '10 12:00:00.000001 brk(NULL) = 0x5000',
      '11 12:00:00.000002 brk(NULL) = 0x6000',
      '12 12:00:00.000003 +++ exited with 0 +++',
    ].join('\n');
    expect(describeInput(log)).toMatchObject({ kind: 'strace', processes: 3 });
    expect(describeInput(log).words).toBe('a strace log, 3 processes');
  });

  it('tells a maps dump from an smaps dump', () => {
    const line = '55d0c0000000-55d0c0001000 r--p 00000000 fe:00 123      /usr/bin/sort';
    expect(describeInput(line).words).toBe('a maps dump, 1 VMA');
    expect(describeInput(`${line}\nRss: 4 kB\nVmFlags: rd mr mw me\n`).kind).toBe('smaps');
  });

  it('takes anything else for a scenario', () => {
    expect(describeInput('# hi\nmunmap(0x1000, 4096)\n').words).toBe('a scenario, 1 line');
    expect(describeInput('').kind).toBe('scenario');
  });
});
