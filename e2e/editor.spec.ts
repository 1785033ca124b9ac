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

test("marks the call on screen, and a click on a call's line goes to it", async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const first =
    'mmap(0x200000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
  await app.run([first, 'munmap(0x200000001000, 4K)', '@note("done")'].join('\n'));
  const marked = app.scenario().locator('[aria-current="step"]');
  await expect(marked).toHaveText('@note("done")');

  // A line's number goes to its call (CodeMirror hides its gutters from
  // assistive technology: Alt+Enter on the line does the same).
  const numbers = app.scenario().locator('..').locator('.cm-lineNumbers');
  await numbers.getByText('1', { exact: true }).click();
  await expect(marked).toHaveText(first);
  expect(await app.mapsLines()).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);

  // Stepping moves the mark with the call on screen.
  await app.button('Last step').click();
  await expect(marked).toHaveText('@note("done")');
  await app.scenario().getByText('munmap(').click();
  await expect(marked).toHaveText('@note("done")');
  await page.keyboard.press('Alt+Enter');
  await expect(marked).toHaveText('munmap(0x200000001000, 4K)');
  // Once the text changes, its lines are not the run's: nothing is marked.
  await app.scenario().focus();
  await page.keyboard.type(' ');
  await expect(app.scenario()).toContainText(' mmap(');
  await expect(marked).toHaveCount(0);
});

test('shows 20 lines at 1280×720, and wraps a long line instead of scrolling sideways', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 720 });
  const app = new AppPage(page);
  await app.open();
  const long = `mmap(NULL, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_POPULATE|MAP_NORESERVE|MAP_LOCKED|MAP_STACK|MAP_PRIVAT, -1, 0)`;
  await app.paste(app.scenario(), Array.from({ length: 30 }, () => long).join('\n'));
  await expect(page.getByRole('group', { name: 'Problems' })).toContainText('MAP_PRIVAT');
  const box = await app.scenario().evaluate((content) => {
    const scroller = content.parentElement!;
    const line = content.firstElementChild as HTMLElement;
    return {
      lines: scroller.clientHeight / parseFloat(getComputedStyle(line).lineHeight),
      sideways: scroller.scrollWidth - scroller.clientWidth,
    };
  });
  expect(box.lines).toBeGreaterThanOrEqual(19.5);
  expect(box.sideways).toBeLessThanOrEqual(0);
  await page.screenshot({ path: test.info().outputPath('editor-1280x720.png') });
});

test('checks the starting maps as they are typed, with their line and column', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  const maps = page.getByRole('textbox', { name: 'Starting maps' });
  await app.paste(
    maps,
    '200000000000-200000004000 rw-p 00000000 00:00 0\n200000004000-200000008000 rwzp 00000000 00:00 0',
  );
  const problems = page.getByRole('group', { name: 'Problems' });
  const position = problems.getByRole('button', { name: /^Starting maps, line 2, column \d+$/ });
  await expect(position).toBeVisible();
  await expect(problems).toContainText('permissions like rw-p');
  // Nothing was run: the previous result stays, and no alert is raised.
  await expect(app.alert()).toHaveCount(0);
  await position.click();
  await expect(maps).toBeFocused();
  await app.paste(maps, '200000000000-200000004000 rw-p 00000000 00:00 0');
  await expect(position).toHaveCount(0);
});
