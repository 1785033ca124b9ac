// SPDX-License-Identifier: GPL-2.0-or-later
// Each per-run class of the engine keeps an exemplar (keep-map.ts) whose map
// is the one a real run's instances have, after the collector has taken
// every earlier run: else the exemplar keeps a map nobody uses.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOutput } from '../timeline/run';
import { keptExemplars } from './keep-map';
import { KernelEventLog } from './trace/kernel-emit';
import { MapleStepRecorder } from './trace/maple-step';

setFlagsFromString('--allow-natives-syntax');
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
// V8's own test of whether two objects have one map (hidden class).
const sameMap = new Function('a', 'b', 'return %HaveSameMap(a, b)') as (
  a: object,
  b: object,
) => boolean;

const SCENARIO = [
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@touch(0x200000000000)',
  'mprotect(0x200000001000, 0x1000, PROT_READ)',
  'munmap(0x200000002000, 0x1000)',
].join('\n');

function ran(out: RunOutput): Extract<RunOutput, { ok: true }> {
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** The kept exemplar of `instance`'s class. */
function exemplarOf(instance: object): object | undefined {
  return keptExemplars().find(
    (e) => e.constructor === instance.constructor && sameMap(e, instance),
  );
}

describe('keep-map', () => {
  it("keeps, for each per-run class, an exemplar with its runs' map", () => {
    // Runs whose objects the collector then takes, as between two bench rounds.
    for (const trace of [false, true])
      ran(runScenario(SCENARIO, 'scn', { trace, kernelEvents: true }));
    gc();
    const untraced = ran(runScenario(SCENARIO, 'scn', { trace: false }));
    const logged = ran(runScenario(SCENARIO, 'scn', { trace: false, kernelEvents: true }));
    const closing = untraced.steps[untraced.steps.length - 1] as object as {
      history: { live: object; args: { view: object } };
    };
    const traced = ran(runScenario(SCENARIO, 'scn', { trace: true }));
    const tracedClosing = traced.steps.filter((s) => s.constructor === closing.constructor);
    expect(tracedClosing.length).toBe(traced.calls.length);
    const instances: [string, object | undefined][] = [
      ['the untraced call step', closing],
      ['the untraced history', closing.history],
      ...logged.steps
        .filter((s) => s.constructor === closing.constructor)
        .map((s): [string, object] => [`the logged call step of call ${s.call}`, s]),
      ['the call context', closing.history.live],
      ["the run's arguments", closing.history.args],
      ...tracedClosing.map((s): [string, object] => [`the traced call step of call ${s.call}`, s]),
      ['the kernel event log', new KernelEventLog()],
      ['the maple step recorder', new MapleStepRecorder()],
    ];
    for (const [what, instance] of instances) {
      expect(instance, what).toBeDefined();
      expect(exemplarOf(instance as object), what).toBeDefined();
    }
    // The view a run's arguments hand out is kept with their exemplar.
    const args = exemplarOf(closing.history.args) as { view: object };
    expect(sameMap(args.view, closing.history.args.view)).toBe(true);
  });
});
