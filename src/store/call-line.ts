// SPDX-License-Identifier: GPL-2.0-or-later
// Between the text and the steps: the line of the call on screen (the
// editor marks it) and the step a line's call goes to (a click on it).
import type { TimelineMeta } from '../engine';

/** The line of the call step `cursor` belongs to, or null for the starting state. */
export function callLineAt(timeline: TimelineMeta, cursor: number): number | null {
  const c = timeline.steps.call[cursor];
  return c === undefined || c < 0 ? null : (timeline.calls[c]?.line ?? null);
}

/**
 * The step to show for the call written on `line`: the cursor itself when
 * it already stands in that call, else the call's last step (the state
 * after it, where stepping by calls stops). Null when no call is on `line`.
 */
export function stepOfLine(timeline: TimelineMeta, line: number, cursor: number): number | null {
  if (callLineAt(timeline, cursor) === line) return cursor;
  const call = timeline.calls.find((c) => c.line === line);
  return call ? call.lastStep : null;
}
