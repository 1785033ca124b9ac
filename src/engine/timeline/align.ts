// SPDX-License-Identifier: GPL-2.0-or-later
// Aligning two lists of steps, as diff(1) aligns lines: Myers' O((N+M)·D)
// algorithm ("An O(ND) Difference Algorithm and Its Variations", 1986) finds
// the longest common subsequence, bounded by the edits it may take. Used to
// set two recordings of one program side by side, so that one call more in
// one of them does not shift every later step out of line.

/** The index pairs of a longest common subsequence of a and b, in order; null past maxEdits edits. */
export function commonPairs(
  a: readonly string[],
  b: readonly string[],
  maxEdits: number,
): Array<[number, number]> | null {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, maxEdits);
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  // trace[d]: v before round d, for k in [-d - 1, d + 1] (index k + d + 1).
  const trace: Int32Array[] = [];
  for (let d = 0; d <= max; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1])
          ? v[offset + k + 1]
          : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) return backtrack(trace, n, m, d);
    }
  }
  return null;
}

/** Walks the rounds back from (n, m), collecting the diagonal runs: the matches. */
function backtrack(
  trace: Int32Array[],
  n: number,
  m: number,
  edits: number,
): Array<[number, number]> {
  const pairs: Array<[number, number]> = [];
  let x = n;
  let y = m;
  for (let d = edits; d > 0; d--) {
    const before = trace[d];
    const at = (k: number): number => before[k + d + 1];
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) pairs.push([--x, --y]);
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) pairs.push([--x, --y]);
  return pairs.reverse();
}

/** One row of an alignment: a position of each list, or null where that list has nothing. */
export type AlignedPair = [number | null, number | null];

/**
 * The most edits looked for: beyond it two lists are set side by side by
 * position. It bounds the time ((N+M)·D) and the memory (D²) of one search.
 */
export const MAX_ALIGN_EDITS = 1000;

/**
 * Aligns two lists by their first keys (the whole text of a step), then,
 * inside each stretch that differs, by the next keys (the call's name, so
 * that an mmap at another address still faces its mmap), and what is left
 * of a stretch by position, the extra ones alone.
 */
export function alignByKeys(
  keys: ReadonlyArray<[readonly string[], readonly string[]]>,
): AlignedPair[] {
  const out: AlignedPair[] = [];
  const [a0, b0] = keys[0];
  const stretch = (level: number, i0: number, i1: number, j0: number, j1: number): void => {
    if (level === keys.length) {
      const both = Math.min(i1 - i0, j1 - j0);
      for (let t = 0; t < both; t++) out.push([i0 + t, j0 + t]);
      for (let i = i0 + both; i < i1; i++) out.push([i, null]);
      for (let j = j0 + both; j < j1; j++) out.push([null, j]);
      return;
    }
    const [a, b] = keys[level];
    const matches = commonPairs(a.slice(i0, i1), b.slice(j0, j1), MAX_ALIGN_EDITS) ?? [];
    let i = i0;
    let j = j0;
    for (const [x, y] of matches) {
      stretch(level + 1, i, i0 + x, j, j0 + y);
      out.push([i0 + x, j0 + y]);
      i = i0 + x + 1;
      j = j0 + y + 1;
    }
    stretch(level + 1, i, i1, j, j1);
  };
  stretch(0, 0, a0.length, 0, b0.length);
  return out;
}
