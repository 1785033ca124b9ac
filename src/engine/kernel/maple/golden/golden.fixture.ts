// SPDX-License-Identifier: GPL-2.0-or-later
// The golden maple-tree cases (README.md beside this file), read from their
// brotli-compressed copies in the repository, for tests and the bench.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliDecompressSync } from 'node:zlib';

export const GOLDEN_DIR = dirname(fileURLToPath(import.meta.url));

/** Every case's name (`desc-n5000`), sorted. */
export function goldenCaseNames(): string[] {
  const names = readdirSync(GOLDEN_DIR)
    .filter((f) => f.endsWith('.case.br'))
    .map((f) => f.slice(0, -'.case.br'.length))
    .sort();
  if (names.length === 0) throw new Error(`no golden cases in ${GOLDEN_DIR}`);
  return names;
}

/** One file of a case: `.case`, `.expected` or `.mtdump`. */
export function readGolden(name: string, kind: 'case' | 'expected' | 'mtdump'): string {
  const path = join(GOLDEN_DIR, `${name}.${kind}.br`);
  return brotliDecompressSync(readFileSync(path)).toString('utf8');
}
