// SPDX-License-Identifier: GPL-2.0-or-later
// Kernel recordings in the app: a recording made with `npm run judge --
// --events` dropped on the page, or shipped with an example, marks each call
// the kernel confirmed, and shows one that differs side by side, named.
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { KernelEvent } from '../src/engine';
import { AppPage } from './app';

const RECORDING = readFileSync('public/scenarios/default.events.json', 'utf8');

/** Drops a file on the page as a user does, by a `drop` event carrying it. */
async function dropFile(page: Page, target: Locator, name: string, text: string): Promise<void> {
  const dataTransfer = await page.evaluateHandle(
    ([n, t]) => {
      const data = new DataTransfer();
      data.items.add(new File([t], n, { type: 'application/json' }));
      return data;
    },
    [name, text] as const,
  );
  await target.dispatchEvent('drop', { dataTransfer });
}

const kernelEvents = (page: Page) => page.getByRole('region', { name: 'Kernel events' });
/** The mark beside a call in the Steps list, by its line and its words. */
const mark = (app: AppPage, line: number, words: 'confirmed by' | 'differs from') =>
  app.steps().getByRole('img', { name: `line ${line}: ${words} the kernel` });

test('a dropped recording confirms a call, and shows an altered one as different', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  // The Steps list draws the rows in view: stand at the start, where lines 4 and 6 are
  // (a run opens there; the button is for a page that did not).
  const first = app.button('First step');
  if (await first.isEnabled()) await first.click();
  await dropFile(page, app.steps(), 'default.events.json', RECORDING);
  await expect(kernelEvents(page)).toContainText('Compared with default.events.json');
  await expect(mark(app, 4, 'confirmed by')).toBeVisible();
  await expect(mark(app, 6, 'confirmed by')).toBeVisible();

  // The same recording, with the kernel taking another path for line 6's store.
  const altered = JSON.parse(RECORDING) as { results: { line: number; events: KernelEvent[] }[] };
  const call = altered.results.find((r) => r.line === 6)!;
  const store = call.events.filter((e) => e.kind === 'ma_write').at(-1)!;
  const fn = store.fn;
  store.fn = 'mas_wr_altered';
  await dropFile(page, app.steps(), 'altered.events.json', JSON.stringify(altered));
  await expect(kernelEvents(page)).toContainText('Compared with altered.events.json');
  await expect(mark(app, 6, 'differs from')).toBeVisible();
  await expect(mark(app, 4, 'confirmed by')).toBeVisible();

  await app.goToStep('mmap(0x200000004000');
  const panel = kernelEvents(page);
  await expect(panel).toContainText('Differs from the kernel');
  await expect(panel.getByRole('list', { name: 'Differences from the kernel' })).toContainText(
    `fn ${fn} (model), mas_wr_altered (kernel)`,
  );
  const table = panel.getByRole('table', { name: 'Model and kernel events' });
  await expect(table.getByRole('row').filter({ hasText: 'mas_wr_altered' })).toHaveCount(1);
  await expect(app.mapleTree()).toContainText(/kernel .*mas_wr_altered \(different\)/);
});

test('an example opens with its recording, each recorded call marked', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page
    .getByRole('combobox', { name: 'Example' })
    .selectOption({ label: 'Merge with the next VMA' });
  await app.idle();
  await expect(kernelEvents(page)).toContainText('Compared with merge-with-next.events.json');
  // Every call but the notes is confirmed: the model agrees with the kernel.
  const calls = app.steps().getByRole('img', { name: /^line \d+: .* the kernel$/ });
  await expect(calls.first()).toBeVisible();
  const scn = readFileSync('public/scenarios/merge-with-next.scn', 'utf8');
  const marked = scn.split('\n').filter((l) => /^[a-z]/.test(l)).length;
  await expect(calls).toHaveCount(marked);
  const confirmed = app.steps().getByRole('img', { name: /^line \d+: confirmed by the kernel$/ });
  await expect(confirmed).toHaveCount(marked);
  // The Kernel events panel shows the kernel's events of the call on screen
  // (the example opens at its first step, the starting state, before any call).
  await app.goToStep('mmap(');
  await expect(kernelEvents(page)).toContainText("in the judge's process");
  const table = kernelEvents(page).getByRole('table', { name: 'Model and kernel events' });
  await expect(table.getByRole('columnheader', { name: 'Kernel' })).toBeVisible();
  await expect(table).toContainText('ma_write mas_store_prealloc');
  await kernelEvents(page).getByRole('button', { name: 'Close recording' }).click();
  await expect(calls).toHaveCount(0);
});

test('a recording of another scenario, or a damaged one, is refused and says why', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run('mmap(0x200000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)');
  await dropFile(page, app.steps(), 'default.events.json', RECORDING);
  const alert = kernelEvents(page).getByRole('alert');
  await expect(alert).toContainText(
    'Could not use the recording default.events.json:1:1: it is a recording of another ' +
      'scenario: at line 1 the scenario has mmap(0x200000000000, 4K,',
  );
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toHaveCount(0);

  // Chosen with Open recording…: not JSON, reported by line and column.
  const chooser = page.waitForEvent('filechooser');
  await kernelEvents(page).getByRole('button', { name: 'Open recording…' }).click();
  await (
    await chooser
  ).setFiles({
    name: 'bad.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"results": [\n  {"line": 1, "events": [],}]}'),
  });
  await expect(alert).toContainText('Could not use the recording bad.json:2:');
  await expect(kernelEvents(page)).toContainText('No kernel recording');
});
