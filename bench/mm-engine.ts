// SPDX-License-Identifier: GPL-2.0-or-later
// One engine side of the mm bench (mm.bench.ts), in a process of its own:
// `mm-engine.ts streamed|untraced|traced` (mm-workload.ts's EngineMode). It
// builds the 60,000 VMAs once, warms up, prints `ready`, then for each
// `round` line on stdin times one run of the mix from the built space and
// prints `{"ns": per call, "smaps": ...}` (the smaps in the window on the
// first round only).
//
// A mode has a process of its own because that is how the engine runs: the
// command line and the judge run untraced, the app's worker traced. In one
// process, each mode's optimised code carries the other's type feedback:
// without the kernel's rounds in between, untraced rounds that followed
// traced ones ran at 11.5-15.5 us a call, 6.4-7.5 us in a process running
// only untraced. In the bench, where the kernel's rounds come between, the
// split changed less: 10.0-10.8 us against 10.6 (2026-12-07).
import { createInterface } from 'node:readline';
import { parseScenario, smapsLines } from '../src/engine';
import { findGc } from './gc';
import { ENGINE_MODES, MIX, WINDOW, build, mix, parse, tidy, timeRun } from './mm-workload';

const mode = ENGINE_MODES.find((m) => m === process.argv[2]);
if (mode === undefined) {
  console.error(`usage: mm-engine.ts ${ENGINE_MODES.join('|')}`);
  process.exit(2);
}
const { gc } = findGc();
const collect = (): void => gc?.();

// The built space, made once: the mix starts from it every round. Its parsed
// scenario (about 60 MB) is dropped at once: kept, every major collection in
// a timed run marked it, a cost of the bench and not of the engine.
const start = timeRun(parse(build()), 'streamed').mm;
const mixParsed = parse(mix());
const emptyParsed = parseScenario('', 'bench');
// Warm up the JIT before the first timed round.
timeRun(mixParsed, mode, start);
process.stdout.write('ready\n');

let first = true;
for await (const line of createInterface({ input: process.stdin })) {
  if (line !== 'round') continue;
  // The start-up (copying the built space in, seeding the event log's
  // chains) is timed on an empty scenario and subtracted. One collection a
  // round, just before the timed run, so that the last round's garbage is
  // not this one's: with a second one before the start-up, V8 gave back
  // the pages the heap had grown to, and the timed run took them again
  // (1,600-4,000 page faults a round untraced, 25,000 traced, against
  // 100-1,700) and every other round ran 40-60% slower (2026-12-07).
  const setup = timeRun(emptyParsed, mode, start).ms;
  collect();
  const run = timeRun(mixParsed, mode, start);
  const ns = ((run.ms - setup) * 1e6) / MIX;
  const smaps = first ? tidy(smapsLines(run.mm, WINDOW)) : null;
  first = false;
  process.stdout.write(JSON.stringify({ ns, smaps }) + '\n');
}
