// SPDX-License-Identifier: GPL-2.0-or-later
// The order of the Steps list: each call's own row (its line, its result)
// heads the kernel functions it ran, so a reader sees what was called before
// how. The steps themselves stay in the kernel's order: the call's row is
// its last step, reached after its internal ones.
import type { TimelineMeta } from '../../engine';

export interface RowOrder {
  /** The step shown on each row. */
  stepAt: Int32Array;
  /** The row each step is shown on. */
  rowOf: Int32Array;
}

export function rowOrder(timeline: TimelineMeta): RowOrder {
  const n = timeline.steps.length;
  const stepAt = new Int32Array(n);
  const rowOf = new Int32Array(n);
  let row = 0;
  const put = (step: number) => {
    stepAt[row] = step;
    rowOf[step] = row++;
  };
  let step = 0;
  for (const call of timeline.calls) {
    // Steps before the first call (mm_init) belong to none.
    while (step < n && timeline.steps.call[step] < 0) put(step++);
    if (call.lastStep < step || call.lastStep >= n) continue;
    put(call.lastStep);
    for (; step < call.lastStep; step++) put(step);
    step = call.lastStep + 1;
  }
  while (step < n) put(step++);
  return { stepAt, rowOf };
}
