// SPDX-License-Identifier: GPL-2.0-or-later
// Two recordings side by side: a recording of /bin/true and the same
// recording with one call's result changed (as a patched kernel might
// answer), chosen together through Compare recordings…; the panel names
// that call as the first divergence and marks its row. A damaged file is
// refused by line and column, and the comparison on screen stays.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './app';

const STOCK = readFileSync('src/engine/timeline/fixtures/true.recording.json', 'utf8');
const MPROTECT = 'mprotect(0x7f5d0bfa9000, 0x4000, PROT_READ)';

/** The recording with its first mprotect failing with ENOMEM. */
function patched(): string {
  const rec = JSON.parse(STOCK) as { spaces: { calls: { name: string; ret: string }[] }[] };
  rec.spaces[0].calls.find((c) => c.name === 'mprotect')!.ret = '0xfffffffffffffff4';
  return JSON.stringify(rec, null, 1);
}

const json = (name: string, text: string) => ({
  name,
  mimeType: 'application/json',
  buffer: Buffer.from(text),
});

/** Chooses two recordings as a user does: Compare recordings…, then the two files. */
async function compare(page: Page, a: [string, string], b: [string, string]): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Compare recordings…' }).click();
  await (await chooser).setFiles([json(...a), json(...b)]);
}

const panel = (page: Page) => page.getByRole('dialog', { name: 'Compare recordings' });

test('two recordings that differ by one result: the summary names the call, its row is marked', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await compare(page, ['stock.json', STOCK], ['patched.json', patched()]);
  const dialog = panel(page);
  await expect(dialog.getByRole('region', { name: 'Summary' })).toContainText(
    `First divergence: step 44, ${MPROTECT}: result 0 (A), -1 ENOMEM (B)`,
  );
  await expect(dialog.getByRole('region', { name: 'Summary' })).toContainText(
    '62 steps aligned: 61 alike, 1 different',
  );
  const table = dialog.getByRole('table', { name: 'Aligned steps' });
  await expect(table.getByRole('img', { name: 'step 44 differs: result' })).toBeVisible();
  await expect(table.getByRole('img', { name: /^step \d+ differs/ })).toHaveCount(1);
  const row = table.getByRole('row').filter({ has: page.getByRole('button', { name: 'Step 44' }) });
  await expect(row.getByRole('img', { name: 'differs in B' })).toHaveCount(1);
  await expect(row).toContainText('-1 ENOMEM');

  // The comparison opens at its first divergence, shown in detail.
  const details = dialog.getByRole('region', { name: 'Step 44 in A and B' });
  await expect(details.getByRole('list', { name: 'What differs' })).toHaveText(
    'result 0 (A), -1 ENOMEM (B)',
  );
  await expect(details).toContainText('The VMAs after it are the same.');

  // Another step, by the table and by the keys; back to the difference by Next difference.
  await table.getByRole('button', { name: 'Step 3', exact: true }).click();
  await expect(dialog.getByRole('region', { name: 'Step 3 in A and B' })).toContainText(
    'A and B agree at this step.',
  );
  await page.keyboard.press('ArrowDown');
  await expect(dialog.getByRole('region', { name: 'Step 4 in A and B' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Next difference' }).click();
  await expect(details).toBeVisible();
  await expect(table.getByRole('button', { name: 'Step 44' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );

  // The panel has the keys from the start: ↑ a step, n the next difference, Escape closes.
  await compare(page, ['stock.json', STOCK], ['stock again.json', STOCK]);
  await expect(dialog.getByRole('region', { name: 'Summary' })).toContainText(
    'No divergence: 62 steps alike.',
  );
  await compare(page, ['stock.json', STOCK], ['patched.json', patched()]);
  await expect(details).toBeVisible();
  await page.keyboard.press('ArrowUp');
  await expect(dialog.getByRole('region', { name: 'Step 43 in A and B' })).toBeVisible();
  await page.keyboard.press('n');
  await expect(details).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(panel(page)).toHaveCount(0);
  await compare(page, ['stock.json', STOCK], ['patched.json', patched()]);
  await dialog.getByRole('button', { name: 'Close comparison' }).click();
  await expect(panel(page)).toHaveCount(0);
});

test('a truncated recording is refused by line and column, and the comparison stays', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await compare(page, ['stock.json', STOCK], ['patched.json', patched()]);
  const summary = panel(page).getByRole('region', { name: 'Summary' });
  await expect(summary).toContainText('First divergence: step 44');

  await compare(page, ['stock.json', STOCK], ['cut.json', STOCK.slice(0, 20000)]);
  const alert = panel(page).getByRole('alert');
  await expect(alert).toContainText(/Could not compare: cut\.json:\d+:\d+: not JSON/);
  await expect(alert).toContainText('Still showing stock.json against patched.json.');
  await expect(summary).toContainText(`First divergence: step 44, ${MPROTECT}`);
});
