// SPDX-License-Identifier: GPL-2.0-or-later
import { useState } from 'react';
import { useApp } from '../store-context';

/**
 * A quiz on a scenario the seeded generator makes: the same seed makes the
 * same scenario, so a class can share one by its number.
 */
export function GeneratedQuiz() {
  const generatedQuiz = useApp((s) => s.generatedQuiz);
  const running = useApp((s) => s.status === 'running');
  const [seed, setSeed] = useState(1);
  return (
    <form
      className="generated-quiz"
      aria-label="Generated quiz"
      onSubmit={(e) => {
        e.preventDefault();
        void generatedQuiz(seed);
      }}
    >
      <label>
        Seed{' '}
        <input
          type="number"
          min={1}
          step={1}
          value={seed}
          onChange={(e) => setSeed(Math.max(1, Math.floor(Number(e.target.value)) || 1))}
        />
      </label>
      <button type="submit" disabled={running}>
        Quiz on a generated scenario
      </button>
    </form>
  );
}
