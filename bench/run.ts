// SPDX-License-Identifier: GPL-2.0-or-later
// `npm run bench`: runs every bench/*.bench.ts, prints one table and writes
// bench/results.json. Not part of `npm test`: speed is measured here, never
// asserted by timed unit tests.
//
// `npm run bench` bundles this file with esbuild (scripts/bundle.mjs) and
// runs the JavaScript with node, not through the tsx loader, whose wrapping
// costs the timed code. So the bench files are a static list of imports,
// which the bundle can follow, each loaded only when it runs; the list is
// checked against the folder so that a new bench file is not left out.
//
// Each bench file runs in a node process of its own (this file again, with
// `--suite FILE ROWS.json`), as the C yardsticks do: in one shared process
// the maple replay ran 20-30% slower after the maple view's bench had run,
// its functions' feedback polluted by VMA entries and traced writes, and
// its heap grown by the suites before it.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-row';

type Bench = () => Promise<{ default: () => Promise<BenchRow[]> }>;

const BENCHES: Record<string, Bench> = {
  'address-space.bench.ts': () => import('./address-space.bench'),
  'judge-events.bench.ts': () => import('./judge-events.bench'),
  'kernel-events.bench.ts': () => import('./kernel-events.bench'),
  'maple-view.bench.ts': () => import('./maple-view.bench'),
  'maple.bench.ts': () => import('./maple.bench'),
  'mm.bench.ts': () => import('./mm.bench'),
  'parse-linear.bench.ts': () => import('./parse-linear.bench'),
  'record.bench.ts': () => import('./record.bench'),
  'reliability.bench.ts': () => import('./reliability.bench'),
  'replay.bench.ts': () => import('./replay.bench'),
  'scenario.bench.ts': () => import('./scenario.bench'),
  'timeline.bench.ts': () => import('./timeline.bench'),
};

// The bench's source folder (scripts/bundle.mjs keeps import.meta.url so).
const here = dirname(fileURLToPath(import.meta.url));
const ROOT = dirname(here);
const args = process.argv.slice(2);

if (args[0] === '--suite') await runSuite(args[1], args[2]);
else await runAll(args);

/** One bench file, in this process: its rows printed, and written to `rowsFile`. */
async function runSuite(file: string, rowsFile: string): Promise<void> {
  let got: BenchRow[];
  try {
    got = await (await BENCHES[file]()).default();
  } catch (e) {
    // One broken bench (a browser that times out) costs its own rows only.
    console.error(`${file}: FAIL: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
    got = [failRow(file, (e as Error).message)];
  }
  for (const row of got) console.log(formatRow(row));
  writeFileSync(rowsFile, JSON.stringify(got));
}

/** Every bench file matching `only` (all when empty), each in a process of its own. */
async function runAll(only: string[]): Promise<void> {
  const onDisk = readdirSync(here).filter((f) => f.endsWith('.bench.ts'));
  const unlisted = onDisk.filter((f) => !(f in BENCHES));
  const gone = Object.keys(BENCHES).filter((f) => !onDisk.includes(f));
  if (unlisted.length || gone.length) {
    throw new Error(
      `bench/run.ts's list of bench files is out of date: add ${unlisted.join(', ') || 'none'}, remove ${gone.join(', ') || 'none'}`,
    );
  }
  const files = Object.keys(BENCHES)
    .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
    .sort();

  const rows: BenchRow[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-bench-'));
  try {
    for (const file of files) {
      const rowsFile = join(dir, `${file}.json`);
      const code = await runChild(file, rowsFile);
      let got: BenchRow[];
      try {
        got = JSON.parse(readFileSync(rowsFile, 'utf8')) as BenchRow[];
      } catch {
        got = [failRow(file, `its process ended (exit ${code}) without rows`)];
        console.log(formatRow(got[0]));
      }
      if (code !== 0) process.exitCode = 1;
      rows.push(...got);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  writeFileSync(
    join(here, 'results.json'),
    JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n',
  );
  console.log(`\n${rows.length} measurements written to bench/results.json`);
}

/** `node scripts/bundle.mjs --run bench/run.ts --suite FILE ROWS`: its exit code. */
function runChild(file: string, rowsFile: string): Promise<number> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts/bundle.mjs'), '--run', 'bench/run.ts', '--suite', file, rowsFile],
    { cwd: ROOT, stdio: 'inherit' },
  );
  return new Promise((done) => {
    child.on('error', () => done(1));
    child.on('exit', (code, signal) => done(code ?? (signal ? 1 : 0)));
  });
}

function failRow(file: string, message: string): BenchRow {
  return { suite: file, name: `FAIL: ${message.split('\n')[0]}`, value: NaN, unit: '' };
}

function formatRow(r: BenchRow): string {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4);
  const target = r.target ? `  (target ${r.target})` : '';
  return `${r.suite.padEnd(10)} ${r.name.padEnd(58)} ${value.padStart(12)} ${r.unit}${target}`;
}
