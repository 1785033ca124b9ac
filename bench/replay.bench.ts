// SPDX-License-Identifier: GPL-2.0-or-later
// Replaying a program recording: a 100,000-call one on the command line
// (`replay`: read, check, write the script, run it traced, compare every
// step), and in Chromium (Open… to the first step drawn) the longest the app
// reads: with its events a 100,000-call recording is about 83 MB, and the
// app refuses a recording over MAX_RECORDING_BYTES (32 MiB), so issue 14's
// "100,000 calls to the first drawn step within 2 s" cannot be measured in
// the app. The recordings are made here, without root: the start of
// /bin/true recorded on Linux 6.18 (the test fixture), then rounds of mmap,
// a write fault, mprotect of its second page, munmap and madvise, at fixed
// addresses below mmap_base, each call carrying the events the model gives
// it in the same replay, in the shape `record` writes. (Until 2026-12-07
// they carried none, so the comparison had nothing to compare and the
// recording was 13 MB.)
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { BenchRow } from './bench-row';
import { openApp } from './browser';
import {
  readProgramRecording,
  replayProgram,
  type KernelEvent,
  type ProgramRecording,
  type RecordedSyscall,
} from '../src/engine';
import { formatRecording } from '../src/cli/record/recording';
import { MAX_RECORDING_BYTES } from '../src/store/recording-slice';

const FIXTURE = new URL('../src/engine/timeline/fixtures/true.recording.json', import.meta.url);
/** Rounds of the command line's recording: 100,017 calls. */
const ROUNDS = 25_000;
/** Rounds of the app's: 32,017 calls, about 26 MB, under MAX_RECORDING_BYTES. */
const APP_ROUNDS = 8_000;
const hex = (n: number | bigint) => '0x' + n.toString(16);

/** The recording: /bin/true's start, then `rounds` rounds of four calls and a fault. */
export function makeRecording(rounds = ROUNDS): { text: string; calls: number } {
  const read = readProgramRecording(readFileSync(FIXTURE, 'utf8'));
  if (!read.ok) throw new Error(read.diagnostics[0].message);
  const base = read.recording;
  const space = base.spaces[0];
  const tid = space.pid;
  const region = 0x7e0000000000;
  const calls: RecordedSyscall[] = [];
  const faults: ProgramRecording['spaces'][number]['faults'] = [];
  for (let i = 0; i < rounds; i++) {
    const at = region + (i % 64) * 0x10000;
    const rw = '0x3';
    calls.push({
      name: 'mmap',
      args: [hex(at), '0x4000', rw, '0x32', '0xffffffff', '0x0'],
      ret: hex(at),
      tid,
      events: [],
    });
    faults.push({
      after: calls.length,
      address: hex(at),
      ip: '0x0',
      errorCode: 6,
      tid,
      events: [],
    });
    calls.push({
      name: 'mprotect',
      args: [hex(at + 0x1000), '0x1000', '0x1'],
      ret: '0x0',
      tid,
      events: [],
    });
    calls.push({ name: 'munmap', args: [hex(at), '0x4000'], ret: '0x0', tid, events: [] });
    calls.push({ name: 'madvise', args: [hex(at), '0x1000', '0x4'], ret: '0x0', tid, events: [] });
  }
  const rec: ProgramRecording = {
    ...base,
    command: ['bench-replay'],
    spaces: [
      {
        ...space,
        calls: [...space.calls, ...calls],
        faults: [
          ...space.faults,
          ...faults.map((f) => ({ ...f, after: f.after + space.calls.length })),
        ],
      },
    ],
  };
  // The kernel's events are the model's own, from the replay the command
  // line and the app make of this recording (the same start, so the same
  // tree): the point is their number and size, and a comparison that
  // agrees, as a real recording's mostly does.
  const model = replayProgram(rec, 0, 'bench');
  if (!model.ok) throw new Error('the bench recording did not replay');
  const { script, run } = model.replay;
  const events = run.calls.map((): KernelEvent[] => []);
  for (const s of run.steps)
    if (s.call >= 0 && s.kernelEvents) events[s.call].push(...s.kernelEvents);
  const added = new Set<object>([...calls, ...rec.spaces[0].faults.slice(space.faults.length)]);
  script.steps.forEach((s, i) => {
    const made = s.kind === 'fault' ? s.fault : s.call;
    if (added.has(made)) made.events = events[i];
  });
  return { text: formatRecording(rec), calls: space.calls.length + calls.length };
}

/** Opens a file with the Open… button; resolves when its first step is drawn. */
async function timeOpen(page: Page, file: string): Promise<number> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  const t0 = await page.evaluate(() => performance.now());
  await (await chooser).setFiles(file);
  return page.evaluate(
    (since) =>
      new Promise<number>((resolve) => {
        const status = document.querySelector('[role=status]')!;
        const maps = document.querySelector('[role=table][aria-label=maps]');
        let running = false;
        const check = () => {
          if (status.textContent === 'Engine running') running = true;
          const drawn =
            running &&
            status.textContent === 'Engine idle' &&
            maps?.getAttribute('aria-busy') === 'false';
          if (drawn) return resolve(performance.now() - since);
          if (performance.now() - since > 300_000) return resolve(NaN);
          requestAnimationFrame(check);
        };
        check();
      }),
    t0,
  );
}

/** The recording's size in the rows' names. */
const megabytes = (text: string): string => (text.length / 2 ** 20).toFixed(0);

export default async function (): Promise<BenchRow[]> {
  const { text, calls } = makeRecording();
  const small = makeRecording(APP_ROUNDS);
  if (small.text.length > MAX_RECORDING_BYTES)
    throw new Error(
      `the app's recording is larger than the app reads (${megabytes(small.text)} MB)`,
    );
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-replay-bench-'));
  const file = join(dir, 'replay-bench.recording.json');
  const appFile = join(dir, 'replay-bench-app.recording.json');
  writeFileSync(file, text);
  writeFileSync(appFile, small.text);
  const rows: BenchRow[] = [];
  try {
    const t0 = performance.now();
    const read = readProgramRecording(readFileSync(file, 'utf8'), file);
    if (!read.ok) throw new Error(read.diagnostics[0].message);
    const replay = replayProgram(read.recording, 0, file);
    const cli = performance.now() - t0;
    const steps = replay.ok ? replay.replay.run.steps.length : NaN;
    rows.push({
      suite: 'replay',
      name: `replay a ${calls.toLocaleString('en')}-call recording (${megabytes(text)} MB), read to compared, traced (${steps.toLocaleString('en')} steps)`,
      value: cli,
      unit: 'ms',
    });
    const app = await openApp(4189);
    try {
      const ms = await timeOpen(app.page, appFile);
      const refused = await app.page.getByRole('alert').count();
      rows.push({
        suite: 'replay',
        name: `app: Open… a ${small.calls.toLocaleString('en')}-call recording (${megabytes(small.text)} MB) to its first step drawn${refused ? ' (refused)' : ''}`,
        value: ms,
        unit: 'ms',
      });
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
