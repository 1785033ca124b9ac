// SPDX-License-Identifier: GPL-2.0-or-later
// What the Quiz panel says of where the reader stands: plain words from
// the store's numbers, testable without React.

/** How many of the answers given were right. */
export function scoreOf(answers: Readonly<Record<number, boolean>>): {
  right: number;
  answered: number;
} {
  const given = Object.values(answers);
  return { right: given.filter(Boolean).length, answered: given.length };
}

/** "Question 2 of 7 · 1 right of 1 answered", or "Quiz done: 5 of 7 right." at the end. */
export function progressWords(
  at: number,
  total: number,
  answers: Readonly<Record<number, boolean>>,
): string {
  const { right, answered } = scoreOf(answers);
  if (at >= total) return `Quiz done: ${right} of ${total} right.`;
  return `Question ${at + 1} of ${total} · ${right} right of ${answered} answered`;
}
