// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer record` on the real kernel: records a small program compiled
// here (mmap three pages, write to the second, munmap them) and checks that
// the recording holds its image, its calls, the fault of its write and its
// smaps at exit; and that a user who is not root is told so, with status 2.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io';
import { main } from '../main';
import { TRACEFS } from '../judge/tracefs';
import { parseRecording, type Recording } from './recording';

const PROGRAM = `#include <sys/mman.h>
int main(void)
{
	char *p = mmap(0, 0x3000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return 1;
	p[0x1000] = 1;
	return munmap(p, 0x3000) ? 2 : 7;
}
`;

const CLI = fileURLToPath(new URL('../../../bin/vma-explorer.mjs', import.meta.url));

describe('record on the real kernel', () => {
  let dir: string;
  let bin: string;
  let recording: Recording;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vma-explorer-record-test-'));
    bin = join(dir, 'touch');
    writeFileSync(`${bin}.c`, PROGRAM);
    execFileSync(process.env.CC ?? 'gcc', ['-O2', '-o', bin, `${bin}.c`]);
    const { io, err } = fakeIo({});
    const file = join(dir, 'touch.json');
    expect(await main(['record', '-o', file, '--', bin], io)).toBe(0);
    expect(err).toEqual([expect.stringMatching(/^recorded \d+ calls and \d+ faults of /)]);
    recording = parseRecording(readFileSync(file, 'utf8'));
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('starts with the image execve built and ends with the exit status', () => {
    expect(recording.command).toEqual([bin]);
    const image = recording.start.filter((l) => l.endsWith(` ${bin}`));
    expect(image.length).toBeGreaterThan(0);
    // The dynamic loader is mapped, but nothing it maps itself yet: execve's image only.
    expect(recording.start.some((l) => l.endsWith('[stack]'))).toBe(true);
    expect(recording.start.some((l) => /\/libc\.so/.test(l))).toBe(false);
    expect(recording.exit).toEqual({ code: 7 });
    expect(recording.kernel).toMatchObject({ release: expect.stringMatching(/^6\.18\./) });
  });

  it('records the mmap with its result, the fault of the write and the munmap', () => {
    const at = recording.calls.findLastIndex(
      (c) => c.name === 'mmap' && c.args[1] === '0x3000' && c.args[2] === '0x3',
    );
    // The last such mmap: the dynamic loader makes one of the same size first.
    expect(at).toBeGreaterThanOrEqual(0);
    const mmap = recording.calls[at];
    const addr = BigInt(mmap.ret ?? '0');
    expect(addr % 0x1000n).toBe(0n);
    // Its search found the address it returned (the new VMA may merge with a neighbour).
    expect(mmap.events).toContainEqual(
      expect.objectContaining({ kind: 'unmapped_area', length: '0x3000', addr: mmap.ret }),
    );
    const touched = '0x' + (addr + 0x1000n).toString(16);
    const fault = recording.faults.find((f) => f.address === touched);
    expect(fault).toMatchObject({ after: at + 1 });
    expect((fault?.errorCode ?? 0) & 2).toBe(2); // a write
    const munmap = recording.calls.find((c) => c.name === 'munmap' && BigInt(c.args[0]) === addr);
    expect(munmap).toMatchObject({ args: [mmap.ret, '0x3000'], ret: '0x0' });
  });

  it('ends with the smaps at exit: libc mapped, the three pages gone', () => {
    const headers = recording.end.filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l));
    expect(headers.some((l) => l.endsWith(` ${bin}`))).toBe(true);
    expect(headers.some((l) => /\/libc\.so/.test(l))).toBe(true);
    expect(recording.files.map((f) => f.path)).toContain(bin);
    expect(recording.files.find((f) => f.path === bin)?.size).toBeGreaterThan(0);
  });

  it('leaves no tracefs instance behind', () => {
    expect(readdirSync(join(TRACEFS, 'instances')).filter((n) => n.includes('record'))).toEqual([]);
  });

  it('says in one line, with status 2, that a command cannot be run', async () => {
    const { io, out, err } = fakeIo({});
    const missing = join(dir, 'missing');
    expect(await main(['record', '--', missing], io)).toBe(2);
    expect(err).toEqual([`vma-explorer: cannot run ${missing}: No such file or directory`]);
    expect(out).toEqual([]);
  });

  it('tells a user who is not root so, with status 2', async () => {
    const run = promisify(execFile)('setpriv', [
      '--reuid=65534',
      '--regid=65534',
      '--clear-groups',
      process.execPath,
      CLI,
      'record',
      '--',
      '/bin/true',
    ]);
    const failed = (await run.then(
      () => null,
      (e: unknown) => e,
    )) as { code: number; stderr: string } | null;
    expect(failed?.code).toBe(2);
    expect(failed?.stderr.trim()).toBe(
      'vma-explorer: record needs root to use tracefs and ptrace (this is uid 65534)',
    );
  });
});
