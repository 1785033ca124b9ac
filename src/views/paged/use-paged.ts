// SPDX-License-Identifier: GPL-2.0-or-later
// Items of a long list that live in the worker (step words, maps rows),
// fetched a page at a time for the part a view shows and kept while the list
// is the same one. The steps list and the maps table both draw only the rows
// in view; this is where those rows come from.
import { useEffect, useRef, useState } from 'react';

/** Above this many kept items the cache starts again: a view shows a few dozen. */
const KEEP = 4096;

export interface Paged<T> {
  /** Item `i`, or undefined until it arrives. */
  at(i: number): T | undefined;
  /** Whether every item of `[from, to)` is here. */
  complete: boolean;
}

/**
 * Items `[from, to)` of the list `list` (any value that changes when the list
 * does). `known(i)` gives items the view already has; `fetch` asks for the
 * others, `page` at a time.
 */
export function usePaged<T>(
  list: unknown,
  from: number,
  to: number,
  known: (i: number) => T | undefined,
  fetch: (from: number, count: number) => Promise<T[]>,
  page: number,
): Paged<T> {
  const cache = useRef({ list, items: new Map<number, T>() });
  const [, setVersion] = useState(0);
  if (cache.current.list !== list) cache.current = { list, items: new Map() };

  const at = (i: number): T | undefined => known(i) ?? cache.current.items.get(i);
  let missing = -1;
  for (let i = from; i < to; i++)
    if (at(i) === undefined) {
      missing = i;
      break;
    }

  // `fetch` is a new function each render; the list and the range decide.
  const fetchRef = useRef(fetch);
  fetchRef.current = fetch;
  useEffect(() => {
    const kept = cache.current;
    if (missing < 0 || kept.list === null) return;
    const first = Math.floor(missing / page) * page;
    const count = Math.ceil((to - first) / page) * page;
    let live = true;
    void fetchRef.current(first, count).then((items) => {
      if (!live || cache.current !== kept) return;
      if (kept.items.size > KEEP) kept.items.clear();
      items.forEach((item, k) => kept.items.set(first + k, item));
      setVersion((v) => v + 1);
    });
    return () => {
      live = false;
    };
  }, [list, missing, to, page]);

  return { at, complete: missing < 0 };
}
