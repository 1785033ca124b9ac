// SPDX-License-Identifier: GPL-2.0-or-later
// The change between two consecutive steps, animated: VMAs are matched by id
// (the kernel changes the same vm_area_struct in place: vma_expand(),
// vma_shrink() and __split_vma() keep the object), so
// - a VMA that grows, shrinks or is moved keeps its element, which slides and
//   stretches to its new place;
// - a new VMA cut out of an old one (__split_vma() allocates the new part with
//   vm_area_dup()) starts over its parent's part, so the parent divides;
// - a VMA that a merge removes (vma_merge_existing_range(), vma_expand() over
//   `next`) joins the survivor where the survivor now covers it, and fades;
// - mremap()'s move_vma() copies first (copy_vma(): a new VMA at the new
//   address, same anon_vma and page offset) and unmaps the source later, so
//   the copy slides out of its source at the copy_vma step and the source
//   fades out at the unmap step;
// - anything else fades in (a new mapping) or out (an unmapped one).
// Stepping back plays the same change in reverse. Jumps of more than one
// step, and users who ask for reduced motion, get no animation.
import { select, type Selection } from 'd3-selection';
import 'd3-transition';
import type { StepSummary, VmaRow } from '../../engine';
import { addrToX, type RangeLayout } from './layout';

export const DURATION = 400;

/** No animation for users who ask for less motion (and for screenshots and e2e). */
export function animationMs(): number {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches
    ? 0
    : DURATION;
}

/** One step as drawn: enough to know where every VMA was. */
export interface Picture {
  /** Which timeline the step belongs to (a new run is a new one), and the step's index. */
  timeline: unknown;
  step: number;
  summary: StepSummary;
  rows: readonly VmaRow[];
  layout: RangeLayout;
}

/** A stretch of the line, in layout (unzoomed) pixels. */
export interface Span {
  x: number;
  w: number;
}

export type Change = 'resize' | 'split' | 'merge' | 'move' | 'map' | 'unmap';

export interface AnimationPlan {
  /** Where each VMA of the new step starts from; absent: it fades in in its place. */
  from: Map<number, Span>;
  /** Where each VMA gone from the old step goes while it fades; absent: it fades in place. */
  to: Map<number, Span>;
  /** What happened to each VMA that changed, by id (for the caption and tests). */
  changes: Map<number, Change>;
}

/** Whether two pictures are one step apart in the same timeline: only then is there an animation. */
export function consecutive(a: Picture | null, b: Picture): a is Picture {
  return a !== null && a.timeline === b.timeline && Math.abs(a.step - b.step) === 1;
}

/** Index of the last VMA starting below `end` whose end is above `start`, or -1. */
function overlapping(s: StepSummary, start: number, end: number): number {
  let lo = 0;
  let hi = s.count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (s.starts[mid] < end) lo = mid + 1;
    else hi = mid;
  }
  return lo > 0 && s.ends[lo - 1] > start ? lo - 1 : -1;
}

const spanOf = (p: Picture, start: number, end: number): Span => {
  const x = addrToX(p.summary.starts, p.summary.ends, p.layout, start);
  return { x, w: addrToX(p.summary.starts, p.summary.ends, p.layout, end) - x };
};

/**
 * For a VMA `[start, end)` with page offset `pgoff` of picture `a` that
 * overlaps nothing in `b`: the part of a VMA of `b` it was copied from (or
 * back to) by move_vma() — same kind and file, and a page offset inside
 * that VMA's (copy_vma() gives the copy `vm_pgoff` of the source page).
 */
function moveSource(b: Picture, kind: number, row: VmaRow | undefined, len: number): Span | null {
  if (!row) return null;
  const s = b.summary;
  for (let j = 0; j < s.count && j < b.rows.length; j++) {
    const src = b.rows[j];
    if (s.kinds[j] !== kind || src.file !== row.file) continue;
    const pages = (src.end - src.start) / 4096;
    const off = row.pgoff - src.pgoff;
    if (off < 0 || off + len / 4096 > pages) continue;
    const at = src.start + off * 4096;
    return spanOf(b, at, at + len);
  }
  return null;
}

/** How the VMAs of `prev` become those of `next` (either direction in time). */
export function planAnimation(prev: Picture, next: Picture): AnimationPlan {
  const plan: AnimationPlan = { from: new Map(), to: new Map(), changes: new Map() };
  const a = prev.summary;
  const b = next.summary;
  const before = new Map<number, number>();
  for (let i = 0; i < a.count; i++) before.set(a.ids[i], i);
  const after = new Set<number>();
  for (let i = 0; i < b.count; i++) {
    const id = b.ids[i];
    after.add(id);
    const j = before.get(id);
    if (j !== undefined) {
      plan.from.set(id, { x: prev.layout.x[j], w: prev.layout.width[j] });
      if (a.starts[j] !== b.starts[i] || a.ends[j] !== b.ends[i]) {
        const moved = a.ends[j] <= b.starts[i] || a.starts[j] >= b.ends[i];
        plan.changes.set(id, moved ? 'move' : 'resize');
      }
      continue;
    }
    if (overlapping(a, b.starts[i], b.ends[i]) >= 0) {
      // Cut out of an old VMA (or, stepping back, taken out of a merge).
      plan.from.set(id, spanOf(prev, b.starts[i], b.ends[i]));
      plan.changes.set(id, 'split');
      continue;
    }
    const src = moveSource(prev, b.kinds[i], next.rows[i], b.ends[i] - b.starts[i]);
    if (src) {
      plan.from.set(id, src);
      plan.changes.set(id, 'move');
    } else {
      plan.changes.set(id, 'map');
    }
  }
  for (let j = 0; j < a.count; j++) {
    const id = a.ids[j];
    if (after.has(id)) continue;
    if (overlapping(b, a.starts[j], a.ends[j]) >= 0) {
      // Absorbed by a merge (or, stepping back, a split part rejoining its parent).
      plan.to.set(id, spanOf(next, a.starts[j], a.ends[j]));
      plan.changes.set(id, 'merge');
      continue;
    }
    const dst = moveSource(next, a.kinds[j], prev.rows[j], a.ends[j] - a.starts[j]);
    if (dst) {
      plan.to.set(id, dst);
      plan.changes.set(id, 'move');
    } else {
      plan.changes.set(id, 'unmap');
    }
  }
  return plan;
}

/** What an element of the drawing needs to be animated: its id and final screen place. */
export interface Animated {
  id: number;
  x: number;
  w: number;
}

type Group<D> = Selection<SVGGElement, D, SVGSVGElement, unknown>;

/**
 * Plays `plan` on the drawn VMAs: `groups` are the new step's (already at
 * their final places' decorations), `gone` the old step's that left.
 * `screen` turns a layout span into screen pixels under the current zoom.
 * `place` sets an element's position and width (a selection or a transition).
 */
export function playAnimation<D extends Animated>(
  groups: Group<D>,
  gone: Group<D>,
  plan: AnimationPlan,
  screen: (s: Span) => { x: number; w: number },
  barY: number,
  ms: number,
): void {
  const at = (x: number) => `translate(${x},${barY})`;
  const width = (w: number) => Math.max(0.5, w - 1);
  groups.each(function (d) {
    const g = select(this);
    const from = plan.from.get(d.id);
    g.interrupt();
    if (from) {
      const f = screen(from);
      g.style('opacity', 1).attr('transform', at(f.x));
      g.selectAll<SVGRectElement, unknown>('rect.body').attr('width', width(f.w));
    } else {
      g.style('opacity', 0).attr('transform', at(d.x));
      g.select('rect.body').attr('width', width(d.w));
    }
    const changed = plan.changes.has(d.id);
    g.select('.deco').style('opacity', changed ? 0 : 1);
    const t = g.transition().duration(ms).style('opacity', 1).attr('transform', at(d.x));
    t.selectAll<SVGRectElement, unknown>('rect.body').attr('width', width(d.w));
    if (changed) t.select('.deco').style('opacity', 1);
  });
  gone.each(function (d) {
    const g = select(this);
    const to = plan.to.get(d.id);
    const t = g.transition().duration(ms).style('opacity', 0);
    if (to) {
      const s = screen(to);
      t.attr('transform', at(s.x));
      t.selectAll<SVGRectElement, unknown>('rect.body').attr('width', width(s.w));
    }
    t.remove();
  });
}
