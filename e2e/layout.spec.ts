// SPDX-License-Identifier: GPL-2.0-or-later
// The layout as a new user meets it: at a laptop's 1280×720, at 900 px
// and in a narrow window nothing overlaps and the page never scrolls
// sideways (a wide table scrolls inside its own box).
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './app';

interface Box {
  name: string;
  x: number;
  y: number;
  width: number;
  height: number;
}

/**
 * Every control the user can see, with its name and box: one that a
 * scrolling list hides (a step row out of view) does not count, so each is
 * hit-tested at its centre.
 */
function controls(page: Page): Promise<Box[]> {
  return page.evaluate(() => {
    const found: Box[] = [];
    for (const el of document.querySelectorAll<HTMLElement>(
      'button, select, input, [role="button"], [role="slider"], [role="option"], a[href]',
    )) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0) continue;
      const hit = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      if (!hit || !el.contains(hit)) continue;
      const name = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 30);
      found.push({
        name: `${el.tagName.toLowerCase()} ${name}`,
        x: r.x,
        y: r.y,
        width: r.width,
        height: r.height,
      });
    }
    return found;
  });
}

const overlaps = (a: Box, b: Box) =>
  a.x + 1 < b.x + b.width &&
  b.x + 1 < a.x + a.width &&
  a.y + 1 < b.y + b.height &&
  b.y + 1 < a.y + a.height;

for (const [width, height] of [
  [1280, 720],
  [900, 800],
  [600, 800],
]) {
  test(`at ${width}×${height} nothing overlaps and the page does not scroll sideways`, async ({
    page,
  }) => {
    await page.setViewportSize({ width, height });
    const app = new AppPage(page);
    await app.open();
    await app.button('Last step').click();
    await app.idle();
    await page.screenshot({ path: test.info().outputPath(`layout-${width}x${height}.png`) });
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({
      scrollWidth: document.documentElement.scrollWidth,
      clientWidth: document.documentElement.clientWidth,
    }));
    expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    // Every control in view, each against the others.
    const seen = await controls(page);
    expect(seen.length).toBeGreaterThan(10);
    const clashes: string[] = [];
    for (let i = 0; i < seen.length; i++)
      for (let j = i + 1; j < seen.length; j++)
        if (overlaps(seen[i], seen[j])) clashes.push(`${seen[i].name} / ${seen[j].name}`);
    expect(clashes).toEqual([]);
    for (const c of seen) expect(c.x + c.width, c.name).toBeLessThanOrEqual(width + 1);
  });
}
