// SPDX-License-Identifier: GPL-2.0-or-later
// Drafts survive: a reload while a run is under way, or at once after typing,
// brings back what was typed; a draft the browser refuses to store is said so.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const mmap = (addr: string, prot = 'PROT_READ') =>
  `mmap(${addr}, 0x1000, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

test('a reload while a run is under way keeps the draft', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(mmap('0x200000000000'));
  const draft = [
    '# the draft being run when the page reloaded',
    ...Array.from({ length: 20_000 }, (_, i) =>
      mmap(
        `0x${(0x200000000000 + (i % 512) * 0x1000).toString(16)}`,
        i % 2 ? 'PROT_READ' : 'PROT_WRITE',
      ),
    ),
  ].join('\n');
  await app.paste(app.scenario(), draft);
  await app.runButton().click();
  await page.reload();
  await app.idle();
  await expect(app.scenario()).toContainText('# the draft being run when the page reloaded');
  expect(await page.evaluate(() => document.querySelectorAll('.cm-line').length)).toBeGreaterThan(
    1,
  );
});

test('run, type and reload at once: the draft comes back, not the example', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.paste(app.scenario(), mmap('0x200000000000'));
  await app.runButton().click();
  await app.scenario().press('End');
  await page.keyboard.type('\n# typed at once');
  await page.reload();
  await app.idle();
  await expect.poll(() => app.scenarioText()).toBe(`${mmap('0x200000000000')}\n# typed at once`);
});

test('a draft the browser cannot store is reported', async ({ page }) => {
  // A full quota: every write to storage is refused.
  await page.addInitScript(() => {
    Storage.prototype.setItem = () => {
      throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
    };
  });
  const app = new AppPage(page);
  await app.open();
  await app.paste(app.scenario(), '# a draft with nowhere to go');
  await expect(page.getByRole('alert', { name: 'Session' })).toContainText(
    'Could not save the draft in this browser (storage is full): copy the text before you leave.',
  );
});

test('a link opened later keeps the draft typed in a tab since closed', async ({ context }) => {
  const first = new AppPage(await context.newPage());
  await first.open();
  // The example's link first, then the run's: the link to open later.
  await expect.poll(() => new URL(first.page.url()).hash).not.toBe('');
  const example = first.page.url();
  await first.run(mmap('0x200000000000'));
  await expect.poll(() => first.page.url()).not.toBe(example);
  const link = first.page.url();
  await first.paste(first.scenario(), '# the draft of a tab since closed');
  await first.page.waitForTimeout(600);
  await first.page.close();

  const second = new AppPage(await context.newPage());
  await second.page.goto(link);
  await second.idle();
  await expect(second.scenario()).toContainText(mmap('0x200000000000'));
  await expect(second.page.getByRole('alert', { name: 'Session' })).toContainText(
    'the draft that was here is kept under Drafts',
  );
  await second.page.getByText(/^Drafts kept in this browser/).click();
  await second.page
    .getByRole('list', { name: 'Drafts' })
    .getByRole('button', { name: /^Open draft: # the draft of a tab since closed/ })
    .click();
  await expect(second.scenario()).toContainText('# the draft of a tab since closed');
});
