// SPDX-License-Identifier: GPL-2.0-or-later
// The overview strip of a large space (focus.ts): every VMA of the step, laid
// out whole as the main line used to be, in a thin canvas; neighbours of one
// kind narrower than a pixel are drawn as one rectangle. Outside the window
// the main line shows, the strip is dimmed. The window's frame and the
// change's mark are elements over it (AddressSpace.tsx), for the keyboard and
// screen readers.
import type { StepSummary } from '../../engine';
import type { RangeLayout } from './layout';
import { palette, prepare } from './render-canvas';

export const OVERVIEW_H = 24;
const Y = 4;
const H = OVERVIEW_H - 2 * Y;

/** A stretch of the strip, in pixels. */
export interface StripSpan {
  x: number;
  w: number;
}

/** VMAs `[from, to)` on the strip, at least `min` pixels wide. */
export function stripSpan(layout: RangeLayout, from: number, to: number, min = 0): StripSpan {
  if (to <= from) return { x: 0, w: min };
  const x0 = layout.x[from];
  const x1 = layout.x[to - 1] + layout.width[to - 1];
  const w = Math.max(min, x1 - x0);
  return { x: x0 - (w - (x1 - x0)) / 2, w };
}

export function drawOverview(
  canvas: HTMLCanvasElement,
  summary: StepSummary,
  layout: RangeLayout,
  width: number,
  shown: StripSpan,
): void {
  const ctx = prepare(canvas, width, OVERVIEW_H);
  if (!ctx) return;
  const p = palette(canvas);
  let runKind = -1;
  let runX = 0;
  let runEnd = 0;
  const flush = () => {
    if (runKind >= 0) {
      ctx.fillStyle = p.kinds[runKind];
      ctx.fillRect(runX, Y, Math.max(runEnd - runX, 0.5), H);
    }
    runKind = -1;
  };
  for (let i = 0; i < summary.count; i++) {
    const x = layout.x[i];
    const end = x + layout.width[i];
    const kind = summary.kinds[i];
    if (kind === runKind && x - runEnd < 1) {
      runEnd = Math.max(runEnd, end);
      continue;
    }
    flush();
    runKind = kind;
    runX = x;
    runEnd = end;
  }
  flush();
  // What the main line does not show, dimmed: the window stands out.
  ctx.fillStyle = p.panel;
  ctx.globalAlpha = 0.55;
  ctx.fillRect(0, 0, Math.max(0, shown.x), OVERVIEW_H);
  ctx.fillRect(shown.x + shown.w, 0, Math.max(0, width - shown.x - shown.w), OVERVIEW_H);
  ctx.globalAlpha = 1;
}
