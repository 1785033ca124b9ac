// SPDX-License-Identifier: GPL-2.0-or-later
// Quiz mode as a student meets it: an example opened, Quiz turned on, the
// timeline stopped before each answer, one question answered right and one
// wrong with its reasons, Next question moving on; then a quiz on a
// scenario the seeded generator makes, which keeps the text it replaces.
import { expect, test, type Page } from '@playwright/test';
import { generateScenario, quizOf, runScenario } from '../src/engine';
import { AppPage } from './app';

const quiz = (page: Page) => page.getByRole('region', { name: 'Quiz' });
const question = (page: Page, prompt: string) =>
  quiz(page).getByRole('form', { name: prompt, exact: true });

async function openExample(app: AppPage, file: string): Promise<void> {
  await app.open();
  await app.page.getByRole('combobox', { name: 'Example' }).selectOption(file);
  await app.idle();
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
}

test('a quiz on an example: held at each question, one answered wrong, one right', async ({
  page,
}) => {
  const app = new AppPage(page);
  await openExample(app, 'mprotect-split-and-remerge.scn');
  const toggle = app.button('Quiz');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(quiz(page)).toBeVisible();
  await expect(quiz(page)).toContainText('Question 1 of 5 · 0 right of 0 answered');

  // The quiz stops on the step before the decision: the split mprotect's first step.
  await expect(app.stepPosition()).toHaveText('step 4 of 14');
  const first = question(
    page,
    'mprotect(0x200000001000, 4K, PROT_READ): does vma_merge_existing_range merge the range with a neighbouring VMA?',
  );
  await expect(first).toBeVisible();
  // Stepping on would show the answer: the timeline stays, and says why.
  await app.button('Step forward').click();
  await page.keyboard.press('End');
  await expect(app.stepPosition()).toHaveText('step 4 of 14');
  await expect(quiz(page)).toContainText('The quiz stopped here, before the answer');

  // Wrong: the verdict, the answer marked, and the reasons.
  await first.getByRole('radio', { name: 'Yes, it merges' }).check();
  await first.getByRole('button', { name: 'Check answer' }).click();
  const verdict = first.getByRole('status');
  await expect(verdict).toContainText('Not quite.');
  await expect(verdict).toContainText('The answer is marked.');
  await expect(verdict).toContainText(
    'vma_merge_existing_range: no merge for [0x200000001000, 0x200000002000): the range touches neither end of the VMA',
  );
  await expect(quiz(page)).toContainText('Question 1 of 5 · 0 right of 1 answered');
  // The step that reveals it is on screen, its reasons with it.
  await expect(app.stepPosition()).toHaveText('step 5 of 14');
  await expect(page.getByRole('region', { name: 'Reasons' })).toContainText(
    'the range touches neither end of the VMA',
  );

  await app.button('Next question').click();
  const split = question(
    page,
    'mprotect(0x200000001000, 4K, PROT_READ): where does __split_vma split vma1 [0x200000000000, 0x200000003000)?',
  );
  await expect(split).toBeVisible();
  // The new question has the focus Next question had.
  await expect(split.getByRole('radio').first()).toBeFocused();
  await split.getByRole('radio', { name: '0x200000001000' }).check();
  await split.getByRole('button', { name: 'Check answer' }).click();
  await expect(split.getByRole('status')).toContainText('Right.');
  await expect(split.getByRole('status')).toContainText('split vma1 at 0x200000001000');
  await expect(quiz(page)).toContainText('Question 2 of 5 · 1 right of 2 answered');
  await expect(app.stepPosition()).toHaveText('step 6 of 14');

  // Next question goes on to the step before the remerge.
  await app.button('Next question').click();
  await expect(app.stepPosition()).toHaveText('step 10 of 14');
  await expect(quiz(page)).toContainText('Question 3 of 5');
  const merge = question(
    page,
    'mprotect(0x200000001000, 4K, PROT_READ|PROT_WRITE): does vma_merge_existing_range merge the range with a neighbouring VMA?',
  );
  await merge.getByRole('radio', { name: 'Yes, it merges' }).check();
  await merge.getByRole('button', { name: 'Check answer' }).click();
  await expect(merge.getByRole('status')).toContainText('Right.');
  // The next two ask at the same step: its answer would give theirs away.
  await expect(app.stepPosition()).toHaveText('step 10 of 14');
  await app.button('Next question').click();
  const survivor = question(
    page,
    'vma_merge_existing_range merges: which VMA survives, grown over the range?',
  );
  await survivor.getByRole('radio', { name: /^vma2 / }).check();
  await survivor.getByRole('button', { name: 'Check answer' }).click();
  await expect(survivor.getByRole('status')).toContainText('vma2 grows over vma1 and vma3');
  await expect(app.stepPosition()).toHaveText('step 10 of 14');
  await app.button('Next question').click();
  const maps = question(
    page,
    'Which maps lines follow mprotect(0x200000001000, 4K, PROT_READ|PROT_WRITE)?',
  );
  await expect(maps.getByRole('radio')).toHaveCount(3);
  await maps
    .getByRole('radio', { name: '200000000000-200000003000 rw-p 00000000 00:00 0' })
    .check();
  await maps.getByRole('button', { name: 'Check answer' }).click();
  await expect(maps.getByRole('status')).toContainText('Right.');
  // Its answer is the whole call's: the call's own step.
  await expect(app.stepPosition()).toHaveText('step 13 of 14');
  await app.button('See the score').click();
  await expect(quiz(page)).toContainText('Quiz done: 4 of 5 right.');
  await expect(quiz(page).getByRole('radio')).toHaveCount(0);

  // Off, the timeline is free again.
  await toggle.click();
  await expect(quiz(page)).toBeHidden();
  await app.toLastStep();
  await expect(app.stepPosition()).toHaveText('step 14 of 14');
});

test('a quiz on a generated scenario: the seed’s scenario runs, the text it replaces is kept', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const before = (await app.scenarioText()).split('\n')[0];
  await app.button('Quiz').click();
  await quiz(page).getByRole('spinbutton', { name: 'Seed' }).fill('3');
  await quiz(page).getByRole('button', { name: 'Quiz on a generated scenario' }).click();
  await app.idle();

  const text = generateScenario(3, 24);
  await expect.poll(async () => (await app.scenarioText()).trimEnd()).toBe(text.trimEnd());
  const run = runScenario(text, 'scenario');
  if (!run.ok) throw new Error('the generated scenario does not run');
  const questions = quizOf(run);
  expect(questions.length).toBeGreaterThan(1);
  const [q] = questions;
  await expect(quiz(page)).toContainText(`Question 1 of ${questions.length}`);
  await expect(app.stepPosition()).toHaveText(`step ${q.stop + 1} of ${run.steps.length}`);

  const card = question(page, q.prompt);
  const right = q.choices.find((c) => c.id === q.answer)?.label ?? '';
  await card.getByRole('radio', { name: right, exact: true }).check();
  await card.getByRole('button', { name: 'Check answer' }).click();
  await expect(card.getByRole('status')).toContainText('Right.');
  await expect(card.getByRole('status')).toContainText(q.reasons[0]);
  await expect(quiz(page)).toContainText('1 right of 1 answered');

  // The example the generated scenario replaced is a draft, one click away.
  await page.getByText('Drafts kept in this browser').click();
  await expect(page.getByRole('list', { name: 'Drafts' }).getByRole('button')).toContainText([
    `Open draft: ${before}`,
  ]);
});
