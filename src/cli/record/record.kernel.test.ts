// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer record` on the real kernel: records a small program compiled
// here whose two threads each mmap three pages, write to the second and
// munmap them, and a shell with --follow-forks whose children fork, vfork,
// exec and open a file; checks that the recordings are complete and linked;
// that a memory-heavy loop (30,000 rounds of mmap, two writes, mprotect and
// munmap: about a million events) is recorded whole, the buffer drained fast
// enough never to fill; and that a user who is not root is told so, with
// status 2.
import { execFile, execFileSync } from 'node:child_process';
import {
  closeSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fakeIo } from '../fake-io';
import { main } from '../main';
import { TRACEFS } from '../judge/tracefs';
import { record } from './record-command';
import { parseRecording, type Recording } from './recording';

// Two threads, each mmapping three pages, writing to the second and
// munmapping them; the main thread waits for both.
const THREADS = `#include <pthread.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#ifndef PR_SET_VMA
#define PR_SET_VMA 0x53564d41
#endif
static void *work(void *arg)
{
	char *p = mmap(0, 0x3000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return p;
	p[0x1000] = 1;
	return munmap(p, 0x3000) ? p : arg;
}
int main(void)
{
	pthread_t a, b;
	void *ra, *rb;
	// Recorded (whether or not the kernel names anonymous VMAs), and not recorded.
	prctl(PR_SET_VMA, 0, 0, 0, "x");
	prctl(PR_SET_NAME, "threads");
	if (pthread_create(&a, 0, work, 0) || pthread_create(&b, 0, work, 0))
		return 1;
	pthread_join(a, &ra);
	pthread_join(b, &rb);
	return ra || rb ? 2 : 7;
}
`;

// ROUNDS times: mmap five pages, write to the first and the fourth, make the
// first two read-only and unmap all five. The length (0x5000) tells its calls
// from the loader's and libc's. At the end it prints its argument, if any.
const ROUNDS = 30000;
const LOOP = `#include <stdio.h>
#include <sys/mman.h>
int main(int argc, char **argv)
{
	for (int i = 0; i < ${ROUNDS}; i++) {
		char *p = mmap(0, 0x5000, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED)
			return 1;
		p[0] = 1;
		p[0x3000] = 2;
		if (mprotect(p, 0x2000, PROT_READ) || munmap(p, 0x5000))
			return 2;
	}
	if (argc > 1)
		puts(argv[1]);
	return 0;
}
`;

const CLI = fileURLToPath(new URL('../../../bin/vma-explorer.mjs', import.meta.url));

/** Records `command` with the CLI into DIR/NAME.json; the recording and how long it took. */
async function recordInto(
  dir: string,
  name: string,
  args: string[],
): Promise<{ recording: Recording; ms: number }> {
  const { io, err } = fakeIo({});
  const file = join(dir, `${name}.json`);
  const t0 = performance.now();
  expect(await main(['record', '-o', file, ...args], io)).toBe(0);
  const ms = performance.now() - t0;
  expect(err).toEqual([
    expect.stringMatching(/^recorded \d+ calls and \d+ faults in \d+ address /),
  ]);
  return { recording: parseRecording(readFileSync(file, 'utf8')), ms };
}

const hex = (n: bigint): string => '0x' + n.toString(16);

describe('record on the real kernel', () => {
  let dir: string;
  let bin: string;
  let threads: Recording;
  let shell: Recording;
  const data = (): string => join(dir, 'data.txt');
  const loop = (): string => join(dir, 'loop');

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vma-explorer-record-test-'));
    bin = join(dir, 'threads');
    writeFileSync(`${bin}.c`, THREADS);
    execFileSync(process.env.CC ?? 'gcc', ['-O2', '-pthread', '-o', bin, `${bin}.c`]);
    writeFileSync(`${loop()}.c`, LOOP);
    execFileSync(process.env.CC ?? 'gcc', ['-O2', '-o', loop(), `${loop()}.c`]);
    writeFileSync(data(), 'twelve bytes');
    const a = await recordInto(dir, 'threads', ['--', bin]);
    threads = a.recording;
    // dash runs a plain command in a vfork child; a subshell is a fork, which then execs.
    const b = await recordInto(dir, 'shell', [
      '--follow-forks',
      '--',
      'sh',
      '-c',
      `(/bin/true); cat ${data()} >/dev/null`,
    ]);
    shell = b.recording;
    console.log(
      `record: threads ${summary(threads)} in ${a.ms.toFixed(0)} ms; ` +
        `sh ${summary(shell)} in ${b.ms.toFixed(0)} ms`,
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const summary = (r: Recording): string =>
    r.spaces.map((s) => `[${s.from} ${s.calls.length} calls ${s.faults.length} faults]`).join(' ');

  it('records both threads of a process in its one address space', () => {
    expect(threads.command).toEqual([bin]);
    expect(threads.exit).toEqual({ code: 7 });
    expect(threads.kernel).toMatchObject({ release: expect.stringMatching(/^6\.18\./) });
    expect(threads.spaces).toHaveLength(1);
    const [space] = threads.spaces;
    expect(space).toMatchObject({ from: 'exec', parent: null, endedBy: 'exit' });
    expect(space.tids).toHaveLength(3);
    expect(space.tids[0]).toBe(space.pid);
    // Execve's image only: the dynamic loader is mapped, libc not yet.
    expect(space.start.some((l) => l.endsWith(` ${bin}`))).toBe(true);
    expect(space.start.some((l) => /\/libc\.so/.test(l))).toBe(false);
    expect(space.end?.some((l) => /\/libc\.so/.test(l))).toBe(true);
    // Complete: every call returned, and each task's calls are in its own order.
    expect(space.calls.filter((c) => c.ret === null)).toEqual([]);
    expect(new Set(space.calls.map((c) => c.tid))).toEqual(new Set(space.tids));
    // prctl only for PR_SET_VMA.
    expect(space.calls.filter((c) => c.name === 'prctl').map((c) => c.args[0])).toEqual([
      '0x53564d41',
    ]);
  });

  it("records each thread's mmap, the fault of its write and its munmap, in order", () => {
    const [space] = threads.spaces;
    const workers = space.tids.slice(1);
    for (const tid of workers) {
      const at = space.calls.findIndex(
        (c) => c.tid === tid && c.name === 'mmap' && c.args[1] === '0x3000' && c.args[2] === '0x3',
      );
      expect(at, `thread ${tid}'s mmap`).toBeGreaterThanOrEqual(0);
      const mmap = space.calls[at];
      const addr = BigInt(mmap.ret ?? '0');
      expect(mmap.events).toContainEqual(
        expect.objectContaining({ kind: 'unmapped_area', call: at, length: '0x3000' }),
      );
      const fault = space.faults.find((f) => f.tid === tid && f.address === hex(addr + 0x1000n));
      expect(fault?.after).toBeGreaterThan(at);
      expect((fault?.errorCode ?? 0) & 2).toBe(2); // a write
      const unmap = space.calls.findIndex(
        (c) => c.tid === tid && c.name === 'munmap' && c.args[0] === mmap.ret,
      );
      expect(unmap).toBeGreaterThanOrEqual(fault?.after ?? Infinity);
      expect(space.calls[unmap]).toMatchObject({ args: [mmap.ret, '0x3000'], ret: '0x0' });
    }
    // The threads were made by clone3 calls of the main thread; a thread begins no space.
    const clones = space.calls.filter((c) => c.name === 'clone3');
    expect(clones.map((c) => Number(c.ret))).toEqual(workers);
    expect(clones.every((c) => c.tid === space.pid && c.child === undefined)).toBe(true);
  });

  it("with --follow-forks, records the forked and exec'd children as spaces of their own", () => {
    expect(shell.exit).toEqual({ code: 0 });
    const spaces = shell.spaces;
    expect(spaces.map((s) => [s.from, s.endedBy])).toEqual([
      ['exec', 'exit'], // sh
      ['fork', 'exec'], // the subshell, until it execs
      ['exec', 'exit'], // /bin/true
      ['exec', 'exit'], // cat, from sh's vfork child
    ]);
    const [sh, sub, trueSpace, cat] = spaces;
    const clone = sh.calls.findIndex((c) => c.child === 1);
    expect(sh.calls[clone].name).toMatch(/^(clone|clone3|fork)$/);
    expect(sub.parent).toEqual({ space: 0, call: clone });
    expect(Number(sh.calls[clone].ret)).toBe(sub.pid);
    expect(sub.calls.at(-1)).toMatchObject({ name: 'execve', ret: '0x0' });
    expect(trueSpace.pid).toBe(sub.pid);
    const vfork = sh.calls.find((c) => c.child === 3);
    expect(vfork?.name).toMatch(/^(vfork|clone|clone3)$/);
    expect(sh.tids).toEqual([sh.pid, cat.pid]);
    for (const s of spaces) {
      expect(s.start.length).toBeGreaterThan(0);
      expect(s.end?.length).toBeGreaterThan(0);
      expect(s.calls.filter((c) => c.ret === null)).toEqual([]);
    }
    // The fork's smaps start as a copy of its parent's.
    expect(sub.start.filter((l) => /^[0-9a-f]+-/.test(l)).length).toBeGreaterThan(10);
    expect(trueSpace.start.some((l) => l.endsWith(' /usr/bin/true'))).toBe(true);
  });

  it('names the file an openat opened, with its size', () => {
    const cat = shell.spaces[3];
    const open = cat.calls.find((c) => c.path === data());
    expect(open).toMatchObject({ name: 'openat', size: 12 });
    expect(shell.files).toContainEqual({ path: data(), size: 12 });
    expect(shell.files).toContainEqual({ path: '/usr/bin/true', size: expect.any(Number) });
  });

  it('records a memory-heavy loop whole: every call, with its result, and every fault', async () => {
    const { recording, ms } = await recordInto(dir, 'loop', ['--', loop()]);
    expect(recording.exit).toEqual({ code: 0 });
    expect(recording.spaces).toHaveLength(1);
    const [space] = recording.spaces;
    expect(space.endedBy).toBe('exit');
    expect(space.calls.filter((c) => c.ret === null)).toEqual([]);
    const mmaps = space.calls.filter((c) => c.name === 'mmap' && c.args[1] === '0x5000');
    const mapped = new Set(mmaps.map((c) => c.ret));
    const count = (name: string, len: string): number =>
      space.calls.filter((c) => c.name === name && c.args[1] === len && mapped.has(c.args[0]))
        .length;
    expect(mmaps).toHaveLength(ROUNDS);
    expect(count('mprotect', '0x2000')).toBe(ROUNDS);
    expect(count('munmap', '0x5000')).toBe(ROUNDS);
    // Each round's two writes fault, at the first and the fourth page of its mapping.
    const firsts = new Set(mmaps.map((c) => c.ret));
    const fourths = new Set(mmaps.map((c) => hex(BigInt(c.ret ?? 0) + 0x3000n)));
    const faults = space.faults.filter((f) => firsts.has(f.address) || fourths.has(f.address));
    expect(faults.length).toBe(2 * ROUNDS);
    const events = space.calls.reduce((n, c) => n + c.events.length, 0);
    console.log(
      `record: a loop of ${ROUNDS} rounds, ${space.calls.length} calls, ` +
        `${space.faults.length} faults and ${events} kernel events in ${ms.toFixed(0)} ms`,
    );
  });

  it('reports an overflow when the buffer fills, and lets the command run to its end', async () => {
    // 4 KiB a CPU: the buffer fills between two drains, and then the launcher's markers fail.
    const out = join(dir, 'loop.out');
    const fd = openSync(out, 'w');
    try {
      await expect(record([loop(), 'done'], fd, { bufferKb: 4 })).rejects.toThrow(
        /^the trace buffer overflowed \(\d+ events lost\); the recording would be incomplete$/,
      );
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(out, 'utf8')).toBe('done\n');
  });

  it('leaves no tracefs instance behind', () => {
    // Only ours: another process on the machine may be recording meanwhile.
    const ours = `vma-explorer-record-${process.pid}`;
    expect(readdirSync(join(TRACEFS, 'instances')).filter((n) => n === ours)).toEqual([]);
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
