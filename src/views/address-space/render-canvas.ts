// SPDX-License-Identifier: GPL-2.0-or-later
// Draws a large address space (thousands of VMAs) on a canvas from the step
// summary's typed arrays: one rectangle per VMA that is on screen, nothing
// per VMA in the DOM, so tens of thousands pan and zoom smoothly.
import type { ZoomTransform } from 'd3-zoom';
import { VMA_KINDS, type StepSummary } from '../../engine';
import { BAR_H, BAR_Y, HEIGHT } from './render';
import { formatSize, type RangeLayout } from './layout';

export function drawAddressSpace(
  canvas: HTMLCanvasElement,
  summary: StepSummary,
  layout: RangeLayout,
  width: number,
  t: ZoomTransform,
) {
  const ratio = globalThis.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(HEIGHT * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${HEIGHT}px`;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, HEIGHT);

  const style = getComputedStyle(canvas);
  const colour = VMA_KINDS.map(
    (k) => style.getPropertyValue(`--${k}`).trim() || style.getPropertyValue('--anon').trim(),
  );
  for (let i = 0; i < summary.count; i++) {
    const x = t.applyX(layout.x[i]);
    const w = layout.width[i] * t.k;
    if (x > width || x + w < 0) continue;
    ctx.fillStyle = colour[summary.kinds[i]];
    // Wide enough for a hairline between neighbours: leave one.
    ctx.fillRect(x, BAR_Y, w > 3 ? w - 1 : Math.max(w, 0.5), BAR_H);
  }
  ctx.fillStyle = style.getPropertyValue('--muted').trim() || '#888';
  ctx.font = '11px ui-monospace, monospace';
  ctx.textAlign = 'center';
  let lastLabel = -Infinity;
  for (const b of layout.breaks) {
    const x = t.applyX(b.x) + (b.width * t.k) / 2;
    if (x < 0 || x > width || x - lastLabel < 60) continue;
    ctx.fillText('⋯', x, BAR_Y + BAR_H / 2 + 4);
    ctx.fillText(formatSize(b.end - b.start), x, BAR_Y + BAR_H + 16);
    lastLabel = x;
  }
  if (summary.count > 0) {
    ctx.textAlign = 'left';
    ctx.fillText(summary.starts[0].toString(16), Math.max(0, t.applyX(layout.x[0])), BAR_Y - 8);
  }
}
