// SPDX-License-Identifier: GPL-2.0-or-later
// Writes public/scenarios/index.json: every example scenario with its title
// (its first comment line); for a recorded strace log the starting dump
// and pid its own head comments replay it with (`--from FILE --pid PID`), so
// the app opens it as the command line replays it; and, when
// scripts/record-examples.ts recorded one, the kernel's recording beside it.
// `node scripts/list-examples.mjs --check` fails when the file is out of
// date instead of writing it.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'public', 'scenarios');

export function listExamples() {
  const entries = [];
  const walk = (sub) => {
    for (const name of readdirSync(join(dir, sub), { withFileTypes: true })) {
      const rel = sub ? `${sub}/${name.name}` : name.name;
      if (name.isDirectory()) walk(rel);
      else if (/\.(scn|strace)$/.test(name.name)) {
        const lines = readFileSync(join(dir, rel), 'utf8').split('\n');
        const first = lines[0];
        const title = first.startsWith('#') ? first.replace(/^#\s*/, '') : rel;
        const entry = { file: rel, title };
        const head = lines.filter((l, i) => l.startsWith('#') && i < 20).join('\n');
        const from = /--from (\S+)/.exec(head);
        const pid = /--pid (all|\d+)/.exec(head);
        if (from) entry.start = sub ? `${sub}/${from[1]}` : from[1];
        if (pid) entry.pid = pid[1] === 'all' ? 'all' : Number(pid[1]);
        const recording = rel.replace(/\.[a-z]+$/, '') + '.events.json';
        if (existsSync(join(dir, recording))) entry.recording = recording;
        entries.push(entry);
      }
    }
  };
  walk('');
  // The default example first, then by title.
  return entries.sort(
    (a, b) =>
      (b.file === 'default.scn') - (a.file === 'default.scn') || a.title.localeCompare(b.title),
  );
}

export const render = () => JSON.stringify(listExamples(), null, 2) + '\n';

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const path = join(dir, 'index.json');
  if (process.argv.includes('--check')) {
    if (readFileSync(path, 'utf8') !== render()) {
      console.error(
        'public/scenarios/index.json is out of date: run node scripts/list-examples.mjs',
      );
      process.exit(1);
    }
  } else {
    writeFileSync(path, render());
  }
}
