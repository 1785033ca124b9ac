// SPDX-License-Identifier: GPL-2.0-or-later
// The words of the steps a view shows. The timeline holds only numbers (a
// long run has tens of thousands of steps); the words come from the worker
// for the rows on screen.
import type { StepText } from '../../engine';
import { usePaged } from '../paged/use-paged';
import { useApp } from '../store-context';

/** Step words asked for at once. */
const PAGE = 64;

/** Steps `[from, to)`'s words, by step index; missing until they arrive. */
export function useStepTexts(from: number, to: number): (index: number) => StepText | undefined {
  const timeline = useApp((s) => s.timeline);
  const stepTexts = useApp((s) => s.stepTexts);
  const paged = usePaged(timeline, from, to, () => undefined, stepTexts, PAGE);
  return paged.at;
}
