// SPDX-License-Identifier: GPL-2.0-or-later
// Records what this machine's kernel does during every call of every example
// (`npm run judge -- --events --format json`) and writes it beside the
// example as <name>.events.json: the app loads it with the example and marks
// each step whose events the kernel matched. Needs root and tracefs.
//   node --import tsx scripts/record-examples.ts [EXAMPLE.scn...]
// Examples the judge cannot run (strace logs) get none; a stale recording of
// one is removed. Afterwards, node scripts/list-examples.mjs lists them.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeMain } from '../src/cli/judge/command';

const DIR = join(import.meta.dirname, '..', 'public', 'scenarios');

/** Where an example's recording goes: `mseal.scn` → `mseal.events.json`. */
export const recordingFile = (file: string): string =>
  file.replace(/\.[a-z]+$/, '') + '.events.json';

// Each judged file adds an exit listener for its tracefs instance: past ten, node warns.
process.setMaxListeners(0);

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[];
const only = process.argv.slice(2);
let failed = 0;
for (const { file } of index) {
  if (only.length && !only.includes(file)) continue;
  const target = join(DIR, recordingFile(file));
  if (!file.endsWith('.scn')) {
    if (existsSync(target)) rmSync(target);
    console.log(`${file}: not a scenario the judge runs; no recording`);
    continue;
  }
  const out: string[] = [];
  const err: string[] = [];
  const status = await judgeMain(['--events', '--format', 'json', join(DIR, file)], {
    out: (line) => out.push(line),
    write: (text) => out.push(text),
    err: (line) => err.push(line),
    readText: async (path) => readFileSync(path, 'utf8'),
  });
  // Status 1 is a result other than the example's `= RESULT`: still the kernel's events.
  if (status > 1 || out.length === 0) {
    console.error(`${file}: the judge failed (${status}):\n${err.join('\n')}`);
    failed++;
    continue;
  }
  const doc = JSON.parse(out.join('')) as { results: { events?: unknown[] }[] };
  writeFileSync(target, JSON.stringify(doc, null, 1) + '\n');
  const events = doc.results.reduce((n, r) => n + (r.events?.length ?? 0), 0);
  console.log(`${file}: ${doc.results.length} calls, ${events} events → ${recordingFile(file)}`);
  err.forEach((line) => console.error(`  ${line}`));
}
if (failed) {
  console.error(`${failed} example(s) not recorded`);
  process.exit(1);
}
