// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LINUX_6_18 } from '..';
import { createEngineSession } from './engine-session';

const mmap = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

describe('engine session (the worker behind Comlink)', () => {
  it('keeps the run and answers for any step, any rows and any two steps', async () => {
    const session = createEngineSession();
    const reply = await session.run({
      text: [mmap('0x200000000000'), mmap('0x200000010000')].join('\n'),
    });
    if (!reply.ok) throw new Error('did not run');
    const last = reply.timeline.steps.length - 1;
    const step = await session.step(last);
    expect(step?.summary.count).toBe(2);
    expect((await session.rows(last, 1, 5)).map((r) => r.start)).toEqual([0x200000010000]);
    const diff = await session.diff(0, last);
    expect(diff?.added).toHaveLength(2);
    expect(await session.diff(last, 0)).toMatchObject({ added: [], changed: [] });
    expect((await session.diff(last, 0))?.removed).toHaveLength(2);
    expect(await session.diff(0, last + 5)).toBeNull();
    expect(await session.step(last + 5)).toBeNull();
  });

  it('starts from a maps dump, and reports a bad one as diagnostics about the maps', async () => {
    const session = createEngineSession();
    const good = await session.run({
      text: mmap('0x200000002000'),
      startMaps: '200000000000-200000002000 rw-p 00000000 00:00 0 \n',
    });
    expect(good.ok).toBe(true);
    const bad = await session.run({ text: mmap('0x200000002000'), startMaps: 'not a maps line\n' });
    expect(bad).toMatchObject({ ok: false, diagnostics: [{ file: 'maps', line: 1, column: 1 }] });
  });

  it('checks a text as it is typed, by line and column, keeping the run it holds', async () => {
    const session = createEngineSession();
    const reply = await session.run({ text: mmap('0x200000000000') });
    if (!reply.ok) throw new Error('did not run');
    expect(await session.check(mmap('0x200000000000'), 'scenario')).toEqual([]);
    const bad = await session.check(
      `${mmap('0x200000000000')}\nmunmap(0x200000000000, )`,
      'scenario',
    );
    expect(bad.map((d) => [d.file, d.line])).toEqual([['scenario', 2]]);
    expect(bad[0].column).toBeGreaterThan(1);
    const maps = await session.check(
      '200000000000-200000001000 rw-p 00000000 00:00 0\nnot a line',
      'maps',
    );
    expect(maps.map((d) => [d.file, d.line])).toEqual([['maps', 2]]);
    expect(await session.check('', 'maps')).toEqual([]);
    // The run it keeps is untouched.
    expect((await session.step(reply.timeline.steps.length - 1))?.summary.count).toBe(1);
  });

  it('runs under the kernel profile it is given, a plain copy as it crosses', async () => {
    const session = createEngineSession();
    // mprotect_fixup() drops VM_ACCOUNT from anonymous memory without an anon_vma.
    const text = [
      mmap('0x200000000000'),
      '@read(0x200000000000)',
      'mprotect(0x200000000000, 0x2000, PROT_READ)',
    ].join('\n');
    const flagsUnder = async (kernel = LINUX_6_18) => {
      const reply = await session.run({ text, kernel: structuredClone(kernel) });
      if (!reply.ok) throw new Error('did not run');
      return (await session.step(reply.timeline.steps.length - 1))?.rows[0].flags;
    };
    expect(await flagsUnder()).not.toContain('ac');
    expect(await flagsUnder({ ...LINUX_6_18, name: 'host', zeroPage: false })).toContain('ac');
  });

  it('compares two recordings without touching the run it keeps', async () => {
    const session = createEngineSession();
    const run = await session.run({ text: mmap('0x200000000000') });
    if (!run.ok) throw new Error('did not run');
    const text = readFileSync(new URL('./fixtures/true.recording.json', import.meta.url), 'utf8');
    const same = await session.compareRecordings(
      { name: 'a.json', text },
      { name: 'b.json', text },
    );
    expect(same.ok && same.comparison.summary.sentence).toBe('No divergence: 62 steps alike.');
    const cut = await session.compareRecordings(
      { name: 'a.json', text },
      { name: 'cut.json', text: text.slice(0, 300) },
    );
    expect(!cut.ok && cut.diagnostics[0].file).toBe('cut.json');
    const space = await session.compareRecordings(
      { name: 'a.json', text },
      { name: 'b.json', text },
      { spaceB: 1 },
    );
    expect(!space.ok && space.diagnostics[0].message).toBe('it has no address space 1 (it has 1)');
    expect((await session.step(run.timeline.steps.length - 1))?.summary.count).toBe(1);
  });
});

describe('a program recording in the session', () => {
  const TEXT = readFileSync(new URL('./fixtures/true.recording.json', import.meta.url), 'utf8');

  it('opens its replay as the document, runs it from its start, and confirms every step', async () => {
    const session = createEngineSession();
    const held = await session.loadRecording(TEXT, 'true.json');
    if (!held.ok || !held.document) throw new Error('not held');
    expect(held.kernel?.zeroPage).toBe(true);
    expect(held.summary.program).toMatchObject({ command: '/bin/true', space: 0 });
    const reply = await session.run({ ...held.document, kernel: held.kernel });
    if (!reply.ok) throw new Error('did not run');
    const summary = reply.recording;
    expect(summary?.mismatch).toBeNull();
    expect(summary?.covered).toBe(62);
    expect(summary?.different).toBe(0);
    expect(summary?.confirmed).toBe(62);
    expect(summary?.program?.finalDifference).toBeNull();
    const last = reply.timeline.steps.length - 1;
    const step = await session.step(last);
    expect(step?.callEvents?.recorded?.status).toBe('confirmed');
  });

  it('names the address space it does not have, and a damaged recording by line', async () => {
    const session = createEngineSession();
    expect(await session.loadRecording(TEXT, 'true.json', 3)).toMatchObject({
      ok: false,
      diagnostics: [{ message: 'it has no address space 3' }],
    });
    const cut = await session.loadRecording(TEXT.slice(0, 30000), 'cut.json');
    expect(cut.ok).toBe(false);
    if (!cut.ok) expect(cut.diagnostics[0].line).toBeGreaterThan(100);
  });
});

describe('a program recording with descriptors it did not open', () => {
  it('takes a close() of one as the program had it open, as the command line does', async () => {
    const text = readFileSync(new URL('./fixtures/true.recording.json', import.meta.url), 'utf8');
    const rec = JSON.parse(text) as {
      spaces: { calls: { name: string; args: string[]; ret: string }[] }[];
    };
    const calls = rec.spaces[0].calls;
    // A close(7) of a pipe end the recording did not see made, returning 0.
    calls.push({ ...calls.find((c) => c.name === 'close')!, args: ['0x7'], ret: '0x0' });
    const session = createEngineSession();
    const held = await session.loadRecording(JSON.stringify(rec), 'pipe.json');
    if (!held.ok || !held.document) throw new Error('not held');
    const reply = await session.run({ ...held.document, kernel: held.kernel });
    if (!reply.ok) throw new Error('did not run');
    expect(reply.recording?.different).toBe(0);
    const texts = await session.stepTexts(0, reply.timeline.steps.length);
    expect(texts.some((t) => /fd 7 was opened by a call outside the trace/.test(t.message))).toBe(
      true,
    );
  });
});
