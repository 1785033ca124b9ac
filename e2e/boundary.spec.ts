// SPDX-License-Identifier: GPL-2.0-or-later
// A render error in one view stays in that view: the app, and the editor's
// text in it, stay on screen, and the view can be drawn again.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const MMAP = 'mmap(0x200000000000, 0x4000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';

test('a view that fails to draw says so; the editor keeps its text', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  // Something outside React takes the Steps list's rows: its next update throws.
  await app.steps().evaluate((list) => list.replaceChildren());
  await app.run(`${MMAP}\n# still here`);
  const failed = page.getByRole('alert').filter({ hasText: 'The Steps view failed' });
  await expect(failed).toBeVisible();
  await expect(app.scenario()).toContainText('# still here');
  await expect(app.addressSpace()).toBeVisible();
  await page.getByRole('button', { name: 'Draw Steps again' }).click();
  await expect(failed).toHaveCount(0);
  await expect(app.steps().getByRole('listitem').first()).toBeVisible();
});
