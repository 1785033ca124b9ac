// SPDX-License-Identifier: GPL-2.0-or-later
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_INPUT_BYTES, formatBytes, readBounded } from './io';

// The folders go when the file's tests end: each run used to leave its own.
const made: string[] = [];
const dir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'vma-explorer-io-'));
  made.push(d);
  return d;
};
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('readBounded: inputs bounded before they are read', () => {
  it('refuses a device at once', async () => {
    await expect(readBounded('/dev/zero', MAX_INPUT_BYTES)).rejects.toThrow(
      'not a file or a pipe (a device, which may never end)',
    );
  });

  it('refuses a file larger than the limit from its size, without reading it', async () => {
    const file = join(dir(), 'huge.log');
    writeFileSync(file, '');
    truncateSync(file, MAX_INPUT_BYTES + 1); // sparse: nothing to read in the time allowed
    await expect(readBounded(file, MAX_INPUT_BYTES)).rejects.toThrow(
      'larger than 256 MiB, the most an input may be',
    );
  });

  it('reads a file of exactly the limit, as UTF-8', async () => {
    const file = join(dir(), 'ok.scn');
    writeFileSync(file, 'munmap(0x1000, 1) # é');
    const size = Buffer.byteLength('munmap(0x1000, 1) # é');
    expect(await readBounded(file, size)).toBe('munmap(0x1000, 1) # é');
    await expect(readBounded(file, size - 1)).rejects.toThrow(`larger than ${size - 1} bytes`);
  });

  it('stops reading a pipe as soon as it gives more than the limit', async () => {
    const fifo = join(dir(), 'pipe');
    execFileSync('mkfifo', [fifo]);
    const writer = spawn('sh', ['-c', `head -c 8000000 /dev/zero > ${fifo}`], { stdio: 'ignore' });
    await expect(readBounded(fifo, 1 << 20)).rejects.toThrow('larger than 1 MiB');
    writer.kill();
  });

  it('words sizes', () => {
    expect(formatBytes(MAX_INPUT_BYTES)).toBe('256 MiB');
    expect(formatBytes(1000)).toBe('1000 bytes');
  });
});
