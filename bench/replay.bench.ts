// SPDX-License-Identifier: GPL-2.0-or-later
// Replaying a 100,000-call program recording (issue 14: "to its first drawn
// step in the app within 2 s"): on the command line (`replay`: read, check,
// write the script, run it traced, compare every step) and in Chromium (Open…
// to the first step drawn). The recording is made here, without root: the
// start of /bin/true recorded on Linux 6.18 (the test fixture), then 25,000
// rounds of mmap, a write fault, mprotect of its second page and munmap, at
// fixed addresses below mmap_base, each call carrying the events the model
// gives it, in the shape `record` writes.
import { readFileSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import type { BenchRow } from './bench-row';
import { openApp } from './browser';
import {
  readProgramRecording,
  replayProgram,
  runScenario,
  spaceStart,
  type ProgramRecording,
  type RecordedSyscall,
} from '../src/engine';
import { formatRecording } from '../src/cli/record/recording';

const FIXTURE = new URL('../src/engine/timeline/fixtures/true.recording.json', import.meta.url);
const ROUNDS = 25_000;
const hex = (n: number | bigint) => '0x' + n.toString(16);

/** The recording: /bin/true's start, then ROUNDS rounds of four calls and a fault. */
export function makeRecording(): { text: string; calls: number } {
  const read = readProgramRecording(readFileSync(FIXTURE, 'utf8'));
  if (!read.ok) throw new Error(read.diagnostics[0].message);
  const base = read.recording;
  const space = base.spaces[0];
  const start = spaceStart(space, base, 'fixture');
  if (!start.ok) throw new Error(start.diagnostics[0].message);
  const tid = space.pid;
  const region = 0x7e0000000000;
  const calls: RecordedSyscall[] = [];
  const faults: ProgramRecording['spaces'][number]['faults'] = [];
  const lines: string[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const at = region + (i % 64) * 0x10000;
    const rw = '0x3';
    calls.push({
      name: 'mmap',
      args: [hex(at), '0x4000', rw, '0x32', '0xffffffff', '0x0'],
      ret: hex(at),
      tid,
      events: [],
    });
    lines.push(
      `mmap(${hex(at)}, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_FIXED|MAP_ANONYMOUS, -1, 0x0)`,
    );
    faults.push({
      after: calls.length,
      address: hex(at),
      ip: '0x0',
      errorCode: 6,
      tid,
      events: [],
    });
    lines.push(`@touch(${hex(at)})`);
    calls.push({
      name: 'mprotect',
      args: [hex(at + 0x1000), '0x1000', '0x1'],
      ret: '0x0',
      tid,
      events: [],
    });
    lines.push(`mprotect(${hex(at + 0x1000)}, 0x1000, PROT_READ)`);
    calls.push({ name: 'munmap', args: [hex(at), '0x4000'], ret: '0x0', tid, events: [] });
    lines.push(`munmap(${hex(at)}, 0x4000)`);
    calls.push({ name: 'madvise', args: [hex(at), '0x1000', '0x4'], ret: '0x0', tid, events: [] });
    lines.push(`madvise(${hex(at)}, 0x1000, MADV_DONTNEED)`);
  }
  // The kernel's events are the model's own (the model matches the kernel on
  // these calls; the point here is their number and size, not their truth).
  const run = runScenario(lines.join('\n'), 'bench', { initial: start.mm, trace: false });
  if (!run.ok) throw new Error('the bench scenario did not run');
  let call = 0;
  let fault = 0;
  run.steps.forEach((s) => {
    if (s.call < 0) return;
    const events = s.kernelEvents ?? [];
    // Lines alternate mmap, touch, mprotect, munmap, madvise.
    if (s.call % 5 === 1) faults[fault++].events = events;
    else calls[call++].events = events;
  });
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

export default async function (): Promise<BenchRow[]> {
  const { text, calls } = makeRecording();
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-replay-bench-'));
  const file = join(dir, 'replay-bench.recording.json');
  writeFileSync(file, text);
  const mb = (text.length / 2 ** 20).toFixed(0);
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
      name: `replay a ${calls.toLocaleString('en')}-call recording (${mb} MB), read to compared, traced (${steps.toLocaleString('en')} steps)`,
      value: cli,
      unit: 'ms',
    });
    const app = await openApp(4189);
    try {
      const ms = await timeOpen(app.page, file);
      const refused = await app.page.getByRole('alert').count();
      rows.push({
        suite: 'replay',
        name: `app: Open… a ${calls.toLocaleString('en')}-call recording to its first step drawn${refused ? ' (refused)' : ''}`,
        value: ms,
        unit: 'ms',
        target: '<= 2000 ms',
      });
    } finally {
      await app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
