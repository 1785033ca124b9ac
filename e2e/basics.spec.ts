// SPDX-License-Identifier: GPL-2.0-or-later
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const MMAP =
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
const LINE = '200000000000-200000004000 rw-p 00000000 00:00 0 ';

test('opens on the default example, already run', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await expect(app.scenario()).toContainText('mmap(0x200000000000, 16K');
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
  await app.toLastStep();
  await expect(app.mapsRows()).toHaveCount(3);
  await expect(app.vmasDrawn()).toHaveCount(3);
  await expect(app.mapleTree()).toContainText('mm_mt holds 3 VMAs in 1 node (1 leaf), height 1');
  await expect(app.steps().getByRole('listitem').first()).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('default-example.png') });
  // `npm run screenshots` refreshes the README's picture; a test run leaves docs/ alone.
  if (process.env.UPDATE_SCREENSHOTS) await page.screenshot({ path: 'docs/screenshot.png' });
});

test('runs a typed mmap and shows the kernel maps line and one VMA', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MMAP);
  await expect(app.mapsRows()).toHaveCount(1);
  expect(await app.mapsLines()).toEqual([LINE]);
  await expect(app.vmasDrawn()).toHaveCount(1);
  await expect(app.vmasDrawn().first()).toHaveAccessibleName(LINE.trimEnd());
});

test('a malformed line shows an alert with line and column and keeps the result', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MMAP);
  await app.run(
    `${MMAP}\nmmap(0x200000010000, 0x1000, PROT_READ|PROT_WRTE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
  await expect(app.alert()).toContainText(
    'Line 2, column 40: unknown flag PROT_WRTE (did you mean PROT_WRITE?)',
  );
  // The text the user typed stays too: nothing of their work is lost.
  await expect(app.scenario()).toContainText('PROT_WRTE');
  expect(await app.mapsLines()).toEqual([LINE]);
  await expect(app.vmasDrawn()).toHaveCount(1);
});

test('steps back and forward through a merge and a split, and plays', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      MMAP,
      'mmap(0x200000004000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      'munmap(0x200000002000, 0x4000)',
    ].join('\n'),
  );
  expect(await app.mapsLines()).toEqual([
    '200000000000-200000002000 rw-p 00000000 00:00 0 ',
    '200000006000-200000008000 rw-p 00000000 00:00 0 ',
  ]);
  await app.button('First step').click();
  await expect(app.mapsRows()).toHaveCount(0);
  await expect(app.button('Step back')).toBeDisabled();
  // Forward to the merge: vma_expand grows the first VMA over the second mmap.
  const merge = app.steps().getByRole('button', { name: /vma_expand/ });
  await merge.click();
  expect(await app.mapsLines()).toEqual(['200000000000-200000008000 rw-p 00000000 00:00 0 ']);
  await app.button('Step back').click();
  await app.button('Step forward').click();
  await expect(app.steps().locator('[aria-current="step"]')).toContainText('vma_expand');
  await app.button('Last step').click();
  await expect(app.mapsRows()).toHaveCount(2);
  await app.button('Play').click();
  await expect(app.button('Pause')).toBeVisible();
  await expect(app.button('Play')).toBeVisible({ timeout: 15_000 });
  await expect(app.mapsRows()).toHaveCount(2);
});

test('opens an example from the library and runs it', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page
    .getByRole('combobox', { name: 'Example' })
    .selectOption({ label: 'Filling a hole merges three ranges into one' });
  await app.idle();
  await expect(app.scenario()).toContainText('# Filling a hole merges three ranges into one');
  await app.toLastStep();
  expect(await app.mapsLines()).toEqual(['200000000000-200000003000 rw-p 00000000 00:00 0 ']);
});

test('starts from a pasted /proc maps dump', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  const maps = page.getByRole('textbox', { name: 'Starting maps' });
  await maps.fill('200000000000-200000002000 rw-p 00000000 00:00 0 \n');
  await app.run(
    'mmap(0x200000002000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  );
  expect(await app.mapsLines()).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);
  await maps.fill('200000000000-20000000200 rw-p\n');
  await app.runButton().click();
  await app.idle();
  await expect(app.alert()).toContainText('Starting maps, line 1, column 30');
  expect(await app.mapsLines()).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);
});

test('draws thousands of VMAs on a canvas that zooms', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const hex = (n: number) => n.toString(16);
  const lines = Array.from({ length: 3000 }, (_, i) => {
    const start = 0x200000000000 + i * 0x3000;
    return `${hex(start)}-${hex(start + 0x1000)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `;
  });
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  await app.paste(page.getByRole('textbox', { name: 'Starting maps' }), lines.join('\n'));
  await app.run('munmap(0x200000000000, 0x1000)');
  const drawn = app.addressSpace().getByRole('img', { name: '2999 VMAs' });
  await expect(drawn).toBeVisible();
  // The table says how many lines it has and draws the ones in view.
  await expect(app.maps()).toHaveAttribute('aria-rowcount', '2999');
  await expect(app.mapsRows().first()).toContainText('200000003000-200000004000 r--p');
  await drawn.hover();
  await page.mouse.wheel(0, -600);
  await expect(app.button('Reset zoom')).toBeVisible();
  await page.screenshot({ path: 'test-results/large-space.png' });
  await app.button('Reset zoom').click();
  await expect(app.button('Reset zoom')).toBeHidden();
});
