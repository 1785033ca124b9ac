// SPDX-License-Identifier: GPL-2.0-or-later
// Views that find the change: on a space larger than the maps table shows,
// a step brings the line it added or changed into view.
import { expect, test, type Locator } from '@playwright/test';
import { AppPage } from './app';
import { largeSpace, separatePages } from './scenarios';

/** Whether `row` lies wholly inside the scrolled box of the maps table. */
const inTableView = (row: Locator) =>
  row.evaluate((el) => {
    const box = el.closest('.maps-scroll') as HTMLElement;
    const r = el.getBoundingClientRect();
    const b = box.getBoundingClientRect();
    return r.top >= b.top && r.bottom <= b.bottom;
  });

test('the maps table brings the step’s change into view', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const hex = (n: number) => '0x' + n.toString(16);
  const { pages, calls: maps } = separatePages(300);
  for (const at of [150, 260, 20]) {
    await app.run([...maps, `mprotect(${hex(pages[at])}, 0x1000, PROT_NONE)`].join('\n'));
    // A run opens at its last step or its first, as the app chooses: go to the last.
    const last = page.getByRole('button', { name: 'Last step' });
    if (await last.isEnabled()) await last.click();
    // Back from the call's row to the internal step that changed the VMA.
    const row = app.maps().locator(`[role=row][aria-rowindex="${at + 1}"]`);
    for (let i = 0; i < 6; i++) {
      await expect(app.maps()).toHaveAttribute('aria-busy', 'false');
      if ((await row.count()) && (await row.getAttribute('data-changed'))) break;
      await page.getByRole('button', { name: 'Step back' }).click();
    }
    await expect(row).toHaveAccessibleDescription('changed by this step');
    expect(await inTableView(row)).toBe(true);
    await expect(row).toContainText(`${pages[at].toString(16)}-`);
    await expect(row).toContainText('---p');
  }
});

test('permissions show in the drawing: rw-p, r--p and ---p look different', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const map = (addr: string, prot: string) =>
    `mmap(${addr}, 0x2000, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
  await app.run(
    [
      map('0x200000000000', 'PROT_READ|PROT_WRITE'),
      map('0x200000010000', 'PROT_READ'),
      map('0x200000020000', 'PROT_NONE'),
    ].join('\n'),
  );
  const last = page.getByRole('button', { name: 'Last step' });
  if (await last.isEnabled()) await last.click();
  await expect(app.vmasDrawn()).toHaveCount(3);
  const opacity = (i: number) =>
    app
      .vmasDrawn()
      .nth(i)
      .locator('rect')
      .first()
      .evaluate((el) => getComputedStyle(el).fillOpacity);
  expect([await opacity(0), await opacity(1), await opacity(2)]).toEqual(['1', '0.55', '0.18']);
});

test('a step row’s line number never runs into its text, even at six digits', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  // 100,000 comment lines put the calls at lines 100,001 and 100,002.
  const text = [
    ...Array.from({ length: 100_000 }, () => '#'),
    'mmap(0x200000000000, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    'munmap(0x200000000000, 0x1000)',
  ].join('\n');
  await app.run(text);
  const row = app.steps().getByRole('button').filter({ hasText: 'munmap(' }).first();
  await expect(row).toBeVisible();
  const [line, words] = await row.evaluate((el) =>
    [...el.children].slice(0, 2).map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left, right: r.right, text: c.textContent ?? '', full: c.scrollWidth };
    }),
  );
  expect(line.text).toBe('100002');
  expect(line.right).toBeLessThanOrEqual(words.left);
  expect(line.full).toBeLessThanOrEqual(line.right - line.left + 0.5);
});

test('on 4,980 VMAs the address space shows the step’s 64 KiB hole', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const { maps, at } = largeSpace(4980);
  const hole = (i: number) => at(i) + 0x10000;
  const hex = (a: number) => '0x' + a.toString(16);
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  await app.paste(page.getByRole('textbox', { name: 'Starting maps' }), maps);
  await app.run(
    [`munmap(${hex(hole(4000))}, 0x10000)`, `munmap(${hex(hole(200))}, 0x10000)`].join('\n'),
  );
  const space = app.addressSpace();
  const overview = space.getByRole('region', { name: 'Overview of the whole space' });
  const shown = overview.getByRole('slider', { name: 'VMAs shown' });
  await expect(overview).toBeVisible();

  // The first munmap's hole: the step that clears it from the maple tree.
  await app.goToStep(`clear [${hex(hole(4000))}`);
  const change = `This step’s change: ${hex(hole(4000))}–${hex(hole(4000) + 0x10000)} (64 KiB)`;
  const mark = space.getByRole('img', { name: change, exact: true });
  // Marked twice: on the overview strip, and (last in the page) under the main line.
  await expect(mark).toHaveCount(2);
  const onOverview = overview.getByRole('img', { name: change, exact: true });
  await expect(shown).toHaveAttribute('aria-valuetext', /^VMAs 3,9\d\d–4,0\d\d of 4,981: 0x/);
  const canvas = space.getByRole('img', { name: /^4981 VMAs, the window shown/ });
  const line = (await canvas.boundingBox())!;
  const under = (await mark.last().boundingBox())!;
  expect(under.width).toBeGreaterThanOrEqual(4);
  expect(under.x).toBeGreaterThan(line.x);
  expect(under.x + under.width).toBeLessThan(line.x + line.width);
  // The canvas leaves the hole empty and fills the VMAs on both sides of it.
  const alpha = (x: number) =>
    canvas.evaluate((el, px) => {
      const c = el as HTMLCanvasElement;
      const r = c.width / c.getBoundingClientRect().width;
      const y = Math.round((28 + 20) * r);
      return c.getContext('2d')!.getImageData(Math.round(px * r), y, 1, 1).data[3];
    }, x - line.x);
  expect(await alpha(under.x + under.width / 2)).toBe(0);
  expect(await alpha(under.x - 3)).toBeGreaterThan(0);
  expect(await alpha(under.x + under.width + 3)).toBeGreaterThan(0);
  // On the overview, the change lies inside the window's frame.
  const frame = (await shown.boundingBox())!;
  const onStrip = (await onOverview.boundingBox())!;
  expect(onStrip.x).toBeGreaterThanOrEqual(frame.x - 1);
  expect(onStrip.x + onStrip.width).toBeLessThanOrEqual(frame.x + frame.width + 1);

  // The second munmap, 3,800 VMAs earlier: the window follows.
  await app.goToStep(`clear [${hex(hole(200))}`);
  await expect(shown).toHaveAttribute('aria-valuetext', /^VMAs 1\d\d–2\d\d of 4,982: 0x/);
  const later = (await shown.boundingBox())!;
  expect(later.x).toBeLessThan(frame.x - 100);
  await expect(
    space.getByRole('img', {
      name: `This step’s change: ${hex(hole(200))}–${hex(hole(200) + 0x10000)} (64 KiB)`,
    }),
  ).toHaveCount(2);

  // The user moves the window: Later, then the keys on the slider.
  const before = await shown.getAttribute('aria-valuenow');
  await overview.getByRole('button', { name: 'Later' }).click();
  const after = Number(await shown.getAttribute('aria-valuenow'));
  expect(after).toBeGreaterThan(Number(before));
  await shown.focus();
  await page.keyboard.press('Home');
  await expect(shown).toHaveAttribute('aria-valuenow', '1');
  await expect(overview.getByRole('button', { name: 'Earlier' })).toBeDisabled();
  await page.keyboard.press('End');
  await expect(shown).toHaveAttribute('aria-valuetext', /–4,982 of 4,982: /);
  // A click on the strip brings the window there.
  const strip = (await overview.getByRole('img', { name: 'Whole address space' }).boundingBox())!;
  await page.mouse.click(strip.x + strip.width / 2, strip.y + strip.height / 2);
  await expect(shown).toHaveAttribute('aria-valuetext', /^VMAs 2,\d\d\d–2,\d\d\d of 4,982/);
});

test('on 300 VMAs the drawing lists the window’s VMAs, the changed one among them', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const hex = (n: number) => '0x' + n.toString(16);
  const { pages, calls: maps } = separatePages(300);
  await app.run([...maps, `mprotect(${hex(pages[260])}, 0x1000, PROT_NONE)`].join('\n'));
  // The step that changed the VMA (mprotect_fixup): the one before the call's own.
  await app.button('Step back').click();
  await expect(app.steps().locator('[aria-current="step"]')).toContainText('mprotect_fixup');
  const changed = app.vmaDrawn(
    `${pages[260].toString(16)}-${(pages[260] + 0x1000).toString(16)} ---p 00000000 00:00 0`,
  );
  await expect(changed).toBeVisible();
  const shown = app.addressSpace().getByRole('slider', { name: 'VMAs shown' });
  const text = (await shown.getAttribute('aria-valuetext')) ?? '';
  const [, from, to] = /^VMAs (\d+)–(\d+) of 300: /.exec(text) ?? [];
  // Only the window's VMAs are drawn, each wide enough to tell apart.
  await expect(app.vmasDrawn()).toHaveCount(Number(to) - Number(from) + 1);
  expect(Number(from)).toBeLessThanOrEqual(261);
  expect(Number(to)).toBeGreaterThanOrEqual(261);
  expect((await changed.boundingBox())!.width).toBeGreaterThanOrEqual(6);
});
