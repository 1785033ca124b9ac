// SPDX-License-Identifier: GPL-2.0-or-later
// A real gc() for the benches that time rounds on a collected heap, so one
// round's garbage is not the next round's cost.
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/** A real gc() when node can give one; else null and heap deltas are noisier. */
export function findGc(): { gc: (() => void) | null; how: string } {
  const g = (globalThis as { gc?: () => void }).gc;
  if (typeof g === 'function') return { gc: g, how: 'global.gc (--expose-gc)' };
  try {
    setFlagsFromString('--expose-gc');
    const fn = runInNewContext('gc') as () => void;
    if (typeof fn === 'function') return { gc: fn, how: 'gc() via v8.setFlagsFromString' };
  } catch {
    /* fall through */
  }
  return { gc: null, how: 'process.memoryUsage() heap deltas without gc' };
}
