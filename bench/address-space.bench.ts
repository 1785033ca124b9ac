// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view in Chromium (issue 7), on a 65,530-VMA space (the
// canvas path). Since issue 15 the main line of so large a space draws a
// window of about width / 16 VMAs around the step's change, and the
// overview strip above it the whole space with the window framed; both are
// drawn again on every frame of a pan or zoom and on every step. Measured:
// frame times while panning and zooming the main line with the wheel and a
// drag; the time the view takes to draw a step (the whole space's layout,
// the window's, the main line's canvas and the overview's); and a step
// forward from the key to that drawing. Timed inside the page.
import type { Locator, Page } from '@playwright/test';
import { AppPage } from '../e2e/app';
import type { BenchRow } from './bench-row';
import { openApp } from './browser';
import { largeSpaceMaps } from '../src/engine/scenario/generate';

/** Not 4188 (bench/browser.ts's default, used by the other browser benches). */
const PORT = 4196;
const VMAS = 65_530;

/** Calls that split, merge and unmap VMAs across the space: 60 calls, a few hundred steps. */
function calls(): string {
  const hex = (n: number) => '0x' + n.toString(16);
  const lines: string[] = [];
  for (let i = 0; i < 60; i++) {
    const page = 0x200000000000 + ((i * 7919) % VMAS) * 0x2000;
    lines.push(
      i % 3 === 0
        ? `munmap(${hex(page)}, 0x1000)`
        : `mmap(${hex(page + 0x1000)}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    );
  }
  return lines.join('\n');
}

interface Frames {
  /** requestAnimationFrame intervals, ms. */
  intervals: number[];
  /** Main-thread script per frame: the app's drawing plus the event's handling, ms. */
  work: number[];
}

/**
 * Zooms the main line (`line`, its canvas) in with the wheel, drags to pan,
 * zooms out: one input event per frame, as a user's wheel and mouse give them.
 * Throws if the wheel did not zoom it: the frames would then time nothing.
 */
function panAndZoom(line: Locator): Promise<Frames> {
  return line.evaluate(
    (canvas) =>
      new Promise<Frames>((resolve, reject) => {
        const box = canvas.parentElement!;
        const zoomOut = [...canvas.closest('section')!.querySelectorAll('button')].find(
          (b) => b.textContent === 'Zoom out',
        )!;
        const r = box.getBoundingClientRect();
        const y = r.top + 60;
        const plan: (() => void)[] = [];
        const wheel = (deltaY: number, x: number) => () =>
          box.dispatchEvent(
            new WheelEvent('wheel', {
              deltaY,
              clientX: x,
              clientY: y,
              bubbles: true,
              cancelable: true,
              view: window,
            }),
          );
        const mouse = (type: string, x: number, target: EventTarget) => () =>
          target.dispatchEvent(
            new MouseEvent(type, {
              clientX: x,
              clientY: y,
              button: 0,
              buttons: type === 'mouseup' ? 0 : 1,
              bubbles: true,
              cancelable: true,
              view: window,
            }),
          );
        const mid = r.left + r.width / 2;
        for (let i = 0; i < 60; i++) plan.push(wheel(-60, r.left + r.width * (0.3 + i / 200)));
        plan.push(() => {
          if (zoomOut.disabled) throw new Error('the wheel did not zoom the address space');
        });
        plan.push(mouse('mousedown', mid, box));
        // Left and right and back, 400 pixels each way.
        for (let i = 0; i < 180; i++) {
          plan.push(mouse('mousemove', mid + 200 * Math.sin((i / 180) * 2 * Math.PI), window));
        }
        plan.push(mouse('mouseup', mid, window));
        for (let i = 0; i < 60; i++) plan.push(wheel(60, r.left + r.width * (0.6 - i / 200)));

        const out: Frames = { intervals: [], work: [] };
        let last = 0;
        let dispatchMs = 0;
        let i = 0;
        const frame = (now: number) => {
          // The app's drawing was scheduled (requestAnimationFrame) while the
          // last event was handled: it ran before this callback, in this frame.
          const drawn = performance.now() - now;
          if (last) {
            out.intervals.push(now - last);
            out.work.push(dispatchMs + drawn);
          }
          last = now;
          if (i >= plan.length) return resolve(out);
          const t0 = performance.now();
          try {
            plan[i++]();
          } catch (e) {
            return reject(e as Error);
          }
          dispatchMs = performance.now() - t0;
          requestAnimationFrame(frame);
        };
        requestAnimationFrame(frame);
      }),
  );
}

/** Steps forward `n` times; for each, the view's layout + draw (User Timing) and keypress to drawn. */
function timeSteps(page: Page, n: number): Promise<{ draw: number[]; total: number[] }> {
  return page.evaluate(async (n) => {
    const region = document.querySelector('section.address-space')!;
    const position = document.querySelector('.position')!;
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const draw: number[] = [];
    const total: number[] = [];
    const newest = (name: string) => {
      const e = performance.getEntriesByName(name, 'measure');
      return e.length ? e[e.length - 1] : null;
    };
    for (let i = 0; i < n; i++) {
      const before = position.textContent;
      const lastDraw = newest('address-space: draw');
      const t0 = performance.now();
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight' }));
      const drawn = () =>
        position.textContent !== before &&
        region.getAttribute('aria-busy') === 'false' &&
        newest('address-space: draw') !== lastDraw;
      while (!drawn() && performance.now() - t0 < 10_000) await frame();
      total.push(drawn() ? performance.now() - t0 : NaN);
      const d = newest('address-space: draw');
      const l = newest('address-space: layout');
      // The layout is computed again only when the ranges changed.
      const layoutMs = l && l.startTime >= t0 ? l.duration : 0;
      draw.push(d ? d.duration + layoutMs : NaN);
      await frame();
    }
    return { draw, total };
  }, n);
}

const pct = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

export default async function (): Promise<BenchRow[]> {
  const app = await openApp(PORT);
  const { page } = app;
  const user = new AppPage(page);
  try {
    await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
    await user.paste(page.getByRole('textbox', { name: 'Starting maps' }), largeSpaceMaps(VMAS));
    await user.paste(user.scenario(), calls());
    await user.runButton().click();
    await user.idle();
    // The main line's canvas; the overview's canvas is an img too ("Whole address space").
    const view = user.addressSpace();
    const line = view.getByRole('img', { name: /^655\d\d VMAs, the window shown: / });
    await line.waitFor();
    const shown = view.getByRole('slider', { name: 'VMAs shown' });
    const [from, to] = (await shown.getAttribute('aria-valuetext'))!
      .match(/^VMAs ([\d,]+)–([\d,]+) of/)!
      .slice(1)
      .map((n) => Number(n.replaceAll(',', '')));
    const frames = await panAndZoom(line);
    await page.evaluate(() => window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Home' })));
    await page.locator('section.address-space[aria-busy=false]').waitFor();
    const steps = await timeSteps(page, 60);
    const suite = 'address';
    const all = `${VMAS.toLocaleString('en')} VMAs`;
    // Panned and zoomed: the main line's window of VMAs, under the whole space's overview.
    const space = `${to - from + 1} of ${all} + overview`;
    return [
      {
        suite,
        name: `pan/zoom frame interval, ${space}, median`,
        value: pct(frames.intervals, 0.5),
        unit: 'ms',
      },
      {
        suite,
        name: `pan/zoom frame interval, ${space}, 95th percentile`,
        value: pct(frames.intervals, 0.95),
        unit: 'ms',
        target: '< 16.7 ms',
      },
      {
        suite,
        name: `pan/zoom main-thread work per frame, ${space}, median`,
        value: pct(frames.work, 0.5),
        unit: 'ms',
      },
      {
        suite,
        name: `pan/zoom main-thread work per frame, ${space}, 95th percentile`,
        value: pct(frames.work, 0.95),
        unit: 'ms',
        target: '< 16.7 ms',
      },
      {
        suite,
        name: `draw a step (layouts, line + overview), ${all}, median`,
        value: pct(steps.draw, 0.5),
        unit: 'ms',
      },
      {
        suite,
        name: `draw a step (layouts, line + overview), ${all}, 95th percentile`,
        value: pct(steps.draw, 0.95),
        unit: 'ms',
        target: '< 50 ms',
      },
      {
        suite,
        name: `step forward, key to drawn (worker included), ${all}, median`,
        value: pct(steps.total, 0.5),
        unit: 'ms',
      },
    ];
  } finally {
    await app.close();
  }
}
