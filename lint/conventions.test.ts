// SPDX-License-Identifier: GPL-2.0-or-later
// Small files with one job, and drawing reviewed as diffs: a source file past about 400 lines must say in
// its opening comment why it is long. The maple tree's port is exempt: it
// follows lib/maple_tree.c's own split.
import { execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const LIMIT = 420;
/** How far into a file its opening comment may run. */
const HEADER_LINES = 30;
const SOURCE = /\.(ts|tsx|js|mjs|css|c)$/;
const EXEMPT = /^src\/engine\/kernel\/maple\//;
/** An opening comment that owns up to the length. */
const SAYS_WHY = /400-line guide|one long file|over \d+ lines/i;

const files = execSync('git ls-files -co --exclude-standard src lint bench e2e scripts', {
  cwd: ROOT,
  encoding: 'utf8',
})
  .split('\n')
  .filter((f) => SOURCE.test(f) && !EXEMPT.test(f));

describe('view drawing', () => {
  it('every render file of a view has a DOM test beside it', () => {
    const renders = files.filter(
      (f) => /^src\/views\/.*\/render[\w-]*\.ts$/.test(f) && !f.includes('.test.'),
    );
    expect(renders.length).toBeGreaterThanOrEqual(3);
    expect(renders.filter((f) => !files.includes(f.replace(/\.ts$/, '.test.ts')))).toEqual([]);
  });
});

describe('file size', () => {
  it('finds the sources', () => {
    expect(files.length).toBeGreaterThan(100);
  });

  it('every file over about 400 lines says why in its opening comment', () => {
    const unexplained = files.filter((f) => {
      let text: string;
      try {
        text = readFileSync(join(ROOT, f), 'utf8');
      } catch {
        return false; // listed by git but deleted in the working tree
      }
      const lines = text.split('\n');
      if (lines.length <= LIMIT) return false;
      const header = lines.slice(0, HEADER_LINES).filter((l) => /^\s*(\/\/|\/?\*)/.test(l));
      return !SAYS_WHY.test(header.join('\n'));
    });
    expect(unexplained).toEqual([]);
  });
});
