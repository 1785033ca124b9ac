// SPDX-License-Identifier: GPL-2.0-or-later
// The process a kernel recording was made in: the judge's runner, whose
// whole address space the judge reads before the first call (a recording's
// `start`). A run that starts from it holds the same VMAs in its maple tree
// as the kernel did, so a write takes the same store path in both: the
// differential and the app's comparison with a recording start there.
import { mmSnapshot, type MmState } from '../kernel/mm/mm-snapshot';
import { formatDiagnostic } from '../scenario/diagnostic';
import { parseProcMaps } from '../scenario/proc-maps-reader';
import { JUDGE_MMAP_BASE, JUDGE_START_BRK } from '../world/process';
import { mmFromMaps } from './mm-from-maps';

/**
 * The runner's address space from its smaps lines (headers and VmFlags
 * lines), with the judge's break and mmap_base (no dump shows them); a
 * message naming the line when the lines cannot be read.
 */
export function judgeStart(initial: readonly string[]): MmState | string {
  const text = initial.join('\n') + '\n';
  const parsed = parseProcMaps(text, 'runner smaps');
  const built = parsed.diagnostics.length ? null : mmFromMaps(parsed.entries, 'runner smaps');
  const problem = parsed.diagnostics[0] ?? built?.diagnostics[0];
  if (built === null || problem !== undefined)
    return `the runner's smaps: ${problem ? formatDiagnostic(problem) : 'unreadable'}`;
  return mmSnapshot(built.mm, {
    start_brk: JUDGE_START_BRK,
    brk: JUDGE_START_BRK,
    mmap_base: JUDGE_MMAP_BASE,
  });
}
