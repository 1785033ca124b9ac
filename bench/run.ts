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
import { readdirSync, writeFileSync } from 'node:fs';
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
const only = process.argv.slice(2);

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
for (const file of files) {
  let got: BenchRow[];
  try {
    got = await (await BENCHES[file]()).default();
  } catch (e) {
    // One broken bench (a browser that times out) costs its own rows only.
    console.error(`${file}: FAIL: ${(e as Error).stack ?? String(e)}`);
    process.exitCode = 1;
    got = [
      { suite: file, name: `FAIL: ${(e as Error).message.split('\n')[0]}`, value: NaN, unit: '' },
    ];
  }
  for (const row of got) {
    rows.push(row);
    console.log(formatRow(row));
  }
}

function formatRow(r: BenchRow): string {
  const value = Number.isInteger(r.value) ? String(r.value) : r.value.toPrecision(4);
  const target = r.target ? `  (target ${r.target})` : '';
  return `${r.suite.padEnd(10)} ${r.name.padEnd(58)} ${value.padStart(12)} ${r.unit}${target}`;
}

writeFileSync(
  join(here, 'results.json'),
  JSON.stringify({ date: new Date().toISOString(), node: process.version, rows }, null, 2) + '\n',
);
console.log(`\n${rows.length} measurements written to bench/results.json`);
