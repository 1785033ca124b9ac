// SPDX-License-Identifier: GPL-2.0-or-later
// What every view offers besides the drawing: the reasons with links to the
// kernel source, the theme switch and the exports.
import { readFileSync } from 'node:fs';
import { expect, test, type Download, type Page } from '@playwright/test';
import { AppPage } from './app';
import { separatePages } from './scenarios';

const TWO = [
  'mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'mmap(0x200000002000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
].join('\n');

async function downloaded(page: Page, click: () => Promise<void>): Promise<[Download, Buffer]> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  const path = await download.path();
  return [download, readFileSync(path)];
}

test('the reasons name the failing merge check and link the kernel source', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(TWO);
  const reasons = page.getByRole('region', { name: 'Reasons' });
  // The decision of the second mmap: one step before its vma creation.
  await app
    .steps()
    .getByRole('button', { name: /vma_merge_new_range/ })
    .last()
    .click();
  await expect(reasons).toContainText('no merge: neither neighbour matches');
  await expect(
    reasons.getByRole('listitem', {
      name: 'is_mergeable_vma on vma1 fails: flags differ (rd wr mr mw me ac vs rd mr mw me)',
    }),
  ).toBeVisible();
  await expect(reasons.getByRole('link', { name: 'vma_merge_new_range()' })).toHaveAttribute(
    'href',
    'https://elixir.bootlin.com/linux/v6.18/A/ident/vma_merge_new_range',
  );
  // A VMA named in the reasons selects it in every view.
  await reasons.getByRole('button', { name: 'Select vma1' }).first().click();
  await expect(
    app.mapsRows().filter({ hasText: '200000000000-200000002000 rw-p' }),
  ).toHaveAttribute('aria-current', 'true');
  await expect(reasons.getByRole('button', { name: 'Select vma1' }).first()).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('a call step lists the merge decisions it made, one click away', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(TWO);
  const reasons = page.getByRole('region', { name: 'Reasons' });
  await expect(reasons).toContainText('sys_mmap');
  const decisions = reasons.getByRole('list', { name: 'Merge decisions in this call' });
  await decisions.getByRole('button').first().click();
  await expect(reasons.getByRole('list', { name: 'Merge checks' })).toBeVisible();
});

test('the theme switch turns every view dark and back', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const background = () =>
    page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);
  const light = await background();
  const dark = app.button('Dark theme');
  await dark.click();
  await expect(dark).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  expect(await background()).not.toBe(light);
  await page.reload();
  await app.idle();
  await expect(app.button('Dark theme')).toHaveAttribute('aria-pressed', 'true');
  await app.button('Dark theme').click();
  expect(await background()).toBe(light);
});

test('exports the scenario as text and the run as a trace document', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(TWO);
  const [scn, text] = await downloaded(page, () => app.button('Export scenario').click());
  expect(scn.suggestedFilename()).toBe('scenario.scn');
  expect(text.toString('utf8')).toBe(TWO);
  const [trace, json] = await downloaded(page, () => app.button('Export trace').click());
  expect(trace.suggestedFilename()).toBe('trace.json');
  const doc = JSON.parse(json.toString('utf8')) as {
    format: string;
    steps: unknown[];
    maps: string[];
  };
  expect(doc.format).toBe('vma-explorer-trace');
  await expect(page.getByRole('toolbar', { name: 'Stepping' })).toContainText(
    `of ${doc.steps.length}`,
  );
  expect(doc.maps).toEqual(await app.mapsLines());
});

for (const [view, region] of [
  ['address space', 'Address space'],
  ['maple tree', 'Maple tree'],
] as const) {
  test(`exports the ${view} as SVG and PNG`, async ({ page }) => {
    const app = new AppPage(page);
    await app.open();
    // The example's last step, where its VMAs and tree nodes are drawn.
    await app.toLastStep();
    const section = page.getByRole('region', { name: region });
    const [svg, svgData] = await downloaded(page, () =>
      section.getByRole('button', { name: `Export ${view} as SVG` }).click(),
    );
    expect(svg.suggestedFilename()).toBe(`${view.replace(' ', '-')}.svg`);
    const svgText = svgData.toString('utf8');
    expect(svgText.startsWith('<svg')).toBe(true);
    expect(svgText).toContain('xmlns="http://www.w3.org/2000/svg"');
    // The copy carries its colours with it, not the page's stylesheet.
    expect(svgText).toMatch(/style="[^"]*fill:rgb\(/);
    const [png, pngData] = await downloaded(page, () =>
      section.getByRole('button', { name: `Export ${view} as PNG` }).click(),
    );
    expect(png.suggestedFilename()).toBe(`${view.replace(' ', '-')}.png`);
    expect(pngData.subarray(1, 4).toString('latin1')).toBe('PNG');
    expect(pngData.length).toBeGreaterThan(1000);
  });
}

/** One VMA sealed with mseal, one not: the export must outline the first only. */
const SEALED = [
  'mmap(0x200000000000, 0x10000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'mmap(0x200000020000, 0x10000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'mseal(0x200000020000, 0x10000, 0)',
].join('\n');

/**
 * The elements an <svg> draws, in document order, each with the style it is
 * drawn with: an element hidden with `display: none` (and what is inside it)
 * is not drawn; the hatch patterns and titles are kept, as the export keeps them.
 */
function drawnElements(svg: Element): string[] {
  const props = ['fill', 'stroke', 'stroke-width', 'stroke-dasharray', 'opacity', 'visibility'];
  const font = ['font-family', 'font-size', 'font-weight', 'text-anchor'];
  const out: string[] = [];
  const walk = (el: Element) => {
    for (const child of el.children) {
      const style = getComputedStyle(child);
      const kept = child.closest('defs') !== null || child.localName === 'title';
      if (style.display === 'none' && !kept) continue;
      const shown = [...props, ...(child.localName === 'text' ? font : [])]
        .map((p) => `${p}:${style.getPropertyValue(p)}`)
        .join(';');
      out.push(`${child.localName}.${child.getAttribute('class') ?? ''} ${shown}`);
      walk(child);
    }
  };
  walk(svg);
  return out;
}

for (const [view, region, svgName] of [
  ['address space', 'Address space', 'VMAs'],
  ['maple tree', 'Maple tree', 'mm_mt nodes'],
] as const) {
  test(`the exported ${view} SVG draws what the screen draws`, async ({ page, context }) => {
    const app = new AppPage(page);
    await app.open();
    await app.run(SEALED);
    const section = page.getByRole('region', { name: region });
    const onScreen = await section
      .getByRole(view === 'address space' ? 'list' : 'group', { name: svgName, exact: true })
      .evaluate(drawnElements);
    const [, data] = await downloaded(page, () =>
      section.getByRole('button', { name: `Export ${view} as SVG` }).click(),
    );
    // The file opened on its own, without the page's stylesheet or theme.
    const viewer = await context.newPage();
    await viewer.goto(`data:image/svg+xml;base64,${data.toString('base64')}`);
    const exported = await viewer.locator(':root').evaluate(drawnElements);
    expect(exported.length).toBeGreaterThan(10);
    expect(exported).toEqual(onScreen);
    if (view === 'address space') {
      // The seal outline of the sealed VMA only, as on screen.
      const sealed = '200000020000-200000030000 r--p 00000000 00:00 0';
      const open = '200000000000-200000010000 rw-p 00000000 00:00 0';
      await expect(app.vmaDrawn(sealed)).toHaveAttribute('aria-description', /sealed/);
      const vma = (name: string) => viewer.getByRole('listitem', { name, exact: true });
      await expect(vma(sealed).locator('rect.seal')).toHaveCount(1);
      await expect(vma(sealed).locator('rect.seal')).toBeVisible();
      await expect(vma(open)).toHaveCount(1);
      await expect(vma(open).locator('rect.seal')).toHaveCount(0);
    }
    await viewer.close();
  });
}

test('the maps table draws the lines in view and scrolls through them all', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const { pages, calls } = separatePages(100);
  await app.run(calls.join('\n'));
  await expect(app.maps()).toHaveAttribute('aria-rowcount', '100');
  // Only a screenful (and a margin) is in the document.
  expect(await app.mapsRows().count()).toBeLessThan(50);
  const hex = (n: number) => n.toString(16);
  expect(await app.mapsLines()).toEqual(
    pages.map((a) => `${hex(a)}-${hex(a + 0x1000)} r--p 00000000 00:00 0 `),
  );
});
