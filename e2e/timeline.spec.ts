// SPDX-License-Identifier: GPL-2.0-or-later
// Stepping at both levels, and a timeline that survives reloads, shared links
// and a crashed worker.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';
import { MERGE_THEN_SPLIT as SCENARIO, mmap } from './scenarios';

/** The text of the highlighted row in Steps. */
const current = (app: AppPage) => app.steps().locator('[aria-current="step"]');

test('steps by internal step and by system call, with keys and buttons', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await page.keyboard.press('Home');
  await expect(current(app)).toContainText('mm_init');
  await page.keyboard.press('ArrowRight');
  await expect(current(app)).toContainText('__get_unmapped_area');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  await page.keyboard.press('Shift+ArrowRight');
  await expect(current(app)).toContainText(`${mmap('0x200000002000')} = 0x200000002000`);
  expect(await app.mapsLines()).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);
  await page.keyboard.press('ArrowLeft');
  await expect(current(app)).toContainText('vma_expand');
  await app.button('Step forward').click({ modifiers: ['Shift'] });
  await expect(current(app)).toContainText(`${mmap('0x200000002000')} = 0x200000002000`);
  await app.button('Step back').click({ modifiers: ['Shift'] });
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  await page.keyboard.press('End');
  await expect(current(app)).toContainText('munmap(0x200000001000, 0x2000) = 0');
  expect(await app.mapsLines()).toEqual([
    '200000000000-200000001000 rw-p 00000000 00:00 0 ',
    '200000003000-200000004000 rw-p 00000000 00:00 0 ',
  ]);
  // The last click left the focus on a button; a click on the page moves it away.
  await app.addressSpace().click();
  await page.keyboard.press('Space');
  await expect(app.button('Pause')).toBeVisible();
  await page.keyboard.press('Space');
  await expect(app.button('Play')).toBeVisible();
});

test('a reload and a shared link open the same scenario at the same step', async ({
  page,
  browser,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await app
    .steps()
    .getByRole('button', { name: /vma_expand/ })
    .click();
  const position = await page.getByText(/^step \d+ of \d+$/).textContent();
  const step = Number(/step (\d+)/.exec(position ?? '')?.[1]) - 1;
  await expect(page).toHaveURL(new RegExp(`#v=1&e=[\\w.-]+&s=[\\w-]+&k=linux-6\\.18&c=${step}$`));
  const url = page.url();

  await page.reload();
  await app.idle();
  await expect.poll(() => app.scenarioText()).toBe(SCENARIO);
  await expect(current(app)).toContainText('vma_expand');

  // Another browser context: no autosave, only the link.
  const other = await browser.newContext();
  const otherPage = await other.newPage();
  const otherApp = new AppPage(otherPage);
  await otherPage.goto(url);
  await otherApp.idle();
  await expect.poll(() => otherApp.scenarioText()).toBe(SCENARIO);
  await expect(current(otherApp)).toContainText('vma_expand');
  expect(await otherApp.mapsLines()).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);
  await other.close();
});

test('typing is autosaved and survives a reload', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await app.scenario().fill(SCENARIO + '\n# not run yet');
  await page.reload();
  await app.idle();
  await expect.poll(() => app.scenarioText()).toBe(SCENARIO + '\n# not run yet');
  await expect(app.mapsRows()).toHaveCount(2);
});

/**
 * Kills the engine worker at the vma_expand step of SCENARIO and checks the
 * app says `message`, replays to that step, and runs on the new worker.
 */
async function recoversFrom(app: AppPage, kill: () => Promise<void>, message: string) {
  await app.open();
  await app.run(SCENARIO);
  await app
    .steps()
    .getByRole('button', { name: /vma_expand/ })
    .click();
  await kill();
  await expect(app.alert()).toContainText(message, { timeout: 20_000 });
  await app.idle();
  await expect(current(app)).toContainText('vma_expand');
  // The new worker works.
  await app.run(mmap('0x200000100000'));
  expect(await app.mapsLines()).toEqual(['200000100000-200000102000 rw-p 00000000 00:00 0 ']);
}

test('a crashed worker is restarted and replayed to the same step', async ({ page }) => {
  const app = new AppPage(page);
  await recoversFrom(
    app,
    () =>
      page.workers()[0].evaluate(() => {
        setTimeout(() => {
          throw new Error('simulated engine crash');
        });
      }),
    'restarted and replayed to this step',
  );
});

test('a worker that dies without a word is found by its heartbeat and replayed', async ({
  page,
}) => {
  const app = new AppPage(page);
  await recoversFrom(
    app,
    async () => {
      // The worker closes itself: no error event, no answer to anything from now on.
      await page.workers()[0].evaluate(() => {
        setTimeout(() => self.close());
      });
      await app.runButton().click();
      await expect(page.getByRole('status')).toHaveText('Engine running');
    },
    'The engine worker stopped answering and was restarted.',
  );
});

test('a long run shows its progress and can be cancelled, keeping the result', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  const long = Array.from(
    { length: 150_000 },
    (_, i) =>
      `mmap(0x${(0x200000000000 + (i % 512) * 0x1000).toString(16)}, 0x1000, ${i % 2 ? 'PROT_READ' : 'PROT_READ|PROT_WRITE'}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  ).join('\n');
  await app.paste(app.scenario(), long);
  await app.runButton().click();
  await expect(page.getByRole('progressbar', { name: 'Run progress' })).toBeVisible();
  await expect(page.getByText(/^call [1-9]\d* of 150000$/)).toBeVisible();
  await app.button('Cancel').click();
  // (A 15 MB draft does not fit the autosave: that is said in an alert of its own.)
  await expect(app.alert().filter({ hasText: 'Run cancelled.' })).toBeVisible();
  await app.idle();
  expect(await app.mapsLines()).toEqual([
    '200000000000-200000001000 rw-p 00000000 00:00 0 ',
    '200000003000-200000004000 rw-p 00000000 00:00 0 ',
  ]);
  // The engine answers again, in a fresh worker.
  await app.run(mmap('0x200000100000'));
  expect(await app.mapsLines()).toEqual(['200000100000-200000102000 rw-p 00000000 00:00 0 ']);
});

test('a VMA picked in maps is picked in the address space; changes and smaps are shown', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  const rows = app.mapsRows();
  await rows.nth(1).click();
  await expect(rows.nth(1)).toHaveAttribute('aria-current', 'true');
  await expect(app.vmasDrawn().nth(1)).toHaveAttribute('aria-current', 'true');
  await rows.nth(1).click();
  await expect(app.vmasDrawn().nth(1)).not.toHaveAttribute('aria-current', 'true');

  // The first split of the munmap makes a new VMA below the hole, and changes the old one.
  await app
    .steps()
    .getByRole('button', { name: /__split_vma/ })
    .first()
    .click();
  await expect(rows.nth(0)).toHaveAccessibleDescription('changed by this step');
  await expect(rows.nth(1)).toHaveAccessibleDescription('changed by this step');
  // The call's own final step changes nothing more.
  await page.keyboard.press('End');
  await expect(rows.nth(0)).toHaveAccessibleDescription('');
  await app
    .steps()
    .getByRole('button', { name: /__mmap_new_vma/ })
    .click();
  await expect(rows).toHaveCount(1);
  await expect(rows.nth(0)).toHaveAccessibleDescription('changed by this step');

  await page.getByRole('checkbox', { name: 'Show smaps VmFlags' }).check();
  await expect(rows.nth(0)).toContainText('VmFlags: rd wr mr mw me ac');

  await page.getByRole('combobox', { name: 'Speed' }).selectOption('30');
  await app.button('Play').click();
  await expect(app.button('Play')).toBeVisible({ timeout: 5_000 });
  await expect(page.getByText(/^step (\d+) of \1$/)).toBeVisible();
});
