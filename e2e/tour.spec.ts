// SPDX-License-Identifier: GPL-2.0-or-later
// What the README shows of the app, each taken as a user gets there and
// checked before it is kept (`npm run screenshots` refreshes docs/).
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './app';

/** Keeps a screenshot with the run's results, and in docs/ when refreshing. */
async function keep(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: test.info().outputPath(`${name}.png`) });
  if (process.env.UPDATE_SCREENSHOTS)
    await page.screenshot({ path: `docs/screenshots/${name}.png` });
}

test.use({ viewport: { width: 1280, height: 720 } });

test('the editor: colours, completion and a mistyped call caught as it is typed', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.paste(
    app.scenario(),
    [
      '# Two neighbours, then a typo',
      'mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
      'mmprotect(0x200000001000, 4K, PROT_READ)',
      '',
    ].join('\n'),
  );
  await page.keyboard.type('mmap(NULL, 8K, PROT_READ, MAP_PR');
  await expect(page.getByRole('option', { name: /^MAP_PRIVATE/ })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Problems' })).toContainText(
    'unknown call mmprotect (did you mean mprotect?)',
  );
  await keep(page, 'editor');
});

test('a failed call explained: the step names the check and the kernel function', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      'mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000',
      'mprotect(0x200000000800, 4K, PROT_READ) = -1 EINVAL',
    ].join('\n'),
  );
  await app.goToStep('is not page aligned');
  const refusal = page.getByRole('region', { name: 'Reasons' });
  await expect(refusal).toContainText('EINVAL');
  await expect(refusal).toContainText('not page aligned');
  await expect(refusal).toContainText('do_mprotect_pkey');
  await keep(page, 'failed-call');
});
