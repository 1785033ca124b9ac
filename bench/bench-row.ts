// SPDX-License-Identifier: GPL-2.0-or-later
/** One measurement in the bench table and in bench/results.json. */
export interface BenchRow {
  /** The area measured: `cli`, `maple`, `mm`, `timeline`, `views`. */
  suite: string;
  /** What was measured, in words a reader of the table understands. */
  name: string;
  value: number;
  /** `ns/op`, `ops/s`, `ms`, `bytes/step`, ... */
  unit: string;
  /** The target the issue sets, as text (`<= 1200 ns/op`), when there is one. */
  target?: string;
}
