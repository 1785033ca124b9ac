// SPDX-License-Identifier: GPL-2.0-or-later
import { useApp } from '../store-context';
import './quiz.css';

/** The Quiz button: quiz mode on (from the run's first question) or off. */
export function QuizToggle() {
  const quizOn = useApp((s) => s.quizOn);
  const setQuizOn = useApp((s) => s.setQuizOn);
  const ran = useApp((s) => s.timeline !== null);
  return (
    <button
      type="button"
      className="quiz-toggle"
      aria-pressed={quizOn}
      disabled={!ran && !quizOn}
      onClick={() => void setQuizOn(!quizOn)}
      title="Predict the next state: stop before each merge decision, split and refusal"
    >
      Quiz
    </button>
  );
}
