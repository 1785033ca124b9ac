// SPDX-License-Identifier: GPL-2.0-or-later
// Views that find the change: on a space larger than the maps table shows,
// a step brings the line it added or changed into view.
import { expect, test, type Locator } from '@playwright/test';
import { AppPage } from './app';

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
  const pages = Array.from({ length: 300 }, (_, i) => 0x200000000000 + 2 * i * 0x1000);
  const maps = pages.map(
    (a) => `mmap(${hex(a)}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
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
