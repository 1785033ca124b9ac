// SPDX-License-Identifier: GPL-2.0-or-later
// The scenario editor as a user types in it: completion, live checking,
// the call on screen marked, and positions that go where they say.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

test('completion offers the flags of the argument being typed', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.paste(app.scenario(), '');
  await page.keyboard.type('mmap(NULL, 4K, PROT_READ, MAP_PR');
  const option = page.getByRole('option', { name: /^MAP_PRIVATE/ });
  await expect(option).toBeVisible();
  await page.keyboard.press('Enter');
  await expect(app.scenario()).toHaveText('mmap(NULL, 4K, PROT_READ, MAP_PRIVATE');
});
