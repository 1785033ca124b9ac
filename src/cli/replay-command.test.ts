// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fakeIo } from './fake-io';
import { main } from './main';

const TEXT = readFileSync(
  new URL('../engine/timeline/fixtures/true.recording.json', import.meta.url),
  'utf8',
);

describe('vma-explorer replay', () => {
  it('says every result, every event and the final smaps are the kernel’s', async () => {
    const { io, out, err } = fakeIo({ 'true.json': TEXT });
    expect(await main(['replay', 'true.json'], io)).toBe(0);
    expect(out).toEqual([
      'space 0: process 9767, from execve: 62 steps (17 calls, 45 faults)',
      "  results: 62 of 62 as the kernel's",
      '  kernel events: 62 of 62 steps confirmed (66 events compared)',
      "  final smaps: the same as the kernel's (46 lines)",
    ]);
    expect(err).toEqual([]);
  });

  it('names the line of a step that differs, and exits 1', async () => {
    const altered = TEXT.replace('"fn":"mas_wr_node_store"', '"fn":"mas_wr_altered"');
    const { io, err } = fakeIo({ 'a.json': altered });
    expect(await main(['replay', 'a.json'], io)).toBe(1);
    expect(err[0]).toMatch(
      /^a\.json:\d+: mmap\(.*\): ma_write #\d: fn mas_wr_node_store \(model\), mas_wr_altered \(kernel\)$/,
    );
  });

  it('prints the script a run or the app takes', async () => {
    const { io, out } = fakeIo({ 'true.json': TEXT });
    expect(await main(['replay', 'true.json', '--script'], io)).toBe(0);
    expect(out.join('\n')).toMatch(/^# Recorded by vma-explorer record on Linux 6\.18/);
    expect(out.join('\n')).toContain('munmap(0x7f5d0bfbc000, 0x980f) = 0');
  });

  it('refuses a damaged recording by line, and a space it does not have', async () => {
    const { io, err } = fakeIo({ 'cut.json': TEXT.slice(0, 30000), 'true.json': TEXT });
    expect(await main(['replay', 'cut.json'], io)).toBe(2);
    expect(err[0]).toMatch(/^cut\.json:\d{3}:\d+: not JSON/);
    expect(await main(['replay', 'true.json', '--space', '2'], io)).toBe(2);
    expect(err.at(-1)).toBe('vma-explorer: true.json has 1 address spaces, not a space 2');
    expect(await main(['replay', 'true.json', '--space', '-1'], io)).toBe(2);
  });
});
