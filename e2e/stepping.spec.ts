// SPDX-License-Identifier: GPL-2.0-or-later
// Stepping as a teacher does it in front of a class: the position and the
// engine's state are said.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

test.use({ viewport: { width: 1280, height: 720 } });

test('the status is busy, not idle, while an example is still being fetched', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  let release = () => {};
  const held = new Promise<void>((r) => (release = r));
  await page.route('**/scenarios/merge-both-sides.scn', async (route) => {
    await held;
    await route.continue();
  });
  const example = page.getByRole('combobox', { name: 'Example' });
  const title = await example
    .getByRole('option')
    .filter({ hasText: /./ })
    .evaluateAll(
      (options) =>
        (options as HTMLOptionElement[]).find((o) => o.value === 'merge-both-sides.scn')?.text,
    );
  await example.selectOption('merge-both-sides.scn');
  await expect(page.getByRole('status')).toHaveText('Loading example');
  release();
  await app.idle();
  await expect(app.stepPosition()).toHaveText(/^step \d+ of \d+$/);
  await expect(app.scenario()).toContainText(title?.slice(0, 20) ?? '');
});
