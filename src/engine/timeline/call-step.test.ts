// SPDX-License-Identifier: GPL-2.0-or-later
// A call's closing step keeps the call's name and words, not the parsed
// call: a traced run keeps every step, and the parsed calls (arguments as
// objects with BigInts) were a ninth of what a long run kept.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { expect, it } from 'vitest';
import { parseScenario, type ScenarioCall } from '../scenario/parse';
import { runParsed, type RunOutput } from './run';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SCENARIO = [
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@note("two pages go")',
  'munmap(0x200000002000, 0x2000) = 0',
].join('\n');

/** A traced run of SCENARIO, and weak references to its parsed calls. */
function runDroppingTheParse(): { out: RunOutput; parsed: WeakRef<ScenarioCall>[] } {
  const scenario = parseScenario(SCENARIO, 'scn');
  return {
    out: runParsed(scenario, 'scn'),
    parsed: scenario.calls.map((c) => new WeakRef(c)),
  };
}

it('keeps the words of each call, and none of its parsed form', async () => {
  const { out, parsed } = runDroppingTheParse();
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const closing = out.calls.map((c) => out.steps[c.lastStep]);
  expect(closing.map((s) => [s.fn, s.source, s.message])).toEqual([
    [
      'sys_mmap',
      'mm/mmap.c',
      'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
    ],
    ['@note', 'scenario', 'two pages go'],
    ['sys_munmap', 'mm/mmap.c', 'munmap(0x200000002000, 0x2000) = 0'],
  ]);
  // A WeakRef holds its target until the job that made it ends.
  await new Promise((resolve) => setTimeout(resolve, 0));
  gc();
  expect(parsed.map((w) => w.deref())).toEqual([undefined, undefined, undefined]);
  expect(out.steps.length).toBeGreaterThan(3);
});
