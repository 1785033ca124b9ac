// SPDX-License-Identifier: GPL-2.0-or-later
// The timeline in Chromium (issue 6): time from Run to the first step drawn
// for a 10,000-call scenario and the longest main-thread task meanwhile; time
// per step forward on a 65,530-VMA space; the whole page's memory (workers
// included) after each. Everything is timed inside the page.
import type { Page } from '@playwright/test';
import { AppPage } from '../e2e/app';
import type { BenchRow } from './bench-row';
import { openApp, timeStepsForward } from './browser';
import { largeSpaceMaps } from '../src/engine/scenario/generate';

const hex = (n: number) => '0x' + n.toString(16);

/** A seeded scenario of `calls` fixed mmap/munmap calls in a 256-page region. */
function fixedCalls(calls: number): string {
  let x = 12345;
  // xorshift32: exact in JavaScript numbers, unlike a 64-bit multiply.
  const rand = (n: number) => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) % n;
  };
  const lines: string[] = [];
  for (let i = 0; i < calls; i++) {
    const addr = hex(0x200000000000 + rand(256) * 0x1000);
    const len = hex(0x1000 * (1 + rand(4)));
    lines.push(
      rand(3) < 2
        ? `mmap(${addr}, ${len}, ${rand(2) ? 'PROT_READ' : 'PROT_READ|PROT_WRITE'}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`
        : `munmap(${addr}, ${len})`,
    );
  }
  return lines.join('\n');
}

/** Presses Run; resolves when the run's step is on screen, with the longest task meanwhile. */
function timeRun(page: Page): Promise<{ ms: number; longestTask: number }> {
  return page.evaluate(
    () =>
      new Promise<{ ms: number; longestTask: number }>((resolve) => {
        const tasks: number[] = [];
        const observer = new PerformanceObserver((list) =>
          list.getEntries().forEach((e) => tasks.push(e.duration)),
        );
        observer.observe({ type: 'longtask' });
        const status = document.querySelector('[role=status]')!;
        const maps = document.querySelector('[role=table][aria-label=maps]');
        // A view renamed under the bench must fail it, not hang it.
        if (!maps) throw new Error('no maps table on the page');
        const run = [...document.querySelectorAll('button')].find((b) => b.textContent === 'Run')!;
        let running = false;
        const watch = new MutationObserver(() => {
          if (status.textContent === 'Engine running') running = true;
        });
        watch.observe(status, { childList: true, characterData: true, subtree: true });
        const t0 = performance.now();
        run.click();
        const check = () => {
          const done =
            running &&
            status.textContent === 'Engine idle' &&
            maps.getAttribute('aria-busy') === 'false';
          // Two minutes at the most: a stalled run is a result too, not a hang.
          const late = performance.now() - t0 > 120_000;
          if (!done && !late) return void requestAnimationFrame(check);
          const ms = done ? performance.now() - t0 : NaN;
          watch.disconnect();
          // Long tasks are reported after they end: give the last one a frame.
          requestAnimationFrame(() => {
            observer.disconnect();
            resolve({ ms, longestTask: Math.max(0, ...tasks) });
          });
        };
        requestAnimationFrame(check);
      }),
  );
}

async function pageMemory(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const measure = (
      performance as Performance & {
        measureUserAgentSpecificMemory?: () => Promise<{ bytes: number }>;
      }
    ).measureUserAgentSpecificMemory;
    if (!crossOriginIsolated || !measure) return NaN;
    const timeout = new Promise<number>((r) => setTimeout(() => r(NaN), 30_000));
    return Promise.race([measure.call(performance).then((m) => m.bytes), timeout]);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p95 = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length * 0.95)];

export default async function (): Promise<BenchRow[]> {
  const app = await openApp();
  const { page } = app;
  const user = new AppPage(page);
  try {
    const rows: BenchRow[] = [];
    await user.paste(user.scenario(), fixedCalls(10_000));
    const run = await timeRun(page);
    const steps = await page.locator('.position').textContent();
    rows.push(
      {
        suite: 'timeline',
        name: `Run to first step drawn, 10,000 calls (${steps})`,
        value: run.ms,
        unit: 'ms',
      },
      {
        suite: 'timeline',
        name: 'longest main-thread task during that run (long tasks are those >= 50 ms; 0: none)',
        value: run.longestTask,
        unit: 'ms',
        target: '<= 50 ms',
      },
      {
        suite: 'timeline',
        name: 'whole page memory after it (workers included)',
        value: (await pageMemory(page)) / 2 ** 20,
        unit: 'MiB',
      },
    );

    await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
    await user.paste(page.getByRole('textbox', { name: 'Starting maps' }), largeSpaceMaps(65_530));
    // The same 10,000 calls, now over the 65,530 VMAs (they overlap the first 256 pages).
    await user.paste(user.scenario(), fixedCalls(10_000));
    const big = await timeRun(page);
    // Focus is still in the editor, which keeps Home for itself: ask the app.
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' })));
    await page.locator('[role=table][aria-label=maps][aria-busy=false]').waitFor();
    const times = (await timeStepsForward(page, 60, '[role=table][aria-label=maps]')).ms;
    rows.push(
      {
        suite: 'timeline',
        name: 'Run to first step drawn, 10,000 calls over a 65,530-VMA space',
        value: big.ms,
        unit: 'ms',
      },
      {
        suite: 'timeline',
        name: 'step forward on a 65,530-VMA space, median',
        value: median(times),
        unit: 'ms',
      },
      {
        suite: 'timeline',
        name: 'step forward on a 65,530-VMA space, 95th percentile',
        value: p95(times),
        unit: 'ms',
      },
      {
        suite: 'timeline',
        name: 'whole page memory, that 10,000-call timeline over 65,530 VMAs',
        value: (await pageMemory(page)) / 2 ** 20,
        unit: 'MiB',
        target: '< 300 MB',
      },
    );
    return rows;
  } finally {
    await app.close();
  }
}
