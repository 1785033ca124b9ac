// SPDX-License-Identifier: GPL-2.0-or-later
// The production build served by `vite preview` and driven in Debian's
// Chromium, for the benchmarks that must run in a browser.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chromium, type Browser, type Page } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium-path.mjs';

export interface BrowserBench {
  page: Page;
  url: string;
  close(): Promise<void>;
}

async function waitForServer(url: string, server: ChildProcess, log: string[]): Promise<void> {
  let last = '';
  for (let i = 0; i < 200; i++) {
    if (server.exitCode !== null) throw new Error(`vite preview exited:\n${log.join('')}`);
    try {
      const r = await fetch(url);
      if (r.ok) return;
      last = `HTTP ${r.status}`;
    } catch (e) {
      last = String((e as { cause?: unknown }).cause ?? e); // not up yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer (${last}):\n${log.join('')}`);
}

export async function openApp(port = 4188): Promise<BrowserBench> {
  const build = spawnSync('npx', ['vite', 'build'], { stdio: 'ignore' });
  if (build.status !== 0) throw new Error('vite build failed');
  const server = spawn(
    'npx',
    ['vite', 'preview', '--strictPort', '--port', String(port), '--host', '127.0.0.1'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const log: string[] = [];
  server.stdout?.on('data', (d: Buffer) => log.push(String(d)));
  server.stderr?.on('data', (d: Buffer) => log.push(String(d)));
  const url = `http://127.0.0.1:${port}/`;
  let browser: Browser | null = null;
  try {
    await waitForServer(url, server, log);
    const executablePath = chromiumPath();
    if (!executablePath) throw new Error('no Chromium: run node scripts/ensure-chromium.mjs');
    browser = await chromium.launch({
      executablePath,
      // Memory measurements answer at once instead of at the next GC.
      args: [...CHROMIUM_ARGS, '--enable-blink-features=ForceEagerMeasureMemory'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx (esbuild keepNames) wraps named functions in the bench's page.evaluate
    // callbacks with a __name() helper that only exists in Node.
    await page.addInitScript('self.__name = (f) => f;');
    await page.goto(url);
    await page.getByRole('status').filter({ hasText: 'Engine idle' }).waitFor();
    const opened = browser;
    return {
      page,
      url,
      async close() {
        await opened.close();
        if (server.pid) process.kill(-server.pid);
      },
    };
  } catch (e) {
    await browser?.close();
    if (server.pid) process.kill(-server.pid);
    throw e;
  }
}

/**
 * Steps forward `n` times with →, each time until the element `busy` (a view
 * with aria-busy) shows the new step and one more frame has painted it.
 * Returns each step's milliseconds and, with `count`, how many elements
 * matched that selector after it.
 */
export function timeStepsForward(
  page: Page,
  n: number,
  busy: string,
  count?: string,
): Promise<{ ms: number[]; counted: number[] }> {
  return page.evaluate(
    async ({ n, busy, count }) => {
      const view = document.querySelector(busy);
      if (!view) throw new Error(`no ${busy} on the page`);
      const position = document.querySelector('.position')!;
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      const ms: number[] = [];
      const counted: number[] = [];
      for (let i = 0; i < n; i++) {
        const before = position.textContent;
        const t0 = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
        const done = () =>
          position.textContent !== before && view.getAttribute('aria-busy') === 'false';
        while (!done() && performance.now() - t0 < 10_000) await frame();
        // React has committed; the drawing runs in its effect: one more frame paints it.
        await frame();
        ms.push(done() ? performance.now() - t0 : NaN);
        if (count) counted.push(view.querySelectorAll(count).length);
      }
      return { ms, counted };
    },
    { n, busy, count },
  );
}
