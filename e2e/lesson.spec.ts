// SPDX-License-Identifier: GPL-2.0-or-later
// A guided lesson, as a student takes it: open it from Lessons, then Next
// from checkpoint to checkpoint to Finish, answering its questions. At each
// checkpoint the timeline stands at the checkpoint's step (the engine's,
// computed here from the same file) and the screen shows its prose, the maps
// it states and, in the maps view, those same lines. A lesson file that does
// not read is refused with its line and column.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Page, type TestInfo } from '@playwright/test';
import { checkpointStep, parseLesson, runScenario, type Lesson } from '../src/engine';
import { AppPage } from './app';

const index = JSON.parse(readFileSync('public/lessons/index.json', 'utf8')) as {
  file: string;
  title: string;
}[];

function lessonFile(file: string): { lesson: Lesson; positions: string[] } {
  const read = parseLesson(readFileSync(`public/lessons/${file}`, 'utf8'), file);
  if (!read.ok) throw new Error(`${file} does not read`);
  const out = runScenario(read.lesson.scenario, file);
  if (!out.ok) throw new Error(`${file} does not run`);
  const outline = {
    calls: out.calls,
    stepCall: (s: number) => out.steps[s].call,
    stepFn: (s: number) => out.steps[s].fn,
  };
  const positions = read.lesson.checkpoints.map((cp) => {
    const step = checkpointStep(cp, outline);
    if (step === null) throw new Error(`${file}:${cp.fileLine} finds no step`);
    return `step ${step + 1} of ${out.steps.length}`;
  });
  return { lesson: read.lesson, positions };
}

/**
 * Keeps a screenshot of a checkpoint as a test artefact (UPDATE_SCREENSHOTS=1
 * also refreshes the one the README shows).
 */
async function keepScreenshot(page: Page, info: TestInfo, checkpoint: number) {
  const path = join(info.project.outputDir, 'screenshots', 'lesson.png');
  await page.screenshot({ path });
  await info.attach(`checkpoint ${checkpoint + 1}`, { path, contentType: 'image/png' });
  if (process.env.UPDATE_SCREENSHOTS)
    await page.screenshot({ path: 'docs/screenshots/lesson.png' });
}

/** A paragraph of prose as the page reads it: code runs lose their backquotes. */
const shownText = (prose: string) => prose.replaceAll('`', '');

test('lesson 1 from start to end: each checkpoint at its step, its prose, maps and questions', async ({
  page,
}, testInfo) => {
  const app = new AppPage(page);
  await app.open();
  await app.run('# my own scenario\nmunmap(0x200000000000, 4K) = 0');

  await app.button('Lessons').click();
  const list = page.getByRole('list', { name: 'Lessons' });
  await expect(list.getByRole('button')).toHaveText(index.map((e) => e.title));
  await list.getByRole('button', { name: index[0].title }).click();
  await expect(list).toBeHidden();

  const { lesson, positions } = lessonFile(index[0].file);
  const panel = page.getByRole('region', { name: 'Lesson' });
  await expect(panel.getByRole('heading', { name: lesson.title })).toBeFocused();
  await expect(app.scenario()).toHaveText(lesson.scenario.split('\n').join(''));
  // The text the lesson replaced is kept as a draft.
  await page.getByText(/^Drafts kept in this browser/).click();
  await expect(
    page
      .getByRole('list', { name: 'Drafts' })
      .getByRole('button', { name: /^Open draft: # my own scenario/ }),
  ).toBeVisible();
  await page.getByText(/^Drafts kept in this browser/).click();

  const total = lesson.checkpoints.length;
  let wrongOnce = false;
  let shot = false;
  for (const [i, cp] of lesson.checkpoints.entries()) {
    await expect(panel.getByText(`Checkpoint ${i + 1} of ${total}`)).toBeVisible();
    await expect(app.stepPosition()).toHaveText(positions[i]);
    for (const p of cp.prose) await expect(panel.getByText(shownText(p))).toBeVisible();
    const stated = panel.getByRole('figure', { name: '/proc/PID/maps here' });
    if (cp.maps) {
      await expect(stated).toContainText(cp.maps.join('\n'));
      expect((await app.mapsLines()).map((l) => l.trimEnd())).toEqual(cp.maps);
    } else {
      await expect(stated).toHaveCount(0);
    }
    if (cp.question) {
      const q = cp.question;
      const form = panel.getByRole('form', { name: shownText(q.prompt) });
      // The first question is answered wrong, to see the answer marked and explained.
      const pick = wrongOnce ? q.answer : (q.answer + 1) % q.choices.length;
      await form.getByRole('radio', { name: shownText(q.choices[pick].text) }).check();
      await form.getByRole('button', { name: 'Check answer' }).click();
      const verdict = form.getByRole('status');
      await expect(verdict).toContainText(wrongOnce ? 'Right.' : 'Not quite.');
      await expect(verdict).toContainText(shownText(q.explanation));
      if (wrongOnce && !shot) {
        await keepScreenshot(page, testInfo, i);
        shot = true;
      }
      wrongOnce = true;
    }
    if (i < total - 1) {
      await expect(panel.getByRole('button', { name: 'Previous' })).toBeEnabled({
        enabled: i > 0,
      });
      await panel.getByRole('button', { name: 'Next', exact: true }).click();
    }
  }
  expect(wrongOnce).toBe(true);
  await expect(panel.getByRole('button', { name: 'Next', exact: true })).toHaveCount(0);
  await panel.getByRole('button', { name: 'Finish' }).click();
  await expect(panel.getByRole('note', { name: 'Lesson complete' })).toContainText(
    `you have reached the end of “${lesson.title}”`,
  );

  // Previous goes back a checkpoint, and the timeline with it.
  await panel.getByRole('button', { name: 'Previous' }).click();
  await expect(panel.getByText(`Checkpoint ${total - 1} of ${total}`)).toBeVisible();
  await expect(app.stepPosition()).toHaveText(positions[total - 2]);
  await expect(panel.getByRole('note', { name: 'Lesson complete' })).toHaveCount(0);

  // Stepping away offers the way back.
  await app.button('Last step').click();
  await panel.getByRole('button', { name: 'Back to checkpoint' }).click();
  await expect(app.stepPosition()).toHaveText(positions[total - 2]);

  await panel.getByRole('button', { name: 'Close lesson' }).click();
  await expect(panel).toHaveCount(0);
});

test('every lesson, checkpoint by checkpoint: its step, and its maps on screen; the list closes as a menu does', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const panel = page.getByRole('region', { name: 'Lesson' });
  const list = page.getByRole('list', { name: 'Lessons' });
  await app.button('Lessons').click();
  await expect(app.button('Lessons')).toHaveAttribute('aria-expanded', 'true');
  await expect(list.getByRole('button').first()).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(list).toBeHidden();
  await expect(app.button('Lessons')).toBeFocused();
  await app.button('Lessons').click();
  await page.getByRole('heading', { name: 'VMA Explorer' }).click();
  await expect(list).toBeHidden();

  for (const entry of index) {
    const { lesson, positions } = lessonFile(entry.file);
    await app.button('Lessons').click();
    await page
      .getByRole('list', { name: 'Lessons' })
      .getByRole('button', { name: entry.title })
      .click();
    await expect(panel.getByRole('heading', { name: lesson.title })).toBeVisible();
    const total = lesson.checkpoints.length;
    for (const [i, cp] of lesson.checkpoints.entries()) {
      if (i > 0) await panel.getByRole('button', { name: 'Next', exact: true }).click();
      await expect(panel.getByText(`Checkpoint ${i + 1} of ${total}`)).toBeVisible();
      await expect(app.stepPosition()).toHaveText(positions[i]);
      if (cp.maps) {
        const lines = (await app.mapsLines()).map((l) => l.trimEnd());
        expect(lines, `${entry.file}:${cp.fileLine}`).toEqual(cp.maps);
      }
    }
    await panel.getByRole('button', { name: 'Finish' }).click();
    await expect(panel.getByRole('note', { name: 'Lesson complete' })).toBeVisible();
  }
});

test('a lesson file that does not read is refused with its line and column', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  const before = await app.scenarioText();
  const { file, title } = index[0];
  const text = readFileSync(`public/lessons/${file}`, 'utf8').replace(
    '[checkpoint line 3]',
    '[checkpoint line 1]',
  );
  const line = text.split('\n').indexOf('[checkpoint line 1]') + 1;
  await page.route(`**/lessons/${file}`, (route) => route.fulfill({ body: text }));
  await app.button('Lessons').click();
  await page.getByRole('list', { name: 'Lessons' }).getByRole('button', { name: title }).click();
  await expect(page.getByRole('region', { name: 'Lesson' }).getByRole('alert')).toHaveText(
    `Could not follow the lesson: ${file}:${line}:18: line 1 of the scenario holds no call`,
  );
  expect(await app.scenarioText()).toBe(before);
});
