// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef } from 'react';
import type { TimelineMeta } from '../../engine';
import { QuestionCard } from '../question/QuestionCard';
import { useApp } from '../store-context';
import { GeneratedQuiz } from './GeneratedQuiz';
import { progressWords } from './quiz-words';
import './quiz.css';

/** A number for each run, so that a new run's first question starts unanswered. */
const runIds = new WeakMap<TimelineMeta, number>();
let runs = 0;
const runId = (t: TimelineMeta | null): number => {
  if (t === null) return 0;
  let id = runIds.get(t);
  if (id === undefined) runIds.set(t, (id = ++runs));
  return id;
};

/**
 * The Quiz region, while quiz mode is on: the question asked, the score so
 * far, and once the answer is checked its reasons and Next question.
 */
export function QuizPanel() {
  const quizOn = useApp((s) => s.quizOn);
  const questions = useApp((s) => s.quizQuestions);
  const at = useApp((s) => s.quizAt);
  const answers = useApp((s) => s.quizAnswers);
  const held = useApp((s) => s.quizHeld);
  const problem = useApp((s) => s.quizProblem);
  const quizFor = useApp((s) => s.quizFor);
  const timeline = useApp((s) => s.timeline);
  const running = useApp((s) => s.status === 'running');
  const startQuiz = useApp((s) => s.startQuiz);
  const answerQuiz = useApp((s) => s.answerQuiz);
  const nextQuestion = useApp((s) => s.nextQuestion);
  const setQuizOn = useApp((s) => s.setQuizOn);
  const region = useRef<HTMLElement>(null);

  // Another run (Run, an example, another kernel) asks its own questions.
  useEffect(() => {
    if (quizOn && timeline !== null && quizFor !== timeline && !running && problem === null) {
      void startQuiz();
    }
  }, [quizOn, timeline, quizFor, running, problem, startQuiz]);

  // A new question takes the focus its Next question button had.
  const focusNext = useRef(false);
  useEffect(() => {
    if (!focusNext.current) return;
    focusNext.current = false;
    // After the last, the score: the region itself takes it.
    (region.current?.querySelector<HTMLElement>('input[type=radio]') ?? region.current)?.focus();
  }, [at]);

  if (!quizOn) return null;
  const asked = questions?.[at];
  const answered = at in answers;
  return (
    <section className="quiz" aria-label="Quiz" ref={region} tabIndex={-1}>
      <h2>Quiz</h2>
      {questions === null ? (
        <p className="empty">{problem ?? 'Finding the questions…'}</p>
      ) : questions.length === 0 ? (
        <p className="empty">
          This run has no merge decision, split or refusal to ask about. Try another example, or a
          generated scenario.
        </p>
      ) : (
        <p className="quiz-progress" aria-live="polite">
          {progressWords(at, questions.length, answers)}
        </p>
      )}
      {asked && held && !answered && (
        <p className="quiz-held">
          The quiz stopped here, before the answer: answer question {at + 1} to step on.
        </p>
      )}
      {asked && (
        <QuestionCard
          key={`${runId(quizFor)}:${at}`}
          prompt={asked.prompt}
          choices={asked.choices}
          answer={asked.answer}
          onAnswered={(right) => answerQuiz(right)}
          explanation={
            <>
              <ul className="quiz-reasons">
                {asked.reasons.map((r, i) => (
                  <li key={i}>{r}</li>
                ))}
              </ul>
              <p className="caption">Step {asked.reveal + 1} shows it.</p>
            </>
          }
        />
      )}
      {asked && answered && (
        <button
          type="button"
          onClick={() => {
            focusNext.current = true;
            nextQuestion();
          }}
        >
          {at + 1 < (questions?.length ?? 0) ? 'Next question' : 'See the score'}
        </button>
      )}
      <div className="quiz-end">
        <GeneratedQuiz />
        <button type="button" onClick={() => void setQuizOn(false)}>
          End quiz
        </button>
      </div>
    </section>
  );
}
