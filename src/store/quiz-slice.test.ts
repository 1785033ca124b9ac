// SPDX-License-Identifier: GPL-2.0-or-later
// Quiz mode in the store: it goes to the step before each question's
// answer, holds the timeline there until the question is answered, shows
// the answer's step once checked, keeps the score, and makes a quiz of a
// generated scenario without losing the text it replaces.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateScenario, quizOf, runScenario } from '../engine';
import { createAppStore } from './app-store';
import { QUIZ_CALLS } from './quiz-slice';
import { sessionPort } from './session-port.fixture';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../public/scenarios');
const REMERGE = readFileSync(join(DIR, 'mprotect-split-and-remerge.scn'), 'utf8');

async function quizOn(text = REMERGE) {
  const store = createAppStore(sessionPort());
  const s = store.getState;
  s().setText(text);
  await s().run();
  await s().setQuizOn(true);
  return s;
}

describe('quiz mode', () => {
  it('goes to the step before the first question, and holds the timeline there', async () => {
    const s = await quizOn();
    const questions = s().quizQuestions ?? [];
    expect(questions.length).toBeGreaterThan(1);
    const first = questions[0];
    expect(s().cursor).toBe(first.stop);
    expect(s().quizHeld).toBe(false);
    // Stepping, by a step, a call or to the end, stops at the question.
    s().forward();
    expect(s().cursor).toBe(first.stop);
    expect(s().quizHeld).toBe(true);
    s().forward('call');
    s().last();
    expect(s().cursor).toBe(first.stop);
    // Back is free, and so is the way forward up to the question.
    s().back();
    expect(s().cursor).toBe(first.stop - 1);
    s().play();
    s().tick();
    s().tick();
    expect(s().cursor).toBe(first.stop);
    expect(s().playing).toBe(false);
  });

  it('shows the answer’s step once checked, then the next question’s stop; keeps the score', async () => {
    const s = await quizOn();
    const questions = s().quizQuestions ?? [];
    s().answerQuiz(true);
    expect(s().quizAnswers).toEqual({ 0: true });
    expect(s().cursor).toBe(questions[0].reveal);
    s().nextQuestion();
    expect(s().quizAt).toBe(1);
    expect(s().cursor).toBe(questions[1].stop);
    // Answered, the question no longer holds the timeline.
    s().answerQuiz(false);
    s().forward();
    expect(s().cursor).toBe(questions[1].reveal + 1);
    expect(s().quizAnswers).toEqual({ 0: true, 1: false });
    // A second answer to the same question does not count.
    s().answerQuiz(true);
    expect(s().quizAnswers).toEqual({ 0: true, 1: false });
  });

  it('stays on the step while the next question asks at the same one', async () => {
    const s = await quizOn();
    const questions = s().quizQuestions ?? [];
    const at = questions.findIndex((q, i) => questions[i + 1]?.stop === q.stop);
    expect(at).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < at; i++) {
      s().answerQuiz(true);
      s().nextQuestion();
    }
    s().answerQuiz(true);
    expect(s().cursor).toBe(questions[at].stop);
    s().nextQuestion();
    expect(s().cursor).toBe(questions[at + 1].stop);
  });

  it('ends after the last question, and lets the timeline go', async () => {
    const s = await quizOn();
    const questions = s().quizQuestions ?? [];
    questions.forEach(() => {
      s().answerQuiz(true);
      s().nextQuestion();
    });
    expect(s().quizAt).toBe(questions.length);
    s().last();
    expect(s().cursor).toBe((s().timeline?.steps.length ?? 0) - 1);
    expect(Object.values(s().quizAnswers)).toHaveLength(questions.length);
  });

  it('off, it holds nothing and forgets the questions', async () => {
    const s = await quizOn();
    await s().setQuizOn(false);
    expect(s().quizQuestions).toBeNull();
    s().last();
    expect(s().cursor).toBe((s().timeline?.steps.length ?? 0) - 1);
  });

  it('another run asks its own questions', async () => {
    const s = await quizOn();
    const before = s().quizFor;
    s().setText(`${REMERGE}\nmunmap(0x200000000000, 4K)`);
    await s().run();
    // The old questions no longer hold the new run.
    s().last();
    expect(s().cursor).toBe((s().timeline?.steps.length ?? 0) - 1);
    await s().startQuiz();
    expect(s().quizFor).not.toBe(before);
    expect(s().quizFor).toBe(s().timeline);
    expect(s().cursor).toBe(s().quizQuestions?.[0].stop);
  });

  it('a generated quiz: the seed’s scenario replaces the text, kept as a draft, and its quiz starts', async () => {
    const store = createAppStore(sessionPort());
    const s = store.getState;
    store.setState({ documentId: 'doc1' });
    s().setText(REMERGE);
    await s().run();
    await s().generatedQuiz(3);
    const text = generateScenario(3, QUIZ_CALLS);
    expect(s().text).toBe(text);
    expect(s().timelineText).toBe(text);
    expect(s().keptDrafts[0]).toMatchObject({ id: 'doc1', text: REMERGE });
    expect(s().quizOn).toBe(true);
    const run = runScenario(text, 'scenario');
    if (!run.ok) throw new Error('the generated scenario did not run');
    expect(s().quizQuestions).toEqual(quizOf(run));
    expect(s().cursor).toBe(s().quizQuestions?.[0].stop);
  });
});
