// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: it stands for the guard PTE markers of
// include/linux/swapops.h that mm/madvise.c installs.
//
// Guard markers (MADV_GUARD_INSTALL) as the kernel keeps them: in the page
// tables, page by page. The model keeps runs of pages instead, so that a
// call costs what it changes (a few runs), not the pages it covers or the
// markers installed before it, and a step shares the runs it leaves alone.

/**
 * Sorted, disjoint, non-touching runs of guard pages (page = address >> 12),
 * flattened: `[first0, end0, first1, end1, ...]`, each `[first, end)`.
 */
export type GuardPages = readonly number[];

export const NO_GUARDS: GuardPages = [];

/** `g` with the pages `[first, end)` marked. */
export function guardsAdd(g: GuardPages, first: number, end: number): GuardPages {
  if (first >= end) return g;
  const out: number[] = [];
  let k = 0;
  for (; k < g.length && g[k + 1] < first; k += 2) out.push(g[k], g[k + 1]);
  let s = first;
  let e = end;
  for (; k < g.length && g[k] <= e; k += 2) {
    s = Math.min(s, g[k]);
    e = Math.max(e, g[k + 1]);
  }
  out.push(s, e);
  for (; k < g.length; k += 2) out.push(g[k], g[k + 1]);
  return out;
}

/** `g` without marks on `[first, end)`; `g` itself when it had none there. */
export function guardsRemove(g: GuardPages, first: number, end: number): GuardPages {
  if (guardsFirst(g, first, end) < 0) return g;
  const out: number[] = [];
  for (let k = 0; k < g.length; k += 2) {
    const [a, b] = [g[k], g[k + 1]];
    if (b <= first || a >= end) {
      out.push(a, b);
      continue;
    }
    if (a < first) out.push(a, first);
    if (b > end) out.push(end, b);
  }
  return out;
}

/** The first marked page in `[first, end)`, or -1. */
export function guardsFirst(g: GuardPages, first: number, end: number): number {
  if (first >= end) return -1;
  for (let k = 0; k < g.length && g[k] < end; k += 2) {
    if (g[k + 1] > first) return Math.max(g[k], first);
  }
  return -1;
}

/** The marks of `g` inside `[first, end)`, clipped to it. */
export function guardsWithin(g: GuardPages, first: number, end: number): GuardPages {
  const out: number[] = [];
  for (let k = 0; k < g.length && g[k] < end; k += 2) {
    if (g[k + 1] > first) out.push(Math.max(g[k], first), Math.min(g[k + 1], end));
  }
  return out;
}

/** `g` with the marks of `[first, end)` moved by `shift` pages (those at the target replaced). */
export function guardsMove(g: GuardPages, first: number, end: number, shift: number): GuardPages {
  const moving = guardsWithin(g, first, end);
  if (moving.length === 0) return g;
  let out = guardsRemove(g, first, end);
  for (let k = 0; k < moving.length; k += 2) {
    out = guardsAdd(out, moving[k] + shift, moving[k + 1] + shift);
  }
  return out;
}

/** How many pages `g` marks. */
export function guardsPages(g: GuardPages): number {
  let n = 0;
  for (let k = 0; k < g.length; k += 2) n += g[k + 1] - g[k];
  return n;
}
