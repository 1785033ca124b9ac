// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario, smapsLines, type RunOutput } from './run';
import { CHECKPOINT_EVERY } from './untraced-history';

/** A short stretch between checkpoints, so that small runs cross several. */
const EVERY = 64;
import { generateScenario } from '../scenario/generate';
import { mt_validate } from '../kernel/maple/validate';

type Ran = Extract<RunOutput, { ok: true }>;

function ran(out: RunOutput): Ran {
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** Each call's smaps, read from the steps in `order`. */
function smapsByCall(out: Ran, order: number[]): string[][] {
  const by: string[][] = [];
  for (const i of order) {
    const mm = out.steps[out.calls[i].lastStep].mm;
    mt_validate(mm.mt);
    by[i] = smapsLines(mm);
  }
  return by;
}

describe('an untraced run keeps checkpoints and runs the calls between again', () => {
  const text = generateScenario(11, 3 * EVERY + 17);

  it('gives every call the state the traced run has, read in any order', () => {
    const traced = ran(runScenario(text, 'scn', { trace: true }));
    const n = traced.calls.length;
    const forward = [...Array(n).keys()];
    const want = smapsByCall(traced, forward);
    // Forwards (each read goes on from the last), backwards (each starts
    // from a checkpoint) and scattered, each on a fresh run.
    const read = (order: number[]): string[][] =>
      smapsByCall(ran(runScenario(text, 'scn', { trace: false, checkpointEvery: EVERY })), order);
    expect(read(forward)).toEqual(want);
    expect(read([...forward].reverse())).toEqual(want);
    const scattered = forward.map((i) => (i * 37) % n);
    expect(new Set(scattered).size).toBe(n);
    expect(read(scattered)).toEqual(want);
  });

  it('runs the calls of a strace log again as they ran: placements, fds, execve', () => {
    // A log's run places calls, adopts descriptors and starts each execve
    // from the layout the log reveals: the calls run again must do the same.
    const log = readFileSync(join(import.meta.dirname, 'fixtures', 'py-json.strace'), 'utf8');
    for (const pid of [6294, 6300] as const) {
      const traced = ran(runScenario(log, 'py.strace', { pid, trace: true }));
      const untraced = ran(
        runScenario(log, 'py.strace', { pid, trace: false, checkpointEvery: EVERY }),
      );
      expect(traced.calls.length).toBeGreaterThan(EVERY);
      expect(traced.steps.some((s) => s.fn === 'strace.placement')).toBe(true);
      const backwards = [...traced.calls.keys()].reverse();
      expect(smapsByCall(untraced, backwards)).toEqual(smapsByCall(traced, backwards));
    }
  });

  it('reads steps on both sides of a checkpoint at the default stretch', () => {
    const long = generateScenario(12, CHECKPOINT_EVERY + 40);
    const traced = ran(runScenario(long, 'scn', { trace: true }));
    const untraced = ran(runScenario(long, 'scn', { trace: false }));
    const n = traced.calls.length;
    expect(n).toBeGreaterThan(CHECKPOINT_EVERY);
    const order = [n - 1, 3, CHECKPOINT_EVERY + 5, CHECKPOINT_EVERY - 1, CHECKPOINT_EVERY - 2];
    expect(smapsByCall(untraced, order)).toEqual(smapsByCall(traced, order));
  });

  it('refuses a stretch between checkpoints that is not a positive integer', () => {
    for (const checkpointEvery of [0, -64, 1.5, NaN])
      expect(() => runScenario(text, 'scn', { trace: false, checkpointEvery })).toThrow(RangeError);
  });

  it('gives a step the same state object each time it is read', () => {
    const out = ran(runScenario(text, 'scn', { trace: false, checkpointEvery: EVERY }));
    const step = out.steps[out.calls[5].lastStep];
    expect(step.mm).toBe(step.mm);
  });

  it('fails the same allocation again when it runs calls past a checkpoint', () => {
    // An allocation well past the first checkpoint: its ENOMEM must land on
    // the same call when the history runs the calls after that checkpoint.
    const failAllocation = 2 * EVERY + 3;
    const traced = ran(runScenario(text, 'scn', { trace: true, failAllocation }));
    const untraced = ran(
      runScenario(text, 'scn', { trace: false, failAllocation, checkpointEvery: EVERY }),
    );
    expect(untraced.calls.map((c) => c.ret)).toEqual(traced.calls.map((c) => c.ret));
    expect(traced.calls.some((c) => c.ret === '-1 ENOMEM')).toBe(true);
    const order = [...traced.calls.keys()].reverse();
    expect(smapsByCall(untraced, order)).toEqual(smapsByCall(traced, order));
  });

  it('lets a streamed run read only the newest step, and says so', () => {
    const handed: { mm: () => unknown }[] = [];
    let read = 0;
    const out = ran(
      runScenario(text, 'scn', {
        trace: false,
        onStep: (step) => {
          if (step.call >= 0 && step.mm.map_count >= 0) read++;
          handed.push({ mm: () => step.mm });
        },
      }),
    );
    expect(read).toBe(out.calls.length);
    // Steps already read keep their state; one never read cannot be made.
    expect(() => handed[3].mm()).not.toThrow();
    const unread = ran(
      runScenario(text, 'scn', {
        trace: false,
        onStep: (step) => handed.push({ mm: () => step.mm }),
      }),
    );
    expect(unread.steps).toHaveLength(1);
    expect(() => handed[handed.length - 5].mm()).toThrow(/streamed run/);
    expect(smapsLines(unread.steps[0].mm)).toEqual(smapsLines(out.steps[0].mm));
  });
});
