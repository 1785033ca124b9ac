// SPDX-License-Identifier: GPL-2.0-or-later
import { useId, useState, type ReactNode } from 'react';
import './question.css';

/** One choice of a multiple-choice question. */
export interface Choice {
  id: string;
  /** What the reader sees; maps lines are shown as preformatted text. */
  label: string;
  /** Show the label as monospaced lines (a maps excerpt). */
  code?: boolean;
}

export interface QuestionCardProps {
  /** The question, in one sentence. */
  prompt: string;
  choices: readonly Choice[];
  /** The id of the right choice. */
  answer: string;
  /** Why the answer is what it is: shown once the reader has checked. */
  explanation: ReactNode;
  /** Told once per check, whether the reader's choice was right. */
  onAnswered?: (right: boolean, chosen: string) => void;
}

/**
 * A multiple-choice question, as quizzes and lessons ask them: a group of
 * radio buttons, a Check answer button, then the verdict and its reasons.
 * Mount it with a `key` per question so a new question starts unanswered.
 */
export function QuestionCard({
  prompt,
  choices,
  answer,
  explanation,
  onAnswered,
}: QuestionCardProps) {
  const id = useId();
  const [chosen, setChosen] = useState<string | null>(null);
  const [checked, setChecked] = useState<string | null>(null);
  const right = checked !== null && checked === answer;
  return (
    <form
      className="question-card"
      aria-labelledby={`${id}-prompt`}
      onSubmit={(e) => {
        e.preventDefault();
        if (chosen === null) return;
        setChecked(chosen);
        onAnswered?.(chosen === answer, chosen);
      }}
    >
      <p id={`${id}-prompt`} className="question-prompt">
        {prompt}
      </p>
      <fieldset aria-labelledby={`${id}-prompt`} disabled={checked !== null}>
        {choices.map((c) => (
          <label key={c.id} className={checked !== null && c.id === answer ? 'answer' : undefined}>
            <input
              type="radio"
              name={id}
              value={c.id}
              checked={chosen === c.id}
              onChange={() => setChosen(c.id)}
            />
            {c.code ? <pre>{c.label}</pre> : <span>{c.label}</span>}
          </label>
        ))}
      </fieldset>
      {checked === null ? (
        <button type="submit" disabled={chosen === null}>
          Check answer
        </button>
      ) : (
        <div role="status" className={right ? 'verdict right' : 'verdict wrong'}>
          <strong>{right ? 'Right.' : 'Not quite.'}</strong>{' '}
          {right ? null : <span>The answer is marked.</span>}
          <div className="question-why">{explanation}</div>
        </div>
      )}
    </form>
  );
}
