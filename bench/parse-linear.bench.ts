// SPDX-License-Identifier: GPL-2.0-or-later
// Is the scenario reader linear in its input? Time per line at 250,000 and at
// 1,000,000 lines, for blank lines (once quadratic: 1M took over a minute)
// and for a strace -f -tt log: a ratio near 1 means linear, near 4 quadratic.
import { parseScenario } from '../src/engine';
import type { BenchRow } from './bench-row';
import { straceLog } from './scenario.bench';

const SMALL = 250_000;
const LARGE = 1_000_000;
/** If the small input takes longer than this, the large one (16x if quadratic) is not tried. */
const SMALL_BUDGET_MS = 10_000;

function nsPerLine(text: string, lines: number): number {
  const t0 = performance.now();
  parseScenario(text, 'bench');
  return ((performance.now() - t0) * 1e6) / lines;
}

function rows(what: string, make: (lines: number) => string): BenchRow[] {
  nsPerLine(make(10_000), 10_000); // warm up the reader
  const small = nsPerLine(make(SMALL), SMALL);
  const row = (lines: number, value: number): BenchRow => ({
    suite: 'scenario',
    name: `parse ${what}: ${lines.toLocaleString('en')} lines`,
    value,
    unit: 'ns/line',
  });
  if ((small * SMALL) / 1e6 > SMALL_BUDGET_MS) {
    console.log(
      `parse ${what}: ${SMALL} lines took over ${SMALL_BUDGET_MS} ms; ${LARGE} not tried`,
    );
    return [row(SMALL, small)];
  }
  const large = nsPerLine(make(LARGE), LARGE);
  return [
    row(SMALL, small),
    row(LARGE, large),
    {
      suite: 'scenario',
      name: `parse ${what}: time per line, 1M / 250k lines`,
      value: large / small,
      unit: 'x',
      target: '~1 (linear)',
    },
  ];
}

export default async function (): Promise<BenchRow[]> {
  return [
    ...rows('blank lines', (n) => '\n'.repeat(n)),
    ...rows('a strace -f -tt log', (n) => straceLog(n)),
  ];
}
