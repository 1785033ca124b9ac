// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { progressWords, scoreOf } from './quiz-words';

describe('quiz words', () => {
  it('counts the right answers among those given', () => {
    expect(scoreOf({})).toEqual({ right: 0, answered: 0 });
    expect(scoreOf({ 0: true, 1: false, 3: true })).toEqual({ right: 2, answered: 3 });
  });

  it('says the question asked and the score, then the final score', () => {
    expect(progressWords(0, 7, {})).toBe('Question 1 of 7 · 0 right of 0 answered');
    expect(progressWords(2, 7, { 0: true, 1: false })).toBe(
      'Question 3 of 7 · 1 right of 2 answered',
    );
    expect(progressWords(2, 2, { 0: true, 1: false })).toBe('Quiz done: 1 of 2 right.');
  });
});
