// SPDX-License-Identifier: GPL-2.0-or-later
// The words of the steps a view shows. The timeline holds only numbers (a
// long run has tens of thousands of steps); the words come from the worker
// for the rows on screen, and are kept while the same timeline is shown.
import { useEffect, useRef, useState } from 'react';
import type { StepText } from '../../engine';
import { useApp } from '../store-context';

/** Above this many kept texts the cache starts again: a list shows a few dozen rows. */
const KEEP = 4000;

/** Steps `[from, to)`'s words, by step index; missing until they arrive. */
export function useStepTexts(from: number, to: number): (index: number) => StepText | undefined {
  const timeline = useApp((s) => s.timeline);
  const stepTexts = useApp((s) => s.stepTexts);
  const cache = useRef({ timeline, texts: new Map<number, StepText>() });
  const [, setVersion] = useState(0);

  if (cache.current.timeline !== timeline) cache.current = { timeline, texts: new Map() };

  useEffect(() => {
    const kept = cache.current;
    let first = from;
    while (first < to && kept.texts.has(first)) first++;
    let last = to;
    while (last > first && kept.texts.has(last - 1)) last--;
    if (first >= last || kept.timeline === null) return;
    let live = true;
    void stepTexts(first, last - first).then((texts) => {
      if (!live || cache.current !== kept) return;
      if (kept.texts.size > KEEP) kept.texts.clear();
      texts.forEach((t, k) => kept.texts.set(first + k, t));
      setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [timeline, from, to, stepTexts]);

  return (index) => cache.current.texts.get(index);
}
