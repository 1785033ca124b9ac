// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view without React: it keeps what the drawing needs
// between frames (the layout, the zoom, the step shown before, the fading
// mark of a step's changes), draws a step (render.ts on an SVG, or
// render-canvas.ts on canvases above SVG_LIMIT VMAs), and answers the
// pointer and the keys on the canvas, which has no element per VMA to do it.
// AddressSpace.tsx gives it the elements and the store's data.
import type { StepDiff, StepSummary } from '../../engine';
import { Viewport } from '../viewport/viewport';
import {
  animationMs,
  consecutive,
  planAnimation,
  type AnimationPlan,
  type Picture,
} from './animate';
import { isSelectKey, moveKey } from './keys';
import { DEFAULT_LAYOUT, indexAt, layoutRanges, type RangeLayout } from './layout';
import { drawAddressSpace, drawOverlay } from './render-canvas';
import { indexesOf, indexOfId, SVG_LIMIT, type ShownStep } from './step';
import {
  BAR_H,
  BAR_Y,
  HEIGHT,
  renderAddressSpace,
  renderHighlight,
  type VmaEvents,
} from './render';

/** How long the VMAs a step changed stay marked on the canvas. */
const FLASH_MS = 700;
const TIP_WIDTH = 340;

/** Where the view draws: an SVG, or the two canvases (the VMAs, and the pointer's marks over them). */
export interface Surface {
  svg: SVGSVGElement | null;
  canvas: HTMLCanvasElement | null;
  overlay: HTMLCanvasElement | null;
}

export interface AddressSpaceInput {
  data: ShownStep | null;
  /** Which run the step belongs to: steps of different runs are never animated into each other. */
  timeline: unknown;
  /** Only compared: the canvas takes its colours from the theme when it draws. */
  theme: unknown;
  hovered: number | null;
  selected: number | null;
  surface: Surface;
}

export interface AddressSpaceCallbacks {
  onHover(id: number | null): void;
  onSelect(id: number): void;
  onZoomed(zoomed: boolean): void;
  /** The VMA the tooltip is about: the one under the pointer, else the one with the keyboard focus. */
  onTip(id: number | null): void;
}

/** The subset of a keyboard event (React's or the DOM's) that the keys need. */
export interface KeyPress {
  key: string;
  preventDefault(): void;
  stopPropagation(): void;
}

const NO_CALLBACKS: AddressSpaceCallbacks = {
  onHover: () => {},
  onSelect: () => {},
  onZoomed: () => {},
  onTip: () => {},
};

export class AddressSpaceController {
  private readonly viewport = new Viewport({ scaleExtent: [1, 1e7], axis: 'x' });
  private input: AddressSpaceInput = {
    data: null,
    timeline: null,
    theme: null,
    hovered: null,
    selected: null,
    surface: { svg: null, canvas: null, overlay: null },
  };
  private callbacks = NO_CALLBACKS;
  private tip: HTMLElement | null = null;
  private width = 800;
  private laidOut: { summary: StepSummary; width: number; layout: RangeLayout } | null = null;
  /** The VMA under the pointer in this view, the one with the keyboard focus, and the one Tab comes back to (a roving tabindex). */
  private pointed: number | null = null;
  private focused: number | null = null;
  private active: number | null = null;
  private tipId: number | null = null;
  private shown: { picture: Picture; diff: StepDiff } | null = null;
  private flash: { indexes: number[]; start: number } = { indexes: [], start: 0 };
  private flashFrame = 0;

  /** What the SVG's VMA elements report; one object, so the drawing binds its handlers once. */
  readonly events: VmaEvents = {
    onHover: (id) => {
      this.callbacks.onHover(id);
      this.setPointer({ pointed: id });
    },
    onFocus: (id) => this.setPointer(id === null ? { focused: id } : { focused: id, active: id }),
    onSelect: (id) => this.callbacks.onSelect(id),
  };

  constructor() {
    this.viewport.setExtent(this.width, HEIGHT);
    this.viewport.onFrame = () => this.redraw();
  }

  /** Pans and zooms `box`, follows its width, places `tip`; returns the function that stops. */
  attach(box: HTMLElement, tip: HTMLElement, callbacks: AddressSpaceCallbacks): () => void {
    this.tip = tip;
    this.callbacks = callbacks;
    this.viewport.onChange = (t) => callbacks.onZoomed(t.k > 1);
    const observer = new ResizeObserver(([entry]) => this.resize(entry.contentRect.width));
    observer.observe(box);
    const detach = this.viewport.attach(box);
    return () => {
      observer.disconnect();
      detach();
      cancelAnimationFrame(this.flashFrame);
      this.flashFrame = 0;
      this.tip = null;
      this.callbacks = NO_CALLBACKS;
    };
  }

  /** New data from the store: a new step, surface or theme is drawn again; a new hover or selection only marked. */
  update(next: Partial<AddressSpaceInput>): void {
    const was = this.input;
    this.input = { ...was, ...next };
    const s = this.input.surface;
    const redraw =
      this.input.data !== was.data ||
      this.input.timeline !== was.timeline ||
      this.input.theme !== was.theme ||
      s.svg !== was.surface.svg ||
      s.canvas !== was.surface.canvas ||
      s.overlay !== was.surface.overlay;
    if (redraw) this.drawStep();
    else if (this.input.hovered !== was.hovered || this.input.selected !== was.selected)
      this.highlight();
  }

  resize(width: number): void {
    const w = Math.max(200, width);
    if (w === this.width) return;
    this.width = w;
    this.viewport.setExtent(w, HEIGHT);
    this.drawStep();
  }

  zoomBy(k: number): void {
    this.viewport.zoomBy(k);
  }

  resetZoom(): void {
    this.viewport.reset();
  }

  /** The layout of the step at the current width, computed again only when either changed. */
  private layout(): RangeLayout | null {
    const summary = this.input.data?.summary;
    if (!summary) return null;
    const l = this.laidOut;
    if (l && l.summary === summary && l.width === this.width) return l.layout;
    // User Timing marks, read by bench/address-space.bench.ts. Only the newest of each is kept.
    performance.clearMeasures('address-space: layout');
    performance.mark('address-space:layout');
    const layout = layoutRanges(summary.starts, summary.ends, {
      ...DEFAULT_LAYOUT,
      width: this.width,
    });
    performance.measure('address-space: layout', 'address-space:layout');
    this.laidOut = { summary, width: this.width, layout };
    return layout;
  }

  /** A new step (or width, surface, theme): drawn, animated when it is the next or previous step. */
  private drawStep(): void {
    const { data, timeline, surface } = this.input;
    const layout = this.layout();
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
    const before = this.shown;
    this.shown = { picture, diff: data.diff };
    const moved = before !== null && before.picture.step !== data.step;
    const animate = moved && consecutive(before.picture, picture) && animationMs() > 0;
    const t = this.viewport.transform;
    if (surface.svg) {
      let plan: AnimationPlan | null = null;
      if (animate && before.picture.summary.count <= SVG_LIMIT)
        plan = planAnimation(before.picture, picture);
      renderAddressSpace(surface.svg, data.rows, layout, this.width, t, this.events, plan);
    }
    if (surface.canvas) {
      drawAddressSpace(surface.canvas, data.summary, layout, this.width, t);
      // On the canvas the change is a mark over the VMAs it touched, fading.
      if (animate) {
        const forward = data.step > before.picture.step;
        const ids = forward
          ? [...data.diff.added, ...data.diff.changed]
          : [...before.diff.removed, ...before.diff.changed];
        this.flash = { indexes: indexesOf(data.summary, ids), start: performance.now() };
      } else if (moved) {
        this.flash = { indexes: [], start: 0 };
      }
    }
    this.highlight();
    performance.measure('address-space: draw', 'address-space:draw');
  }

  /** The same step under a new zoom: no animation, and no User Timing mark. */
  private redraw(): void {
    const { data, surface } = this.input;
    const layout = this.layout();
    if (!data || !layout) return;
    const t = this.viewport.transform;
    if (surface.canvas) drawAddressSpace(surface.canvas, data.summary, layout, this.width, t);
    if (surface.svg) renderAddressSpace(surface.svg, data.rows, layout, this.width, t, this.events);
    this.highlight();
  }

  /** Hover, selection, focus and the fading change marks; the tooltip follows its VMA. */
  private highlight(): void {
    const { data, hovered, selected, surface } = this.input;
    const layout = this.layout();
    if (!data || !layout) return;
    const t = this.viewport.transform;
    if (surface.svg) renderHighlight(surface.svg, hovered, selected, this.active);
    if (surface.overlay) {
      const s = data.summary;
      const ms = animationMs();
      const age = ms > 0 ? (performance.now() - this.flash.start) / FLASH_MS : 1;
      drawOverlay(surface.overlay, layout, this.width, t, {
        hovered: indexOfId(s, hovered),
        selected: indexOfId(s, selected),
        focused: indexOfId(s, this.focused),
        changed: this.flash.indexes,
        flash: age < 1 ? 0.6 * (1 - age) : 0,
      });
      if (age < 1) {
        cancelAnimationFrame(this.flashFrame);
        this.flashFrame = requestAnimationFrame(() => {
          this.flashFrame = 0;
          this.highlight();
        });
      }
    }
    const i = indexOfId(data.summary, this.pointed ?? this.focused);
    if (this.tip && i >= 0) {
      const x = t.applyX(layout.x[i] + layout.width[i] / 2);
      const left = Math.max(0, Math.min(this.width - TIP_WIDTH, x - TIP_WIDTH / 2));
      this.tip.style.left = `${left}px`;
      this.tip.style.top = `${BAR_Y + BAR_H + 26}px`;
    }
  }

  private setPointer(next: {
    pointed?: number | null;
    focused?: number | null;
    active?: number | null;
  }) {
    this.pointed = next.pointed !== undefined ? next.pointed : this.pointed;
    this.focused = next.focused !== undefined ? next.focused : this.focused;
    this.active = next.active !== undefined ? next.active : this.active;
    const tip = this.pointed ?? this.focused;
    if (tip !== this.tipId) {
      this.tipId = tip;
      this.callbacks.onTip(tip);
    }
    this.highlight();
  }

  /** The canvas's VMA under the pointer at `clientX` (a binary search over x), or -1. */
  hitTest(clientX: number): number {
    const { data, surface } = this.input;
    const layout = this.layout();
    if (!data || !layout || !surface.canvas) return -1;
    const px = clientX - surface.canvas.getBoundingClientRect().left;
    const t = this.viewport.transform;
    return indexAt(layout, t.invertX(px), 3 / t.k);
  }

  pointerMove(clientX: number, buttons: number): void {
    const data = this.input.data;
    if (!this.input.surface.canvas || !data || buttons) return;
    const i = this.hitTest(clientX);
    this.events.onHover(i >= 0 ? data.summary.ids[i] : null);
  }

  pointerLeave(): void {
    if (this.pointed !== null) this.events.onHover(null);
  }

  click(clientX: number): void {
    const data = this.input.data;
    if (!data) return;
    const i = this.hitTest(clientX);
    if (i >= 0) this.callbacks.onSelect(data.summary.ids[i]);
  }

  /** The canvas took the keyboard focus: it is on the VMA it was on last, or the first. */
  focus(): void {
    this.setPointer({ focused: this.active ?? this.input.data?.summary.ids[0] ?? null });
  }

  blur(): void {
    this.setPointer({ focused: null });
  }

  /** Keys on the canvas move between VMAs, as they do between the SVG's elements. */
  key(e: KeyPress): void {
    const data = this.input.data;
    const layout = this.layout();
    if (!data || !layout || data.summary.count === 0) return;
    const s = data.summary;
    const at = Math.max(0, indexOfId(s, this.active));
    const select = isSelectKey(e.key);
    const to = select ? at : moveKey(e.key, at, s.count);
    if (to === null) return;
    if (select) this.callbacks.onSelect(s.ids[at]);
    // The window's keys step through time; on the canvas they move between VMAs.
    e.preventDefault();
    e.stopPropagation();
    this.setPointer({ active: s.ids[to], focused: s.ids[to] });
    // Bring a VMA the keys reached off screen into view.
    const x = this.viewport.transform.applyX(layout.x[to]);
    if (x < 0 || x > this.width)
      this.viewport.centre(layout.x[to] + layout.width[to] / 2, HEIGHT / 2);
  }
}
