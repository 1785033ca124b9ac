// SPDX-License-Identifier: GPL-2.0-or-later
// `npm run bench`: runs every bench/*.bench.ts, prints one table and writes
// bench/results.json. Not part of `npm test`: speed is measured here, never
// asserted by timed unit tests.
import { readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchRow } from './bench-row';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);

const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();

const rows: BenchRow[] = [];
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as {
    default: () => Promise<BenchRow[]>;
  };
  const got = await mod.default();
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
