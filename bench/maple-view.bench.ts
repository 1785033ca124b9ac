// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view in Chromium (issue 7): time from a step forward to the
// step's tree drawn, on a 65,530-VMA space (mm_mt five levels high, about
// 4,900 nodes, 4,300 leaves), and how many nodes that drawing holds. Timed
// inside the page.
import { AppPage } from '../e2e/app';
import type { BenchRow } from './bench-row';
import { openApp, timeStepsForward } from './browser';
import { largeSpaceMaps } from '../src/engine/scenario/generate';

/** mmap and munmap calls spread over the space, so steps touch different leaves. */
function calls(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const addr = '0x' + (0x200000000000 + ((i * 7919) % 65_000) * 0x1000).toString(16);
    lines.push(
      i % 3 === 2
        ? `munmap(${addr}, 0x2000)`
        : `mmap(${addr}, 0x3000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    );
  }
  return lines.join('\n');
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

export default async function (): Promise<BenchRow[]> {
  const app = await openApp(4202);
  const { page } = app;
  const user = new AppPage(page);
  try {
    await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
    await user.paste(page.getByRole('textbox', { name: 'Starting maps' }), largeSpaceMaps(65_530));
    await user.run(calls(30));
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' })));
    await page.locator('section.maple[aria-busy=false]').waitFor();
    const caption = (await user.mapleTree().locator('p').first().textContent()) ?? '';
    const shape = /in ([\d,]+ nodes \([\d,]+ leaves\), height \d+)/.exec(caption)?.[1] ?? '?';
    await page.evaluate(() => performance.clearMeasures());
    const { ms, counted: drawn } = await timeStepsForward(
      page,
      40,
      'section.maple',
      '[role=group][aria-label*=" node "]',
    );
    const own = await page.evaluate(() =>
      ['maple-tree layout', 'maple-tree render'].map((name) =>
        performance.getEntriesByName(name).map((e) => e.duration),
      ),
    );
    // Per step: the view's layout and its D3 drawing (a step may draw more than once).
    const perStep = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / ms.length;
    return [
      {
        suite: 'maple-view',
        name: `step to tree drawn, 65,530 VMAs (${shape}), median`,
        value: median(ms),
        unit: 'ms',
      },
      {
        suite: 'maple-view',
        name: 'step to tree drawn, 65,530 VMAs, 95th percentile',
        value: p95(ms),
        unit: 'ms',
      },
      {
        suite: 'maple-view',
        name: 'of which the view: layout + D3 drawing, mean per step',
        value: perStep(own[0]) + perStep(own[1]),
        unit: 'ms',
        target: '< 50 ms',
      },
      {
        suite: 'maple-view',
        name: 'nodes in the drawing per step, median',
        value: median(drawn),
        unit: 'nodes',
      },
    ];
  } finally {
    await app.close();
  }
}
