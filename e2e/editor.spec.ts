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
  // Only the flags mmap's fourth argument takes.
  await expect(page.getByRole('option', { name: /^PROT_/ })).toHaveCount(0);
  await option.click();
  await expect(app.scenario()).toHaveText('mmap(NULL, 4K, PROT_READ, MAP_PRIVATE');
});

test('checks the text as it is typed, and a position puts the cursor there', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.paste(app.scenario(), '');
  await page.keyboard.type('mmprotect(');
  const problems = page.getByRole('group', { name: 'Problems' });
  await expect(problems).toContainText(
    'Line 1, column 1: unknown call mmprotect (did you mean mprotect?)',
  );
  // Nothing was run: the check is the editor's own, and says so quietly.
  await expect(app.alert()).toHaveCount(0);

  await app.paste(
    app.scenario(),
    'munmap(0x200000000000, 4K)\nmmap(NULL, 4K, PROT_READ, MAP_PRIVAT|MAP_ANONYMOUS, -1, 0)',
  );
  const position = problems.getByRole('button', { name: 'Line 2, column 27' });
  await expect(problems).toContainText('unknown flag MAP_PRIVAT (did you mean MAP_PRIVATE?)');
  await page.keyboard.press('ControlOrMeta+Home');
  await position.click();
  await expect(app.scenario()).toBeFocused();
  await page.keyboard.type('X');
  await expect(app.scenario()).toContainText('PROT_READ, XMAP_PRIVAT|');
});
