// SPDX-License-Identifier: GPL-2.0-or-later
// Small scenarios (scenarios/*.scn) whose answers the engine once got wrong.
// Every call there carries `= RESULT` as this machine's kernel returned it;
// each scenario runs on the kernel through the judge and on the engine, and
// both must meet every expectation and print the same smaps. The final maps
// the kernel printed are recorded here.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, smapsLines } from '../../engine';
import { JUDGE_PROCESS } from './differential';
import { hostProfile } from './host-profile';
import { judgeScenario } from './judge';

const DIR = join(__dirname, 'scenarios');
const named = (line: string, name: string): string => (line + ' ').padEnd(72, ' ') + ' ' + name;

/** Runs a scenario on both; returns the kernel's final maps after checking that both agree. */
async function judged(file: string): Promise<string[]> {
  const text = readFileSync(join(DIR, file), 'utf8');
  const kernel = await judgeScenario(text, file);
  if (!kernel.ok) throw new Error(JSON.stringify(kernel.diagnostics));
  const { profile } = await hostProfile();
  const engine = runScenario(text, file, {
    initial: JUDGE_PROCESS,
    kernel: profile,
    validate: true,
  });
  if (!engine.ok) throw new Error(JSON.stringify(engine.diagnostics));
  const misses = (rs: readonly { line: number; ret: string; match: boolean }[]) =>
    rs.filter((r) => !r.match).map((r) => `${file}:${r.line}: ${r.ret}`);
  expect(misses(kernel.results), 'the kernel').toEqual([]);
  expect(misses(engine.calls), 'the engine').toEqual([]);
  expect(smapsLines(engine.steps[engine.steps.length - 1].mm)).toEqual(kernel.smaps);
  return kernel.maps;
}

describe('what the kernel answers, and the engine too', () => {
  it('MAP_SHARED_VALIDATE takes LEGACY_MAP_MASK; MAP_32BIT with MAP_FIXED changes nothing', async () => {
    expect(await judged('map-shared-validate.scn')).toEqual([
      named('200000000000-200000005000 r--s 00000000 00:00 0', '/data/a'),
      '200000010000-200000012000 rw-p 00000000 00:00 0 ',
      '2ffffffff000-300000000000 rw-p 00000000 00:00 0 ',
    ]);
  });

  it('file offsets: EOVERFLOW past MAX_LFS_FILESIZE, exact offsets above 2^53', async () => {
    expect(await judged('file-offsets.scn')).toEqual([
      named('200000000000-200000001000 r--p 7fffffffffffe000 00:00 0', '/data/a'),
      '200000008000-200000009000 r--p 00000000 00:00 0 ',
      named('200000010000-200000012000 r--p 4000000000000000 00:00 0', '/data/a'),
      named('2fffffe00000-300000000000 r--p 7fffffffffc00000 00:00 0', '/data/a'),
    ]);
  });

  it('mremap checks its parameters in 6.18 order: a new length above TASK_SIZE first', async () => {
    expect(await judged('mremap-params.scn')).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
      '200000010000-200000012000 rw-p 00000000 00:00 0 ',
    ]);
  });

  it('an O_PATH descriptor cannot be mapped but closes', async () => {
    expect(await judged('o-path.scn')).toEqual([
      '200000004000-200000005000 r--p 00000000 00:00 0 ',
    ]);
  });

  it('ftruncate sizes the file for every open of its path; SIGBUS past the end', async () => {
    expect(await judged('ftruncate.scn')).toEqual([
      named('200000000000-200000004000 rw-s 00000000 00:00 0', '/data/a'),
      named('200000010000-200000014000 rw-p 00000000 00:00 0', '/data/a'),
      named('200000020000-200000021000 r--p 00010000 00:00 0', '/data/a'),
      named('200000021000-200000023000 r--p 0000f000 00:00 0', '/data/a'),
    ]);
  });

  it('flag words: bits above 31 are refused by unsigned long parameters only', async () => {
    expect(await judged('flag-words.scn')).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
      '200000010000-200000011000 r--p 00000000 00:00 0 ',
    ]);
  });
});
