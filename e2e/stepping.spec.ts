// SPDX-License-Identifier: GPL-2.0-or-later
// Stepping as a teacher does it in front of a class: a run opens at its
// first step, the position and the engine's state are said, and the Steps
// list reads call first and is one Tab stop, the keys are listed, and a
// slider covers the whole run.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';
import { MERGE_THEN_SPLIT as SCENARIO, mmap } from './scenarios';

test.use({ viewport: { width: 1280, height: 720 } });

/** The highlighted row in Steps. */
const current = (app: AppPage) => app.steps().locator('[aria-current="step"]');

test('Run opens at the first step, said in the Step position; a link keeps its own step', async ({
  page,
  browser,
}) => {
  const app = new AppPage(page);
  await app.open();
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
  await app.paste(app.scenario(), SCENARIO);
  await app.runButton().click();
  await app.idle();
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
  await expect(current(app)).toContainText('mm_init');
  await expect(app.mapsRows()).toHaveCount(0);
  await expect(page.getByRole('status')).toHaveText('Engine idle');

  await app.goToStep('vma_expand');
  const position = (await app.stepPosition().textContent()) ?? '';
  const step = Number(/step (\d+)/.exec(position)?.[1]) - 1;
  await expect(page).toHaveURL(new RegExp(`&c=${step}$`));
  const url = page.url();
  const other = await browser.newContext();
  const otherApp = new AppPage(await other.newPage());
  await otherApp.page.goto(url);
  await otherApp.idle();
  await expect(otherApp.stepPosition()).toHaveText(position);
  await expect(current(otherApp)).toContainText('vma_expand');
  await other.close();
});

test('a first visit names the example it opens on', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const example = page.getByRole('combobox', { name: 'Example' });
  const selected = example.getByRole('option', { selected: true });
  await expect(selected).toHaveText(/^Opening example/);
  await expect(page.getByRole('note', { name: 'Example opened' })).toHaveText(
    (await selected.textContent()) ?? '',
  );
});

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
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
  // The example's title stays said, in the menu and beside the editor.
  await expect(page.getByRole('note', { name: 'Example opened' })).toHaveText(title ?? '');
  await expect(example.getByRole('option', { selected: true })).toHaveText(title ?? '');
  // Edited, the text is no longer the example.
  await app.paste(app.scenario(), SCENARIO);
  await expect(page.getByRole('note', { name: 'Example opened' })).toBeHidden();
  await expect(example.getByRole('option', { selected: true })).toHaveText('Open an example…');
});

test("each call's row heads its internal steps", async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  const rows = app.steps().getByRole('listitem');
  const texts = await rows.allInnerTexts();
  const call = texts.findIndex((t) => t.includes(`${mmap('0x200000000000')} = 0x200000000000`));
  const inner = texts.findIndex((t) => t.includes('__get_unmapped_area'));
  expect(call).toBeGreaterThan(0);
  expect(inner).toBe(call + 1);
  const munmap = texts.findIndex((t) => t.includes('munmap(0x200000001000, 0x2000) = 0'));
  expect(texts.slice(munmap + 1).some((t) => t.includes('vms_complete_munmap_vmas'))).toBe(true);
});

test('the Steps list is one Tab stop with its own ↑/↓/Home/End; ←/→ step there', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await page.keyboard.press('Home');
  const stepButtons = app.steps().getByRole('button');
  await expect(stepButtons.and(page.locator('[tabindex="0"]'))).toHaveCount(1);
  await current(app).getByRole('button').focus();
  await page.keyboard.press('ArrowDown');
  await expect(app.stepPosition()).toHaveText(/^step \d+ of \d+$/);
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  await expect(current(app).getByRole('button')).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(current(app)).toContainText('__get_unmapped_area');
  await page.keyboard.press('ArrowUp');
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  // ←/→ are not the list's: they step through time, and the focus follows.
  await page.keyboard.press('ArrowRight');
  await expect(current(app)).toContainText('__get_unmapped_area');
  await expect(current(app).getByRole('button')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(app.stepPosition()).toHaveText(/^step 1 of /);
  // Tab leaves the list at once.
  await page.keyboard.press('Tab');
  await expect(app.steps().getByRole('button').and(page.locator(':focus'))).toHaveCount(0);
});

test('? and the Keys button open the keys; Escape closes them', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.addressSpace().click();
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keys' });
  await expect(dialog).toBeVisible();
  const keys = dialog.getByRole('table', { name: 'Keys anywhere on the page' });
  for (const [key, does] of [
    ['←', 'Back one step'],
    ['Shift+→', 'Forward one system call'],
    ['Space', 'Play or pause'],
    ['?', 'Show these keys'],
  ])
    await expect(keys.getByRole('row', { name: `${key} ${does}` })).toBeVisible();
  await page.screenshot({ path: test.info().outputPath('keys.png') });
  // The page behind keeps its step while the dialog has the keys.
  const position = (await app.stepPosition().textContent()) ?? '';
  await page.keyboard.press('ArrowRight');
  await expect(app.stepPosition()).toHaveText(position);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await app.button('Keys').click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
});

test('the Step slider covers the run, with the calls marked, and moves the step', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.paste(app.scenario(), SCENARIO);
  await app.runButton().click();
  await app.idle();
  const slider = page.getByRole('slider', { name: 'Step' });
  const total = Number(/of (\d+)/.exec((await app.stepPosition().textContent()) ?? '')?.[1]);
  await expect(slider).toHaveAttribute('min', '0');
  await expect(slider).toHaveAttribute('max', String(total - 1));
  await expect(slider).toHaveValue('0');
  await expect(page.locator('.scrubber-marks span')).toHaveCount(3);
  await slider.fill(String(total - 1));
  await expect(app.stepPosition()).toHaveText(`step ${total} of ${total}`);
  await expect(current(app)).toContainText('munmap(0x200000001000, 0x2000) = 0');
  await slider.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(app.stepPosition()).toHaveText(`step ${total - 1} of ${total}`);
  await app.button('Step back').click();
  await expect(slider).toHaveValue(String(total - 3));
});

test("Shift-stepping shows the whole call's change in maps", async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await page.keyboard.press('Home');
  await page.keyboard.press('Shift+ArrowRight');
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  const changed = app.maps().getByRole('row', { description: /changed by this step/ });
  await expect(changed).toHaveText(['200000000000-200000002000 rw-p 00000000 00:00 0 ']);
  // Reached one internal step at a time, the call's own step changes nothing more.
  await page.keyboard.press('ArrowLeft');
  await page.keyboard.press('ArrowRight');
  await expect(current(app)).toContainText(`${mmap('0x200000000000')} = 0x200000000000`);
  await expect(app.maps()).toHaveAttribute('aria-busy', 'false');
  await expect(changed).toHaveCount(0);
});

test('Shift-stepping animates the address space from the state before the call', async ({
  page,
}) => {
  await page.emulateMedia({ reducedMotion: 'no-preference' });
  const app = new AppPage(page);
  await app.open();
  await app.run(
    [
      'mmap(0x200000000000, 64K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      'mprotect(0x200000004000, 16K, PROT_READ)',
    ].join('\n'),
  );
  await app.button('First step').click();
  await page.keyboard.press('Shift+ArrowRight');
  await app.idle();
  const whole = app.vmaDrawn('200000000000-200000010000 rw-p 00000000 00:00 0');
  await expect(whole).toBeVisible();
  const final = await whole.boundingBox();
  // mprotect's call divides the VMA in three; the middle keeps the
  // vm_area_struct (__split_vma() cuts the sides off), so it shrinks from
  // the whole VMA the step before the call showed.
  await page.keyboard.press('Shift+ArrowRight');
  const middle = app.vmaDrawn('200000004000-200000008000 r--p 00000000 00:00 0');
  await expect(middle).toHaveCount(1);
  const during = await middle.boundingBox();
  await page.waitForTimeout(700);
  const after = await middle.boundingBox();
  expect(final && during && after).toBeTruthy();
  // Mid-way it is still wider than where it ends, on its way from the whole VMA.
  expect(during!.width).toBeGreaterThan(after!.width + 2);
  expect(during!.width).toBeLessThanOrEqual(final!.width + 1);
});
