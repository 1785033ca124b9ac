// SPDX-License-Identifier: GPL-2.0-or-later
// The maps excerpts a quiz offers for "which maps lines follow this call?":
// what /proc/PID/maps really prints after the call, what it printed before,
// and what it would print had the call's last merge decision gone the other
// way. Only the lines around the change: a reader compares three short
// excerpts, not three whole address spaces.
import { show_map_vma } from '../kernel/fs/proc/task_mmu';
import { vmaList, type MmState } from '../kernel/mm/mm-snapshot';
import { PAGE_SIZE, type Vma } from '../kernel/mm/mm_types';
import type { VmgView } from '../kernel/trace/events';
import { vmaName } from '../kernel/mm/vmg-trace';

/** One maps line and the range it covers. */
interface Line {
  start: number;
  end: number;
  text: string;
}

/** The three excerpts, cut to the same window; `opposite` is null when no other outcome is drawn. */
export interface MapsExcerpts {
  before: string[];
  after: string[];
  opposite: string[] | null;
}

const linesOf = (mm: MmState, vmas: readonly Vma[]): Line[] =>
  vmas.map((v) => ({ start: v.vm_start, end: v.vm_end, text: show_map_vma(mm, v) }));

const byName = (vmas: readonly Vma[], name: string | null): Vma | undefined =>
  name === null ? undefined : vmas.find((v) => vmaName(v) === name);

/**
 * The layout had the merge not happened: the VMA that grew, cut back at the
 * edges the VMAs it swallowed had before the call (mm/vma.c: the range stays
 * a VMA of its own beside its neighbours, as __mmap_new_vma() or the splits
 * of vma_modify() leave it when vma_merge_*_range() says no).
 */
function unmerged(before: readonly Vma[], after: readonly Vma[], vmg: VmgView): Vma[] | null {
  const grown = byName(after, vmg.target);
  if (!grown) return null;
  const cuts = new Set<number>();
  for (const v of before) {
    for (const a of [v.vm_start, v.vm_end]) {
      if (a > grown.vm_start && a < grown.vm_end) cuts.add(a);
    }
  }
  if (cuts.size === 0) return null;
  const edges = [grown.vm_start, ...[...cuts].sort((a, b) => a - b), grown.vm_end];
  const parts = edges.slice(1).map((end, i) => ({
    ...grown,
    vm_start: edges[i],
    vm_end: end,
    vm_pgoff: grown.vm_pgoff + (edges[i] - grown.vm_start) / PAGE_SIZE,
  }));
  return after.flatMap((v) => (v === grown ? parts : [v]));
}

/**
 * The layout had the merge happened: the range's VMA joined with the
 * neighbours that touch it, as vma_merge_*_range() would have grown one of
 * them over it (with the range's flags: the reader is asked whether they
 * may merge, not what the result would carry).
 */
function merged(after: readonly Vma[], vmg: VmgView): Vma[] | null {
  const start = Number(vmg.start);
  const end = Number(vmg.end);
  const i = after.findIndex((v) => v.vm_start === start && v.vm_end === end);
  if (i < 0) return null;
  const range = after[i];
  const left = i > 0 && after[i - 1].vm_end === start ? after[i - 1] : null;
  const right = i + 1 < after.length && after[i + 1].vm_start === end ? after[i + 1] : null;
  if (left === null && right === null) return null;
  const joined: Vma = {
    ...range,
    vm_start: left?.vm_start ?? start,
    vm_end: right?.vm_end ?? end,
    vm_pgoff: left?.vm_pgoff ?? range.vm_pgoff,
  };
  return after.flatMap((v) => (v === range ? [joined] : v === left || v === right ? [] : [v]));
}

/** The lines of `lines` that meet [lo, hi] (touching counts: a neighbour shows the edge). */
const within = (lines: Line[], lo: number, hi: number): string[] =>
  lines.filter((l) => l.end >= lo && l.start <= hi).map((l) => l.text);

/**
 * The excerpts of the maps before and after a call, and, given the call's
 * last merge decision, of the other outcome; null when the call changed no
 * line.
 */
export function mapsExcerpts(
  beforeMm: MmState,
  afterMm: MmState,
  decision: VmgView | null,
): MapsExcerpts | null {
  const beforeVmas = vmaList(beforeMm);
  const afterVmas = vmaList(afterMm);
  const before = linesOf(beforeMm, beforeVmas);
  const after = linesOf(afterMm, afterVmas);
  const was = new Set(before.map((l) => l.text));
  const is = new Set(after.map((l) => l.text));
  const changed = [
    ...before.filter((l) => !is.has(l.text)),
    ...after.filter((l) => !was.has(l.text)),
  ];
  if (changed.length === 0) return null;
  let otherVmas: Vma[] | null = null;
  if (decision !== null) {
    otherVmas =
      decision.state === 'VMA_MERGE_SUCCESS'
        ? unmerged(beforeVmas, afterVmas, decision)
        : merged(afterVmas, decision);
  }
  const other = otherVmas === null ? null : linesOf(afterMm, otherVmas);
  const spans = [...changed, ...(other ?? []).filter((l) => !is.has(l.text))];
  const lo = Math.min(...spans.map((l) => l.start));
  const hi = Math.max(...spans.map((l) => l.end));
  return {
    before: within(before, lo, hi),
    after: within(after, lo, hi),
    opposite: other === null ? null : within(other, lo, hi),
  };
}
