// SPDX-License-Identifier: GPL-2.0-or-later
// What the README shows of the app, each taken as a user gets there and
// checked before it is kept (`npm run screenshots` refreshes docs/).
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './app';
import { largeSpace } from './scenarios';

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

test('a large space: the step’s 64 KiB hole in view, the whole space above it', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const { maps, at } = largeSpace(4980);
  const hole = at(3000) + 0x10000;
  const hex = (a: number) => '0x' + a.toString(16);
  await page.getByText('Start from a /proc/PID/maps or smaps dump').click();
  await app.paste(page.getByRole('textbox', { name: 'Starting maps' }), maps);
  await app.run(`munmap(${hex(hole)}, 0x10000)`);
  await app.goToStep(`clear [${hex(hole)}`);
  const space = app.addressSpace();
  const change = `This step’s change: ${hex(hole)}–${hex(hole + 0x10000)} (64 KiB)`;
  await expect(space.getByRole('img', { name: change, exact: true })).toHaveCount(2);
  await expect(
    space.getByRole('region', { name: 'Overview of the whole space' }).getByRole('slider', {
      name: 'VMAs shown',
    }),
  ).toHaveAttribute('aria-valuetext', /^VMAs 2,9\d\d–3,0\d\d of 4,981: 0x/);
  await space.scrollIntoViewIfNeeded();
  await keep(page, 'large-space');
});

test('a quiz question: what happens next, asked before the step shows it', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.button('Quiz').click();
  const quiz = page.getByRole('region', { name: 'Quiz' });
  await expect(quiz).toContainText(/Question 1 of \d+/);
  const question = quiz.getByRole('form');
  await expect(question.getByRole('radio').first()).toBeVisible();
  // The Reasons do not give the answer away: the call's later decisions stay hidden.
  await expect(page.getByRole('region', { name: 'Reasons' })).not.toContainText(
    'Merge decisions in this call',
  );
  await question.getByRole('radio').first().check();
  await expect(question.getByRole('button', { name: 'Check answer' })).toBeEnabled();
  await keep(page, 'quiz');
});
