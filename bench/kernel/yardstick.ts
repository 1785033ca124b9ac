// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel yardsticks of `npm run bench` (issue 16): C programs that do
// the bench's work with the kernel's own code, built with gcc into the
// build cache (src/cli/build-cache.ts) on first use. maple-replay.c runs
// lib/maple_tree.c from Debian's linux-source-6.12 in user space;
// mm-workload.c makes the mm bench's calls as real system calls.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildCached } from '../../src/cli/build-cache';
import type { BenchRow } from '../bench-row';

const here = dirname(fileURLToPath(import.meta.url));
const SHIM = join(here, 'shim');
/** Where Debian's linux-source-6.12 package extracts to. */
export const KERNEL_SOURCE = '/usr/src/linux-source-6.12';
const FOLDER = 'vma-explorer-bench';

const fail = (message: string): Error => new Error(message);

/**
 * Null when the kernel's source is there to build the maple tree from, else
 * what to do about it (the bench prints it instead of the kernel's rows).
 */
export function kernelSourceMissing(): string | null {
  if (existsSync(join(KERNEL_SOURCE, 'lib/maple_tree.c'))) return null;
  return (
    `the kernel's maple tree needs ${KERNEL_SOURCE}: run ` +
    '`apt-get install linux-source-6.12` and extract it ' +
    `(tar -C /usr/src -xf ${KERNEL_SOURCE}.tar.xz)`
  );
}

/** Every file under a folder, for the build cache's key. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)],
  );
}

/**
 * maple-replay built against the kernel's source: -O2 and without
 * CONFIG_DEBUG_MAPLE_TREE (the program defines neither the debug option nor
 * includes tools/testing/shared/maple-shared.h, which would), with the shim
 * for liburcu first on the include path.
 */
export function buildMapleReplay(): Promise<string> {
  const source = join(here, 'maple-replay.c');
  const include = [
    SHIM,
    join(KERNEL_SOURCE, 'tools/testing/shared'),
    join(KERNEL_SOURCE, 'tools/include'),
    join(KERNEL_SOURCE, 'lib'),
  ];
  return buildCached({
    name: 'maple-replay',
    folder: FOLDER,
    source,
    inputs: [
      ...filesUnder(SHIM),
      join(KERNEL_SOURCE, 'lib/maple_tree.c'),
      join(KERNEL_SOURCE, 'include/linux/maple_tree.h'),
    ],
    args: (out) => [
      '-O2',
      '-D_LGPL_SOURCE',
      ...include.flatMap((d) => ['-I', d]),
      source,
      '-o',
      out,
    ],
    fail,
  });
}

/** mm-workload: plain C and libc, nothing from the kernel's source. */
export function buildMmWorkload(): Promise<string> {
  const source = join(here, 'mm-workload.c');
  return buildCached({
    name: 'mm-workload',
    folder: FOLDER,
    source,
    args: (out) => ['-O2', source, '-o', out],
    fail,
  });
}

/** A program's standard output (large: a dump or 75,000 smaps lines). */
export async function runProgram(bin: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(bin, args, {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return stdout;
}

export function minOf(values: readonly number[]): number {
  return Math.min(...values);
}

export function medianOf(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Two rows: the least and the median of a side's rounds (ns per op or call). */
export function spreadRows(
  suite: string,
  name: string,
  values: readonly number[],
  unit: string,
  target?: string,
): BenchRow[] {
  return [
    {
      suite,
      name: `${name}, min of ${values.length}`,
      value: Math.round(minOf(values)),
      unit,
      target,
    },
    { suite, name: `${name}, median`, value: Math.round(medianOf(values)), unit, target },
  ];
}

/** Two rows: ours over the kernel's, least to least and median to median. */
export function ratioRows(
  suite: string,
  name: string,
  ours: readonly number[],
  kernel: readonly number[],
  target: string,
): BenchRow[] {
  const ratio = (a: number, b: number): number => Number((a / b).toFixed(2));
  return [
    { suite, name: `${name}, min`, value: ratio(minOf(ours), minOf(kernel)), unit: 'x', target },
    {
      suite,
      name: `${name}, median`,
      value: ratio(medianOf(ours), medianOf(kernel)),
      unit: 'x',
      target,
    },
  ];
}

/**
 * The row of the check that both sides ended the same; a mismatch is loud
 * (stderr and the run's exit status) but lets the other rows print.
 */
export function sameRow(suite: string, what: string, same: boolean): BenchRow {
  if (same) return { suite, name: `same ${what}`, value: 1, unit: 'yes' };
  console.error(`${suite}: FAIL: not the same ${what}`);
  process.exitCode = 1;
  return { suite, name: `FAIL: not the same ${what}`, value: NaN, unit: '' };
}
