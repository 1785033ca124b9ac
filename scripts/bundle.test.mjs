// SPDX-License-Identifier: GPL-2.0-or-later
// scripts/bundle.mjs: the key of a cached bundle, and `--run`, which
// `npm run bench` and `npm run judge` go through.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleDir } from './bundle.mjs';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-bundle-'));

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
  // The bundles the --run test made, named after the temporary folder.
  const out = join(ROOT, 'dist-node');
  if (!existsSync(out)) return;
  for (const e of readdirSync(out))
    if (e.includes(basename(dir))) rmSync(join(out, e), { recursive: true, force: true });
});

describe('scripts/bundle.mjs', () => {
  it('keys a bundle by its code files, not the data beside them', () => {
    writeFileSync(join(dir, 'entry.ts'), 'console.log(JSON.stringify(process.argv.slice(2)));\n');
    writeFileSync(join(dir, 'results.json'), '[]');
    const first = bundleDir('t', [dir]);
    // The bench rewrites its results.json on every run: no rebuild for that.
    writeFileSync(join(dir, 'results.json'), '[1, 2, 3]');
    expect(bundleDir('t', [dir])).toBe(first);
    writeFileSync(join(dir, 'more.ts'), 'export const more = 1;\n');
    expect(bundleDir('t', [dir])).not.toBe(first);
  });

  it('--run bundles an entry and runs it with the arguments after it', () => {
    const out = execFileSync(
      process.execPath,
      [join(ROOT, 'scripts/bundle.mjs'), '--run', join(dir, 'entry.ts'), 'maple', '--x'],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(JSON.parse(out)).toEqual(['maple', '--x']);
  });
});
