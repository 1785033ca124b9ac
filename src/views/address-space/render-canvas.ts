// SPDX-License-Identifier: GPL-2.0-or-later
// Draws a large address space (thousands of VMAs) on canvases from the step
// summary's typed arrays: nothing per VMA in the DOM. The base canvas holds
// the VMAs; only those on screen are visited (a binary search finds the
// first), and neighbours of one colour narrower than a pixel are drawn as one
// rectangle, so 65,530 VMAs cost a few thousand fills. A second canvas on top
// holds what changes with the pointer (hover, selection, focus, the VMAs a
// step changed), so pointing never redraws the VMAs.
import type { ZoomTransform } from 'd3-zoom';
import { MARK_SEALED, VMA_KINDS, type StepSummary } from '../../engine';
import { permLetters } from './describe';
import { addrToX, firstEndingAfter, formatSize, type RangeLayout } from './layout';
import { BAR_H, BAR_Y, HEIGHT, accessOf } from './render';

/** The fill's opacity by what a VMA allows, as address-space.css has it for the SVG. */
const ACCESS_ALPHA = { write: 1, read: 0.55, none: 0.18 } as const;

interface Palette {
  kinds: string[];
  muted: string;
  fg: string;
  accent: string;
  guard: string;
  sealed: string;
  panel: string;
  candidate: string;
}

const palettes = new WeakMap<HTMLCanvasElement, { key: string; palette: Palette }>();

/** The theme's colours; read from CSS once per theme, not per frame. */
export function palette(canvas: HTMLCanvasElement): Palette {
  const root = document.documentElement;
  const key = `${root.getAttribute('data-theme')}|${matchMedia('(prefers-color-scheme: dark)').matches}`;
  const cached = palettes.get(canvas);
  if (cached?.key === key) return cached.palette;
  const style = getComputedStyle(canvas);
  const v = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const p: Palette = {
    kinds: VMA_KINDS.map((k) => v(`--${k}`, v('--anon', '#4e79a7'))),
    muted: v('--muted', '#888'),
    fg: v('--fg', '#111'),
    accent: v('--accent', '#2f6fdd'),
    guard: v('--guard', '#d62728'),
    sealed: v('--sealed', '#222'),
    panel: v('--panel', '#fff'),
    candidate: v('--candidate', '#b06f00'),
  };
  palettes.set(canvas, { key, palette: p });
  return p;
}

/** Sizes the canvas for the device's pixels (only when the size changed) and clears it. */
export function prepare(
  canvas: HTMLCanvasElement,
  width: number,
  height = HEIGHT,
): CanvasRenderingContext2D | null {
  const ratio = globalThis.devicePixelRatio || 1;
  const w = Math.round(width * ratio);
  const h = Math.round(height * ratio);
  if (canvas.width !== w || canvas.height !== h) {
    canvas.width = w;
    canvas.height = h;
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  ctx.clearRect(0, 0, width, height);
  return ctx;
}

/** VMA `i` on screen under `t`, clipped to the view. */
export function screenSpan(layout: RangeLayout, i: number, t: ZoomTransform, width: number) {
  const x0 = t.applyX(layout.x[i]);
  const x1 = x0 + layout.width[i] * t.k;
  const x = Math.max(x0, -4);
  return { x, w: Math.min(x1, width + 4) - x };
}

export function drawAddressSpace(
  canvas: HTMLCanvasElement,
  summary: StepSummary,
  layout: RangeLayout,
  width: number,
  t: ZoomTransform,
): void {
  const ctx = prepare(canvas, width);
  if (!ctx) return;
  const p = palette(canvas);
  const n = summary.count;
  const first = firstEndingAfter(layout, t.invertX(0));
  const lastX = t.invertX(width);

  // Runs of sub-pixel VMAs of one colour become one rectangle (at full
  // colour: at that size only the kind can be told).
  let runKind = -1;
  let runX = 0;
  let runEnd = 0;
  const flush = () => {
    if (runKind < 0) return;
    ctx.fillStyle = p.kinds[runKind];
    ctx.fillRect(runX, BAR_Y, Math.max(runEnd - runX, 0.5), BAR_H);
    runKind = -1;
  };
  let end = first;
  for (; end < n && layout.x[end] <= lastX; end++) {
    const i = end;
    const { x, w } = screenSpan(layout, i, t, width);
    const kind = summary.kinds[i];
    if (w >= 3) {
      flush();
      ctx.fillStyle = p.kinds[kind];
      // What the VMA allows, as the SVG shows it (render.ts accessOf()).
      ctx.globalAlpha = ACCESS_ALPHA[accessOf(summary.perms[i])];
      // Wide enough for a hairline between neighbours: leave one.
      ctx.fillRect(x, BAR_Y, w - 1, BAR_H);
      ctx.globalAlpha = 1;
      continue;
    }
    if (kind === runKind && x - runEnd < 1) {
      runEnd = Math.max(runEnd, x + w);
      continue;
    }
    flush();
    runKind = kind;
    runX = x;
    runEnd = x + w;
  }
  flush();

  // Sealed VMAs: an outline, where there is room for one.
  ctx.strokeStyle = p.sealed;
  ctx.lineWidth = 2;
  for (let i = first; i < end; i++) {
    if (!(summary.marks[i] & MARK_SEALED)) continue;
    const { x, w } = screenSpan(layout, i, t, width);
    if (w > 4) ctx.strokeRect(x + 1.5, BAR_Y + 1.5, w - 4, BAR_H - 3);
    else ctx.fillRect(x, BAR_Y - 3, Math.max(w, 1), 3);
  }
  // Guard markers: stripes over the pages that hold them, at least 2 px wide.
  ctx.fillStyle = p.guard;
  const g = summary.guards;
  for (let k = 0; k < g.length; k += 2) {
    const x0 = t.applyX(addrToX(summary.starts, summary.ends, layout, g[k]));
    const x1 = t.applyX(addrToX(summary.starts, summary.ends, layout, g[k + 1]));
    if (x1 < 0 || x0 > width) continue;
    const w = Math.max(2, x1 - x0);
    for (let y = 0; y < BAR_H; y += 6) ctx.fillRect(x0, BAR_Y + y, w, 3);
  }

  // Permission letters and sizes where they fit: few VMAs are that wide.
  ctx.font = '11px ui-monospace, monospace';
  ctx.textAlign = 'center';
  ctx.fillStyle = p.panel;
  for (let i = first; i < end; i++) {
    const { x, w } = screenSpan(layout, i, t, width);
    if (w <= 34) continue;
    ctx.fillText(permLetters(summary.perms[i]), x + w / 2, BAR_Y + BAR_H / 2 - 4);
    const size = formatSize(summary.ends[i] - summary.starts[i]);
    if (w > size.length * 6.7 + 6) ctx.fillText(size, x + w / 2, BAR_Y + BAR_H / 2 + 12);
  }

  ctx.fillStyle = p.muted;
  let lastLabel = -Infinity;
  for (const b of layout.breaks) {
    const x = t.applyX(b.x) + (b.width * t.k) / 2;
    if (x < 0 || x > width || x - lastLabel < 60) continue;
    ctx.fillText('⋯', x, BAR_Y + BAR_H / 2 + 4);
    ctx.fillText(formatSize(b.end - b.start), x, BAR_Y + BAR_H + 16);
    lastLabel = x;
  }
  if (first < n) {
    ctx.textAlign = 'left';
    ctx.fillText(
      summary.starts[first].toString(16),
      Math.max(0, t.applyX(layout.x[first])),
      BAR_Y - 8,
    );
  }
}

/** What the overlay canvas shows: VMA indexes (or -1) and the fading mark of changed VMAs. */
export interface Overlay {
  hovered: number;
  selected: number;
  focused: number;
  /** VMAs the step changed, and how strongly they are still marked (0 to 1). */
  changed: readonly number[];
  flash: number;
  /** A merge decision's range on screen (candidate.ts), and the VMAs its merge state names. */
  candidate?: { x: number; w: number } | null;
  candidateVmas?: readonly number[];
}

export function drawOverlay(
  canvas: HTMLCanvasElement,
  layout: RangeLayout,
  width: number,
  t: ZoomTransform,
  o: Overlay,
): void {
  const ctx = prepare(canvas, width);
  if (!ctx) return;
  const p = palette(canvas);
  if (o.flash > 0) {
    ctx.globalAlpha = o.flash;
    ctx.fillStyle = p.accent;
    for (const i of o.changed) {
      const { x, w } = screenSpan(layout, i, t, width);
      if (w < -4 || x > width) continue;
      ctx.fillRect(x - 1, BAR_Y - 4, Math.max(w, 1) + 2, BAR_H + 8);
    }
    ctx.globalAlpha = 1;
  }
  if (o.candidate) {
    // As the SVG draws it (render-candidate.ts): a dashed band over the range.
    const { x, w } = o.candidate;
    ctx.fillStyle = p.candidate;
    ctx.globalAlpha = 0.18;
    ctx.fillRect(x, BAR_Y - 6, w, BAR_H + 12);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = p.candidate;
    ctx.lineWidth = 2;
    ctx.setLineDash([5, 3]);
    ctx.strokeRect(x, BAR_Y - 6, w, BAR_H + 12);
    ctx.lineWidth = 1.5;
    for (const i of o.candidateVmas ?? []) {
      const s = screenSpan(layout, i, t, width);
      ctx.strokeRect(s.x + 1, BAR_Y + 1, Math.max(s.w - 2, 1), BAR_H - 2);
    }
    ctx.setLineDash([]);
  }
  const ring = (i: number, colour: string, line: number, pad: number) => {
    if (i < 0) return;
    const { x, w } = screenSpan(layout, i, t, width);
    ctx.strokeStyle = colour;
    ctx.lineWidth = line;
    ctx.strokeRect(x - pad, BAR_Y - pad, Math.max(w, 1) + 2 * pad, BAR_H + 2 * pad);
  };
  ring(o.hovered, p.fg, 1.5, 1);
  ring(o.selected, p.accent, 3, 2);
  if (o.focused >= 0 && o.focused !== o.selected) ring(o.focused, p.accent, 1.5, 4);
}
