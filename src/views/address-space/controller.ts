// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view without React: it keeps what the drawing needs
// between frames (the layout, the zoom, the step shown before, the fading
// mark of a step's changes), draws a step (render.ts on an SVG, or
// render-canvas.ts on canvases above SVG_LIMIT VMAs), and answers the
// pointer and the keys on the canvas, which has no element per VMA to do it.
// On a large space (focus.ts) the main line draws a window of the VMAs around
// the step's change, and an overview strip the whole space.
// It is over 600 lines because the window, the overview, the merge band and
// the animation all read and move the same layout and zoom state.
// AddressSpace.tsx gives it the elements and the store's data.
import type { StepDiff, StepSummary, VmaRow } from '../../engine';
import { Viewport } from '../viewport/viewport';
import {
  animationMs,
  consecutive,
  planAnimation,
  type AnimationPlan,
  type Picture,
} from './animate';
import { candidateOf, candidateSpan, layoutWithRoom, type Candidate, type Span } from './candidate';
import { findChange, indexSpan, uncovered, type AddrRange, type ChangeInput } from './change';
import {
  keepsInView,
  moveWindow,
  needsFocus,
  sliceSummary,
  windowAround,
  windowAt,
  windowSize,
  type FocusWindow,
} from './focus';
import { isSelectKey, moveKey } from './keys';
import {
  addrToX,
  DEFAULT_LAYOUT,
  formatSize,
  indexAt,
  layoutRanges,
  type RangeLayout,
} from './layout';
import { layoutReadable } from './layout-readable';
import { drawAddressSpace, drawOverlay } from './render-canvas';
import { renderCandidate } from './render-candidate';
import { drawOverview, stripSpan, type StripSpan } from './render-overview';
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
/** The narrowest the change is marked on the overview strip, in pixels. */
const MIN_MARK = 3;
/** The narrowest a gap between VMAs of a window is drawn: a one-page hole shows. */
const MIN_GAP = 6;
/** Steps kept to find where a removed VMA was: a few summaries, 23 bytes a VMA each. */
const EARLIER = 4;

/** What the main line draws: the whole step, or a window of it with its own layout. */
interface MainLine {
  data: ShownStep;
  width: number;
  window: FocusWindow | null;
  summary: StepSummary;
  rows: readonly VmaRow[];
  layout: RangeLayout;
  /** The merge decision's band (candidate.ts), untransformed; null without one. */
  band: Span | null;
}

const hexOf = (n: number) => '0x' + n.toString(16);
const count = (n: number) => n.toLocaleString('en');

/** Where the view draws: an SVG, or the two canvases (the VMAs, and the pointer's marks over them). */
export interface Surface {
  svg: SVGSVGElement | null;
  canvas: HTMLCanvasElement | null;
  overlay: HTMLCanvasElement | null;
  /** The overview strip of a large space, and the mark of the step's change on the main line. */
  overview?: HTMLCanvasElement | null;
  changeMark?: HTMLElement | null;
}

/** The window a large space's main line shows, for the overview around it. */
export interface WindowInfo {
  from: number;
  to: number;
  count: number;
  /** `VMAs 2,401–2,450 of 4,980: 0x…–0x…`, 1-based as a reader counts. */
  text: string;
  /** The window's frame on the overview strip, in pixels. */
  frame: StripSpan;
  /** The step's change on the strip, and its name. */
  change: (StripSpan & { label: string }) | null;
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
  /** The window on a large space, or null when the space is drawn whole. */
  onWindow?(info: WindowInfo | null): void;
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
  private main: MainLine | null = null;
  /** The window of a large space's main line (null: drawn whole), the change it follows, the step shown before. */
  private window: FocusWindow | null = null;
  private change: AddrRange | null = null;
  private candidate: Candidate | null = null;
  private reported = '';
  /** Summaries of the run's steps shown last, newest first: where a removed VMA was (change.ts). */
  private earlier: { timeline: unknown; summaries: StepSummary[] } = {
    timeline: null,
    summaries: [],
  };
  private before: (ChangeInput & { timeline: unknown; width: number }) | null = null;
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
      s.overlay !== was.surface.overlay ||
      s.overview !== was.surface.overview;
    if (redraw) this.drawStep();
    else if (this.input.selected !== was.selected && this.reveal(this.input.selected)) return;
    else if (this.input.hovered !== was.hovered || this.input.selected !== was.selected)
      this.highlight();
  }

  /** A VMA selected elsewhere (the maps table, the Reasons) outside the window: the window goes to it. */
  private reveal(id: number | null): boolean {
    const w = this.window;
    const s = this.input.data?.summary;
    if (!w || !s || id === null) return false;
    const i = indexOfId(s, id);
    if (i < 0 || (i >= w.from && i < w.to)) return false;
    this.showWindow(windowAt(i, s.count, w.to - w.from));
    return true;
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

  /** The whole step laid out at the current width, computed again only when either changed. */
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

  /** What the main line draws: the whole step, or the window's VMAs laid out readable. */
  private mainLine(): MainLine | null {
    const data = this.input.data;
    const whole = this.layout();
    if (!data || !whole) return null;
    const m = this.main;
    const w = this.window;
    if (m && m.data === data && m.width === this.width && m.window === w) return m;
    const summary = w ? sliceSummary(data.summary, w.from, w.to) : data.summary;
    const lay = (starts: ArrayLike<number>, ends: ArrayLike<number>) =>
      w
        ? layoutReadable(starts, ends, {
            ...DEFAULT_LAYOUT,
            width: this.width,
            minGapWidth: MIN_GAP,
          })
        : layoutRanges(starts, ends, { ...DEFAULT_LAYOUT, width: this.width });
    const { starts, ends } = summary;
    // A new range not mapped yet gets room on the line, where it would go.
    const c = this.candidate;
    const extra = c ? uncovered(starts, ends, c.start, c.end) : [];
    const { layout, room } =
      extra.length > 0
        ? layoutWithRoom(starts, ends, extra, lay)
        : { layout: w ? lay(starts, ends) : whole, room: [] };
    const rows = w ? (data.rows.length >= w.to ? data.rows.slice(w.from, w.to) : []) : data.rows;
    const band = c ? candidateSpan(starts, ends, layout, c, room, this.width) : null;
    const line: MainLine = { data, width: this.width, window: w, summary, rows, layout, band };
    this.main = line;
    return line;
  }

  /**
   * On a large space, the window that keeps the step's change in sight: the
   * one shown if it already does (so that a window the user moved stays
   * while the change is in it), else one around the change.
   */
  private follow(data: ShownStep, whole: RangeLayout): void {
    const { timeline } = this.input;
    const s = data.summary;
    this.candidate = candidateOf(data.event);
    const before = this.before?.timeline === timeline ? this.before : null;
    if (this.earlier.timeline !== timeline) this.earlier = { timeline, summaries: [] };
    const earlier = this.earlier.summaries;
    this.before = { timeline, step: data.step, summary: s, diff: data.diff, width: this.width };
    if (!needsFocus(s.count, whole)) {
      this.window = null;
      this.change = null;
      return;
    }
    // The same step again (a new width): the change found when it came stays.
    const again = before?.step === data.step && before.summary === s;
    if (!again) this.change = findChange(data, before, this.candidate, earlier);
    if (!earlier.includes(s)) earlier.unshift(s);
    earlier.length = Math.min(earlier.length, EARLIER);
    const size = windowSize(this.width);
    const was = this.window;
    let next: FocusWindow;
    if (was === null) next = windowAt(0, s.count, size);
    else if (was.to - was.from !== Math.min(size, s.count))
      next = windowAt(Math.min((was.from + was.to) >> 1, s.count - 1), s.count, size);
    else next = moveWindow(was, 0, s.count);
    if (this.change) {
      const [lo, hi] = indexSpan(s, this.change);
      if (!keepsInView(next, lo, hi, s.count)) next = windowAround(lo, hi, s.count, size);
    }
    this.setWindowOnly(next);
  }

  /** Takes `w` as the window; a window that moved drops the zoom, which was about the old one. */
  private setWindowOnly(w: FocusWindow): void {
    const was = this.window;
    if (was && was.from === w.from && was.to === w.to) return;
    this.window = w;
    const t = this.viewport.transform;
    if (t.k !== 1 || t.x !== 0) {
      this.viewport.reset();
      this.viewport.cancelFrame();
    }
  }

  /** A new step (or width, surface, theme): drawn, animated when it is the next or previous step. */
  private drawStep(): void {
    const { data, timeline, surface } = this.input;
    const whole = this.layout();
    if (!data || !whole) return;
    performance.clearMeasures('address-space: draw');
    performance.mark('address-space:draw');
    const b = this.before;
    if (b?.step !== data.step || b.summary !== data.summary || b.width !== this.width)
      this.follow(data, whole);
    const main = this.mainLine();
    if (!main) return;
    const picture: Picture = {
      timeline,
      step: data.step,
      summary: main.summary,
      rows: main.rows,
      layout: main.layout,
    };
    const fromCall = this.fromCall(picture);
    const before = fromCall ?? this.shown;
    this.shown = { picture, diff: data.diff };
    const moved = before !== null && before.picture.step !== data.step;
    const animate =
      moved && (fromCall !== null || consecutive(before.picture, picture)) && animationMs() > 0;
    const t = this.viewport.transform;
    if (surface.svg) {
      let plan: AnimationPlan | null = null;
      if (animate && before.picture.summary.count <= SVG_LIMIT)
        plan = planAnimation(before.picture, picture);
      renderAddressSpace(surface.svg, main.rows, main.layout, this.width, t, this.events, plan);
      this.drawCandidate(main);
    }
    if (surface.canvas) {
      drawAddressSpace(surface.canvas, main.summary, main.layout, this.width, t);
      // On the canvas the change is a mark over the VMAs it touched, fading.
      if (animate) {
        const forward = data.step > before.picture.step;
        const ids = forward
          ? [...data.diff.added, ...data.diff.changed]
          : [...before.diff.removed, ...before.diff.changed];
        this.flash = { indexes: indexesOf(main.summary, ids), start: performance.now() };
      } else if (moved) {
        this.flash = { indexes: [], start: 0 };
      }
    }
    this.drawOverview();
    this.highlight();
    performance.measure('address-space: draw', 'address-space:draw');
  }

  /**
   * The state before a whole call, as a picture to animate from, when the
   * step shown is that call's and the space is drawn whole (a window's
   * layout before the call would not be the one on screen).
   */
  private fromCall(picture: Picture): { picture: Picture; diff: StepDiff } | null {
    const b = this.input.data?.before;
    if (!b || this.window !== null) return null;
    if (this.shown?.picture.step === picture.step) return null;
    const layout = layoutRanges(b.summary.starts, b.summary.ends, {
      ...DEFAULT_LAYOUT,
      width: this.width,
    });
    const empty: StepDiff = { added: [], removed: [], changed: [] };
    return {
      picture: {
        timeline: picture.timeline,
        step: b.step,
        summary: b.summary,
        rows: b.rows,
        layout,
      },
      diff: empty,
    };
  }

  /** The same step under a new zoom or window: no animation, and no User Timing mark. */
  private redraw(): void {
    const { surface } = this.input;
    const main = this.mainLine();
    if (!main) return;
    const t = this.viewport.transform;
    if (surface.canvas) drawAddressSpace(surface.canvas, main.summary, main.layout, this.width, t);
    if (surface.svg) {
      renderAddressSpace(surface.svg, main.rows, main.layout, this.width, t, this.events);
      this.drawCandidate(main);
    }
    this.drawOverview();
    this.highlight();
  }

  private drawCandidate(main: MainLine): void {
    const svg = this.input.surface.svg;
    if (!svg) return;
    renderCandidate(svg, this.candidate, main.band, this.viewport.transform);
  }

  /** The overview strip of a large space, and what AddressSpace.tsx shows around it. */
  private drawOverview(): void {
    const { data, surface } = this.input;
    const whole = this.layout();
    const w = this.window;
    if (!data || !whole || !w) {
      this.report(null);
      return;
    }
    const s = data.summary;
    const frame = stripSpan(whole, w.from, w.to, 4);
    if (surface.overview) drawOverview(surface.overview, s, whole, this.width, frame);
    const c = this.change;
    let change: WindowInfo['change'] = null;
    if (c) {
      const x0 = addrToX(s.starts, s.ends, whole, c.start);
      const x1 = addrToX(s.starts, s.ends, whole, c.end);
      const wide = Math.max(MIN_MARK, x1 - x0);
      change = { x: x0 - (wide - (x1 - x0)) / 2, w: wide, label: this.changeLabel(c) };
    }
    const last = w.to - 1;
    const text =
      `VMAs ${count(w.from + 1)}–${count(w.to)} of ${count(s.count)}: ` +
      `${hexOf(s.starts[w.from])}–${hexOf(s.ends[last])}`;
    this.report({ from: w.from, to: w.to, count: s.count, text, frame, change });
  }

  /** Tells the shell of the window only when it changed: zooming redraws every frame. */
  private report(info: WindowInfo | null): void {
    const key = JSON.stringify(info);
    if (key === this.reported) return;
    this.reported = key;
    this.callbacks.onWindow?.(info);
  }

  private changeLabel(c: AddrRange): string {
    return `This step’s change: ${hexOf(c.start)}–${hexOf(c.end)} (${formatSize(c.end - c.start)})`;
  }

  /** Hover, selection, focus and the fading change marks; the tooltip follows its VMA. */
  private highlight(): void {
    const { hovered, selected, surface } = this.input;
    const main = this.mainLine();
    if (!main) return;
    const { summary: s, layout } = main;
    const t = this.viewport.transform;
    if (surface.svg) renderHighlight(surface.svg, hovered, selected, this.active);
    if (surface.overlay) {
      const ms = animationMs();
      const age = ms > 0 ? (performance.now() - this.flash.start) / FLASH_MS : 1;
      const c = this.candidate;
      const band = main.band;
      const candidate = band ? { x: t.applyX(band.x), w: band.w * t.k } : null;
      drawOverlay(surface.overlay, layout, this.width, t, {
        hovered: indexOfId(s, hovered),
        selected: indexOfId(s, selected),
        focused: indexOfId(s, this.focused),
        changed: this.flash.indexes,
        flash: age < 1 ? 0.6 * (1 - age) : 0,
        candidate,
        candidateVmas: c
          ? indexesOf(
              s,
              [c.prev, c.middle, c.next].filter((id) => id !== null),
            )
          : [],
      });
      if (age < 1) {
        cancelAnimationFrame(this.flashFrame);
        this.flashFrame = requestAnimationFrame(() => {
          this.flashFrame = 0;
          this.highlight();
        });
      }
    }
    this.placeChangeMark(main);
    const i = indexOfId(s, this.pointed ?? this.focused);
    if (this.tip && i >= 0) {
      const x = t.applyX(layout.x[i] + layout.width[i] / 2);
      const left = Math.max(0, Math.min(this.width - TIP_WIDTH, x - TIP_WIDTH / 2));
      this.tip.style.left = `${left}px`;
      this.tip.style.top = `${BAR_Y + BAR_H + 26}px`;
    }
  }

  /** Under the window's line, a bracket under the step's change: what to look at. */
  private placeChangeMark(main: MainLine): void {
    const el = this.input.surface.changeMark;
    if (!el) return;
    const c = this.change;
    if (!main.window || !c) {
      el.hidden = true;
      return;
    }
    const { starts, ends } = main.summary;
    const t = this.viewport.transform;
    const x0 = t.applyX(addrToX(starts, ends, main.layout, c.start));
    const x1 = t.applyX(addrToX(starts, ends, main.layout, c.end));
    el.hidden = false;
    el.setAttribute('aria-label', this.changeLabel(c));
    el.style.left = `${x0}px`;
    el.style.width = `${Math.max(1, x1 - x0)}px`;
    el.style.top = `${BAR_Y + BAR_H + 2}px`;
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

  /** The canvas's VMA under the pointer at `clientX` (a binary search over x), or -1: an index of the main line. */
  hitTest(clientX: number): number {
    const { surface } = this.input;
    const main = this.mainLine();
    if (!main || !surface.canvas) return -1;
    const px = clientX - surface.canvas.getBoundingClientRect().left;
    const t = this.viewport.transform;
    return indexAt(main.layout, t.invertX(px), 3 / t.k);
  }

  pointerMove(clientX: number, buttons: number): void {
    const main = this.mainLine();
    if (!this.input.surface.canvas || !main || buttons) return;
    const i = this.hitTest(clientX);
    this.events.onHover(i >= 0 ? main.summary.ids[i] : null);
  }

  pointerLeave(): void {
    if (this.pointed !== null) this.events.onHover(null);
  }

  click(clientX: number): void {
    const main = this.mainLine();
    if (!main) return;
    const i = this.hitTest(clientX);
    if (i >= 0) this.callbacks.onSelect(main.summary.ids[i]);
  }

  /** The canvas took the keyboard focus: it is on the VMA it was on last, or the first shown. */
  focus(): void {
    this.setPointer({ focused: this.active ?? this.mainLine()?.summary.ids[0] ?? null });
  }

  blur(): void {
    this.setPointer({ focused: null });
  }

  /** Keys on the canvas move between VMAs, as they do between the SVG's elements; the window follows. */
  key(e: KeyPress): void {
    const data = this.input.data;
    if (!data || data.summary.count === 0) return;
    const s = data.summary;
    const w = this.window;
    const at = Math.max(w?.from ?? 0, indexOfId(s, this.active));
    const select = isSelectKey(e.key);
    const to = select ? at : moveKey(e.key, at, s.count);
    if (to === null) return;
    if (select) this.callbacks.onSelect(s.ids[at]);
    // The window's keys step through time; on the canvas they move between VMAs.
    e.preventDefault();
    e.stopPropagation();
    if (w && (to < w.from || to >= w.to)) this.showWindow(windowAt(to, s.count, w.to - w.from));
    this.setPointer({ active: s.ids[to], focused: s.ids[to] });
    // Bring a VMA the keys reached off screen into view.
    const main = this.mainLine();
    if (!main) return;
    const i = to - (main.window?.from ?? 0);
    const x = this.viewport.transform.applyX(main.layout.x[i]);
    if (x < 0 || x > this.width)
      this.viewport.centre(main.layout.x[i] + main.layout.width[i] / 2, HEIGHT / 2);
  }

  /** Moves the window of a large space and draws it (the user's move: the step stays). */
  private showWindow(w: FocusWindow): void {
    const was = this.window;
    if (!was || (was.from === w.from && was.to === w.to)) return;
    this.setWindowOnly(w);
    this.redraw();
  }

  /** The window moved by `pages` of its own size (Earlier: negative; Later: positive). */
  shiftWindow(pages: number): void {
    const w = this.window;
    const s = this.input.data?.summary;
    if (!w || !s) return;
    this.showWindow(moveWindow(w, Math.round(pages * (w.to - w.from)), s.count));
  }

  /** The window centred on the VMA drawn at `x` pixels into the overview strip. */
  windowAtStrip(x: number): void {
    const w = this.window;
    const whole = this.layout();
    const s = this.input.data?.summary;
    if (!w || !whole || !s || s.count === 0) return;
    const i = indexAt(whole, x, Infinity);
    this.showWindow(windowAt(i, s.count, w.to - w.from));
  }

  /** Keys on the window's frame, a slider over the VMAs: a quarter, a page, the ends. */
  windowKey(e: KeyPress): void {
    const w = this.window;
    const s = this.input.data?.summary;
    if (!w || !s) return;
    const size = w.to - w.from;
    const by: Record<string, number> = {
      ArrowLeft: -0.25,
      ArrowDown: -0.25,
      ArrowRight: 0.25,
      ArrowUp: 0.25,
      // As on any slider: up is more (later VMAs).
      PageUp: 1,
      PageDown: -1,
      Home: -s.count,
      End: s.count,
    };
    const pages = by[e.key];
    if (pages === undefined) return;
    e.preventDefault();
    e.stopPropagation();
    this.showWindow(moveWindow(w, Math.round(pages * size) || Math.sign(pages), s.count));
  }
}
