// SPDX-License-Identifier: GPL-2.0-or-later
// Writes public/scenarios/index.json: every example scenario with its title
// (its first comment line) and, when scripts/record-examples.ts recorded
// one, the kernel's recording beside it. `node scripts/list-examples.mjs --check` fails
// when the file is out of date instead of writing it.
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
        const first = readFileSync(join(dir, rel), 'utf8').split('\n')[0];
        const title = first.startsWith('#') ? first.replace(/^#\s*/, '') : rel;
        const recording = rel.replace(/\.[a-z]+$/, '') + '.events.json';
        entries.push(
          existsSync(join(dir, recording)) ? { file: rel, title, recording } : { file: rel, title },
        );
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
