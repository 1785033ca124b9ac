// SPDX-License-Identifier: GPL-2.0-or-later
// Where to stand after the scenario on screen runs again under another
// kernel. Another kernel may take more or fewer internal steps for a call (a
// read fault that attaches an anon_vma, say), so the same index could land in
// another call; the same call, at the same step of it, is what the user was
// looking at. A call's last step stays its last, the state after it.
import type { TimelineMeta } from '../engine';

/** The first step of call `c` (the steps of a call are contiguous, after the starting state). */
const firstStep = (t: TimelineMeta, c: number): number =>
  c === 0 ? 1 : t.calls[c - 1].lastStep + 1;

/** The step of `next` that stands where step `cursor` of `prev` stood. */
export function sameStep(prev: TimelineMeta, cursor: number, next: TimelineMeta): number {
  const c = prev.steps.call[cursor];
  if (
    c === undefined ||
    c < 0 ||
    c >= next.calls.length ||
    prev.calls.length !== next.calls.length
  ) {
    return cursor;
  }
  const { lastStep } = next.calls[c];
  if (cursor === prev.calls[c].lastStep) return lastStep;
  return Math.min(firstStep(next, c) + cursor - firstStep(prev, c), lastStep);
}
