// SPDX-License-Identifier: GPL-2.0-or-later
// A lesson's prose marks code with backquotes (docs/lesson-format.md).

/** A run of prose: plain text, or code. */
export interface ProsePart {
  text: string;
  code: boolean;
}

/**
 * Splits a paragraph at its backquotes: every other run is code. An
 * unmatched backquote is kept as text.
 */
export function proseParts(paragraph: string): ProsePart[] {
  const runs = paragraph.split('`');
  if (runs.length % 2 === 0) {
    // An odd number of backquotes: the last one opens nothing.
    const last = runs.pop() as string;
    runs[runs.length - 1] += '`' + last;
  }
  return runs.map((text, i) => ({ text, code: i % 2 === 1 })).filter((part) => part.text !== '');
}
