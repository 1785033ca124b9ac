// SPDX-License-Identifier: GPL-2.0-or-later
// What `vma-explorer record` costs the program it records (the target: at
// most 3 times slower on a memory-heavy workload). The workload,
// record-workload.c, makes 20,000 rounds of mmap, a write to each of 16
// pages, mprotect, madvise and munmap, and grows and trims the heap with
// malloc (brk): about 94,000 memory calls and 385,000 page faults. It runs
// bare and under `record` (through the command line, as a user runs it),
// the two alternating round by round, and times its own work with
// CLOCK_MONOTONIC, so neither process start nor the recorder's set-up and
// writing count. Needs root, tracefs and gcc: without them no rows, a
// message and a non-zero exit status for `npm run bench`.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCached } from '../src/cli/build-cache';
import type { BenchRow } from './bench-row';

const ITERS = 20000;
/** Measured rounds, after one that warms up (builds the launcher, fills caches). */
const ROUNDS = 5;
const SOURCE = fileURLToPath(new URL('./record-workload.c', import.meta.url));
const CLI = fileURLToPath(new URL('../bin/vma-explorer.mjs', import.meta.url));

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(file: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString('utf8')));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The workload's line: `ns=N iters=N mmap=N ... faults=N`, as numbers by name. */
function workloadLine(stdout: string): Map<string, number> | null {
  const line = stdout.split('\n').find((l) => l.startsWith('ns='));
  if (!line) return null;
  return new Map(line.split(' ').map((kv) => [kv.split('=')[0], Number(kv.split('=')[1])]));
}

async function bare(bin: string): Promise<Map<string, number>> {
  const got = await run(bin, [String(ITERS)]);
  const line = workloadLine(got.stdout);
  if (got.code !== 0 || !line) throw new Error(`the workload failed: ${got.stderr.trim()}`);
  return line;
}

interface Recorded {
  line: Map<string, number>;
  /** record's message when it refused to write the recording, else null. */
  refused: string | null;
  /** `recorded N calls and M faults of ...`, when it wrote one. */
  summary: string | null;
}

async function recorded(bin: string, out: string): Promise<Recorded> {
  const got = await run(process.execPath, [CLI, 'record', '-o', out, '--', bin, String(ITERS)]);
  rmSync(out, { force: true });
  const line = workloadLine(got.stdout);
  // record's own one-line error, else (a crash) node's error line, else the last line.
  const lines = got.stderr.trim().split('\n');
  const message =
    lines.find((l) => l.startsWith('vma-explorer:')) ??
    lines.find((l) => /^\w*Error\b/.test(l)) ??
    lines.at(-1) ??
    '';
  // No line from the workload: record could not run it at all (no root, no tracefs, no gcc).
  if (!line) throw new Error(message || `record exited with status ${got.code}`);
  if (got.code !== 0) return { line, refused: message, summary: null };
  return { line, refused: null, summary: message };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export default async function (): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-bench-record-'));
  const bareMs: number[] = [];
  const recordedMs: number[] = [];
  const refusals: string[] = [];
  let counts: Map<string, number> | undefined;
  let summary: string | null = null;
  try {
    const bin = await buildCached({
      name: 'record-workload',
      folder: 'vma-explorer-bench',
      source: SOURCE,
      args: (out) => ['-O2', '-Wall', '-Werror', '-o', out, SOURCE],
      fail: (message) => new Error(message),
    });
    for (let round = 0; round <= ROUNDS; round++) {
      // Which goes first alternates, so the machine's load weighs on both alike.
      const b = round % 2 === 0 ? await bare(bin) : undefined;
      const r = await recorded(bin, join(dir, 'recording.json'));
      const a = b ?? (await bare(bin));
      if (round === 0) continue;
      bareMs.push(a.get('ns')! / 1e6);
      recordedMs.push(r.line.get('ns')! / 1e6);
      // Numbers (events lost) vary from run to run: the reasons are counted without them.
      if (r.refused !== null) refusals.push(r.refused.replace(/\d+/g, 'N'));
      summary ??= r.summary;
      counts = a;
    }
  } catch (e) {
    console.error(`record: no rows (${(e as Error).message.split('\n')[0]})`);
    process.exitCode = 1;
    return [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const n = (k: string): string => (counts?.get(k) ?? 0).toLocaleString('en');
  console.log(
    `record: the workload makes ${n('mmap')} mmap, ${n('mprotect')} mprotect, ` +
      `${n('madvise')} madvise, ${n('munmap')} munmap, ${n('brk')} brk and ${n('faults')} page faults`,
  );
  if (summary) console.log(`record: ${summary}`);
  const reasons = [...new Set(refusals)].map(
    (r) => `${r} (${refusals.filter((x) => x === r).length})`,
  );
  if (refusals.length)
    console.log(`record: no recording ${refusals.length} times: ${reasons.join('; ')}`);
  const ratios = recordedMs.map((ms, i) => ms / bareMs[i]);
  const rounds = bareMs.map((ms, i) => `${ms.toFixed(0)} / ${recordedMs[i].toFixed(0)} ms`);
  console.log(`record: each round, bare / recorded: ${rounds.join(', ')}`);
  const what = `${ITERS.toLocaleString('en')} x mmap/touch/mprotect/madvise/munmap`;
  return [
    { suite: 'record', name: `workload bare, ${what}, median`, value: median(bareMs), unit: 'ms' },
    {
      suite: 'record',
      name: 'same under vma-explorer record, median',
      value: median(recordedMs),
      unit: 'ms',
    },
    {
      suite: 'record',
      name: `record slowdown, recorded / bare, min of ${ROUNDS}`,
      value: Math.min(...ratios),
      unit: 'x',
      target: '<= 3x',
    },
    {
      suite: 'record',
      name: `record slowdown, recorded / bare, median of ${ROUNDS}`,
      value: median(ratios),
      unit: 'x',
      target: '<= 3x',
    },
    {
      suite: 'record',
      name: `recordings refused in ${ROUNDS} rounds`,
      value: refusals.length,
      unit: 'runs',
      target: '0',
    },
  ];
}
