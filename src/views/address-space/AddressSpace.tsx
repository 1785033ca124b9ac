// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view: the VMAs of the step on screen along the 47-bit
// space, with long gaps compressed into breaks. Up to SVG_LIMIT VMAs it is an
// SVG with an element per VMA (render.ts), animated between consecutive steps
// (animate.ts); above, two canvases (render-canvas.ts). Scroll zooms, drag
// pans; hover, focus and selection are shared with the other views.
import { zoomIdentity } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';
import type { StepDiff, StepSummary } from '../../engine';
import { ExportButtons } from '../export/ExportButtons';
import { selectCurrentStep, selectStepLoading, useApp } from '../store-context';
import {
  animationMs,
  consecutive,
  planAnimation,
  type AnimationPlan,
  type Picture,
} from './animate';
import { useStepRows } from '../rows/use-step-rows';
import { rowTooltip, summaryTooltip } from './describe';
import { Legend } from './Legend';
import { DEFAULT_LAYOUT, indexAt, layoutRanges, type RangeLayout } from './layout';
import { drawAddressSpace, drawOverlay } from './render-canvas';
import { BAR_H, BAR_Y, HEIGHT, renderAddressSpace, renderHighlight } from './render';
import { Tooltip } from './Tooltip';
import { Viewport } from './viewport';
import './address-space.css';

/** Above this many VMAs the view draws on a canvas instead of one SVG element per VMA. */
export const SVG_LIMIT = 2000;
/** How long the VMAs a step changed stay marked on the canvas. */
const FLASH_MS = 700;
const TIP_WIDTH = 340;

function indexOfId(s: StepSummary, id: number | null): number {
  if (id === null) return -1;
  for (let i = 0; i < s.count; i++) if (s.ids[i] === id) return i;
  return -1;
}

/** Indexes in `s` of the VMAs whose ids are in `ids`. */
function indexesOf(s: StepSummary, ids: readonly number[]): number[] {
  if (ids.length === 0) return [];
  const want = new Set(ids);
  const out: number[] = [];
  for (let i = 0; i < s.count; i++) if (want.has(s.ids[i])) out.push(i);
  return out;
}

export function AddressSpace() {
  const timeline = useApp((s) => s.timeline);
  const step = useApp(selectCurrentStep);
  const data = useApp((s) => s.stepData);
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [zoomed, setZoomed] = useState(false);
  /** The VMA under the pointer in this view, and the one with the keyboard focus. */
  const [pointed, setPointed] = useState<number | null>(null);
  const [focused, setFocused] = useState<number | null>(null);
  /** The VMA the keyboard is on: Tab comes back to it (a roving tabindex). */
  const [active, setActive] = useState<number | null>(null);
  const viewport = useRef<Viewport | null>(null);
  const shown = useRef<{ picture: Picture; diff: StepDiff } | null>(null);
  const flash = useRef<{ indexes: number[]; start: number }>({ indexes: [], start: 0 });
  const rehighlight = useRef<() => void>(() => {});
  const frame = useRef(0);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const vp = (viewport.current ??= new Viewport());
    vp.onZoomed = setZoomed;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, entry.contentRect.width)),
    );
    observer.observe(el);
    const detach = vp.attach(el);
    return () => {
      observer.disconnect();
      detach();
      cancelAnimationFrame(frame.current);
    };
  }, []);

  useEffect(() => viewport.current?.setWidth(width), [width]);

  const summary = data?.summary;
  const layout = useMemo<RangeLayout | null>(() => {
    if (!summary) return null;
    // User Timing marks, read by bench/address-space.bench.ts.
    // Only the newest of each is kept.
    performance.clearMeasures('address-space: layout');
    performance.mark('address-space:layout');
    const l = layoutRanges(summary.starts, summary.ends, { ...DEFAULT_LAYOUT, width });
    performance.measure('address-space: layout', 'address-space:layout');
    return l;
  }, [summary, width]);
  const count = summary?.count ?? 0;
  const onCanvas = count > SVG_LIMIT || (data !== null && data.rows.length < count);
  const events = useMemo(
    () => ({
      onHover: (id: number | null) => {
        hoverVma(id);
        setPointed(id);
      },
      onFocus: (id: number | null) => {
        setFocused(id);
        if (id !== null) setActive(id);
      },
      onSelect: toggleVma,
    }),
    [hoverVma, toggleVma],
  );

  // Everything that draws reads the newest values through this function.
  useEffect(() => {
    const highlight = () => {
      if (!data || !layout) return;
      const t = viewport.current?.transform ?? zoomIdentity;
      if (!onCanvas && svg.current) renderHighlight(svg.current, hovered, selected, active);
      if (onCanvas && overlay.current) {
        const s = data.summary;
        const f = flash.current;
        const ms = animationMs();
        const age = ms > 0 ? (performance.now() - f.start) / FLASH_MS : 1;
        drawOverlay(overlay.current, layout, width, t, {
          hovered: indexOfId(s, hovered),
          selected: indexOfId(s, selected),
          focused: indexOfId(s, focused),
          changed: f.indexes,
          flash: age < 1 ? 0.6 * (1 - age) : 0,
        });
        if (age < 1) {
          cancelAnimationFrame(frame.current);
          frame.current = requestAnimationFrame(() => {
            frame.current = 0;
            highlight();
          });
        }
      }
      // The tooltip follows its VMA under the zoom.
      const id = pointed ?? focused;
      const i = id === null ? -1 : indexOfId(data.summary, id);
      if (tip.current && i >= 0) {
        const x = t.applyX(layout.x[i] + layout.width[i] / 2);
        const left = Math.max(0, Math.min(width - TIP_WIDTH, x - TIP_WIDTH / 2));
        tip.current.style.left = `${left}px`;
        tip.current.style.top = `${BAR_Y + BAR_H + 26}px`;
      }
    };
    rehighlight.current = highlight;
    if (!viewport.current) return;
    viewport.current.onFrame = () => {
      if (!data || !layout) return;
      const t = viewport.current?.transform ?? zoomIdentity;
      if (onCanvas && canvas.current)
        drawAddressSpace(canvas.current, data.summary, layout, width, t);
      if (!onCanvas && svg.current)
        renderAddressSpace(svg.current, data.rows, layout, width, t, events);
      highlight();
    };
  });

  const theme = useApp((s) => s.theme);
  // A new step (or a new width): draw it, animated when it is the next or previous step.
  useEffect(() => {
    if (!data || !layout) return;
    performance.clearMeasures('address-space: draw');
    performance.mark('address-space:draw');
    const picture: Picture = {
      timeline,
      step: data.step,
      summary: data.summary,
      rows: data.rows,
      layout,
    };
    const before = shown.current;
    shown.current = { picture, diff: data.diff };
    const moved = before !== null && before.picture.step !== data.step;
    const animate = moved && consecutive(before.picture, picture) && animationMs() > 0;
    const t = viewport.current?.transform ?? zoomIdentity;
    if (!onCanvas && svg.current) {
      let plan: AnimationPlan | null = null;
      if (animate && before.picture.summary.count <= SVG_LIMIT) {
        plan = planAnimation(before.picture, picture);
      }
      renderAddressSpace(svg.current, data.rows, layout, width, t, events, plan);
    }
    if (onCanvas && canvas.current) {
      drawAddressSpace(canvas.current, data.summary, layout, width, t);
      // On the canvas the change is a mark over the VMAs it touched, fading.
      if (animate) {
        const forward = data.step > before.picture.step;
        const ids = forward
          ? [...data.diff.added, ...data.diff.changed]
          : [...before.diff.removed, ...before.diff.changed];
        flash.current = { indexes: indexesOf(data.summary, ids), start: performance.now() };
      } else if (moved) {
        flash.current = { indexes: [], start: 0 };
      }
    }
    rehighlight.current();
    performance.measure('address-space: draw', 'address-space:draw');
    // The theme is a dependency: the canvas takes its colours from it when it draws.
  }, [data, layout, width, onCanvas, timeline, events, theme]);

  useEffect(() => {
    rehighlight.current();
  }, [hovered, selected, active, focused, pointed]);

  // Pointing at the canvas: which VMA is under the pointer (a binary search over x).
  const hitTest = (clientX: number): number => {
    if (!data || !layout || !canvas.current) return -1;
    const px = clientX - canvas.current.getBoundingClientRect().left;
    const t = viewport.current?.transform ?? zoomIdentity;
    return indexAt(layout, t.invertX(px), 3 / t.k);
  };
  const onPointerMove = (e: PointerEvent) => {
    if (!onCanvas || !data || e.buttons) return;
    const i = hitTest(e.clientX);
    events.onHover(i >= 0 ? data.summary.ids[i] : null);
  };
  const onCanvasClick = (e: { clientX: number }) => {
    if (!data) return;
    const i = hitTest(e.clientX);
    if (i >= 0) toggleVma(data.summary.ids[i]);
  };
  /** Keys on the canvas move between VMAs, as they do between the SVG's elements. */
  const onCanvasKey = (e: KeyboardEvent) => {
    if (!data || !layout || data.summary.count === 0) return;
    const s = data.summary;
    const at = Math.max(0, indexOfId(s, active));
    let to = at;
    switch (e.key) {
      case 'ArrowLeft':
      case 'ArrowUp':
        to = Math.max(0, at - 1);
        break;
      case 'ArrowRight':
      case 'ArrowDown':
        to = Math.min(s.count - 1, at + 1);
        break;
      case 'Home':
        to = 0;
        break;
      case 'End':
        to = s.count - 1;
        break;
      case 'Enter':
      case ' ':
        toggleVma(s.ids[at]);
        break;
      default:
        return;
    }
    e.preventDefault();
    e.stopPropagation();
    setActive(s.ids[to]);
    setFocused(s.ids[to]);
    // Bring a VMA the keys reached off screen into view.
    const t = viewport.current?.transform ?? zoomIdentity;
    const x = t.applyX(layout.x[to]);
    if (x < 0 || x > width) viewport.current?.centre(layout.x[to] + layout.width[to] / 2);
  };

  const tipId = pointed ?? focused;
  const tipIndex = data && tipId !== null ? indexOfId(data.summary, tipId) : -1;
  // On a large space the step comes without rows: the tooltip asks for its own.
  const tipRows = useStepRows(Math.max(0, tipIndex), tipIndex + 1);
  let tipLines: string[] | null = null;
  if (data && tipIndex >= 0) {
    const row = tipRows.at(tipIndex);
    tipLines = row ? rowTooltip(row) : summaryTooltip(data.summary, tipIndex);
  }

  // The legend follows the region rather than sitting in it: the region's
  // list items are the VMAs, one per VMA, and nothing else.
  return (
    <>
      <section className="address-space" aria-labelledby="as-heading" aria-busy={loading}>
        <h2 id="as-heading">Address space</h2>
        <p className="caption">
          {count} {count === 1 ? 'VMA' : 'VMAs'}
          {step && (
            <>
              {' '}
              after <code>{step.fn}</code>: {step.message}
            </>
          )}
        </p>
        <div className="as-toolbar">
          <button type="button" onClick={() => viewport.current?.zoomBy(2)}>
            Zoom in
          </button>
          <button type="button" onClick={() => viewport.current?.zoomBy(0.5)} disabled={!zoomed}>
            Zoom out
          </button>
          {zoomed && (
            <button type="button" className="reset-zoom" onClick={() => viewport.current?.reset()}>
              Reset zoom
            </button>
          )}
          <ExportButtons
            name="address-space"
            label="address space"
            target={() => svg.current ?? canvas.current}
          />
        </div>
        <div
          ref={box}
          className="address-space-canvas"
          title="Scroll to zoom, drag to pan; arrow keys move between VMAs, Enter selects"
          onPointerMove={onPointerMove}
          onPointerLeave={() => {
            if (pointed !== null) events.onHover(null);
          }}
        >
          {onCanvas ? (
            <>
              <canvas
                ref={canvas}
                role="img"
                aria-label={`${count} VMAs`}
                aria-describedby="as-tooltip"
                tabIndex={0}
                onClick={onCanvasClick}
                onKeyDown={onCanvasKey}
                onFocus={() => setFocused(active ?? data?.summary.ids[0] ?? null)}
                onBlur={() => setFocused(null)}
              />
              <canvas ref={overlay} className="as-overlay" aria-hidden="true" />
            </>
          ) : (
            <svg ref={svg} role="list" aria-label="VMAs" height={HEIGHT} />
          )}
          <Tooltip lines={tipLines} ref={tip} />
        </div>
      </section>
      <Legend />
    </>
  );
}
