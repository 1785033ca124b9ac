// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view without React: which nodes are open, the layout, where
// the view looks (the whole tree fitted to the box, unless the user moved it) and the drawing
// (render.ts), one per animation frame while the user pans and zooms.
// MapleTree.tsx gives it the elements and the store's data.
import { zoomIdentity, type ZoomTransform } from 'd3-zoom';
import type { MapleView, StepSummary } from '../../engine';
import { Viewport } from '../viewport/viewport';
import {
  DEFAULT_LAYOUT,
  defaultExpanded,
  findVma,
  focusPaths,
  layoutTree,
  measured,
  nodeKey,
  pathTo,
  type TreeLayout,
} from './layout';
import { GUTTER, bindMapleTreeEvents, renderMapleTree, type RenderHandlers } from './render';

/** The drawing is as tall as the tree shown at the fitted zoom, within these bounds. */
const MIN_HEIGHT = 160;
const MAX_HEIGHT = 560;
const PAD = 12;
/** A small tree is drawn larger, up to this zoom, where its slots' words fit. */
const MAX_FIT = 3;

/** The zoom at which the whole tree shown fits a box `width` wide and at most MAX_HEIGHT high. */
export function fitScale(layout: TreeLayout, width: number): number {
  if (layout.nodes.length === 0) return 1;
  const fitW = (width - GUTTER - 2 * PAD) / layout.width;
  const fitH = (MAX_HEIGHT - 2 * PAD) / layout.height;
  return Math.min(MAX_FIT, fitW, fitH);
}

/** The drawing's height: the tree at its fitted zoom, between MIN_HEIGHT and MAX_HEIGHT. */
export function drawingHeight(layout: TreeLayout | null, width: number): number {
  const h = layout ? layout.height * fitScale(layout, width) + 2 * PAD : 0;
  return Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, h)));
}

/**
 * Where the view looks when the user has not moved it (and after Reset
 * zoom): the whole tree shown, fitted to the box's width beside the
 * levels' names, and centred. Zooming in writes what the cells hold.
 */
export function autoTransform(layout: TreeLayout, width: number): ZoomTransform {
  if (layout.nodes.length === 0) return zoomIdentity;
  const k = fitScale(layout, width);
  const left = GUTTER + PAD + (width - GUTTER - 2 * PAD - layout.width * k) / 2;
  return zoomIdentity.translate(left, PAD).scale(k);
}

/** Buttons take their own clicks; the wheel and left-button drags elsewhere pan and zoom. */
function zoomsOn(e: Event): boolean {
  const t = e.target as Element;
  if (e.type === 'mousedown' && t.closest?.('[role=button]')) return false;
  return (!('button' in e) || (e as MouseEvent).button === 0) && e.type !== 'dblclick';
}

export interface MapleInput {
  view: MapleView | null;
  /** The step's VMAs, for the kind (colour) of each slot. */
  summary: StepSummary | null;
  hovered: number | null;
  selected: number | null;
}

export interface MapleCallbacks {
  onHover(id: number | null): void;
  onSelect(id: number): void;
  /** Whether the user has moved the view (which the view then keeps across steps). */
  onMoved(moved: boolean): void;
}

const NO_CALLBACKS: MapleCallbacks = { onHover: () => {}, onSelect: () => {}, onMoved: () => {} };

export class MapleTreeController {
  private readonly viewport = new Viewport({
    scaleExtent: [0.02, 4],
    filter: zoomsOn,
    dblclick: false,
  });
  private input: MapleInput = { view: null, summary: null, hovered: null, selected: null };
  private callbacks = NO_CALLBACKS;
  private svg: SVGSVGElement | null = null;
  private width = 800;
  /**
   * The user moved the view (for the VMA then selected): steps keep it
   * there. Selecting another VMA, or Reset zoom, looks at the step again.
   */
  private movedFor: { selected: number | null } | null = null;
  private toldMoved = false;
  /** Subtrees the user opened (true) or closed (false), by node key: they stay so across steps. */
  private readonly overrides = new Map<string, boolean>();
  private layout: TreeLayout | null = null;
  /** MapleView indices on the path to the selected VMA. */
  private focusPath: ReadonlySet<number> = new Set();
  private readonly handlers: RenderHandlers = {
    onHover: (id) => this.callbacks.onHover(id),
    onSelect: (id) => this.callbacks.onSelect(id),
    onToggle: (i) => this.toggle(i),
  };

  constructor() {
    this.viewport.onFrame = () => this.draw();
    this.viewport.onChange = (_t, byUser) => {
      if (!byUser) return;
      this.movedFor = { selected: this.input.selected };
      this.tellMoved();
    };
  }

  /** Pans and zooms `box`, follows its width, draws into `svg`; returns the function that stops. */
  attach(box: HTMLElement, svg: SVGSVGElement, callbacks: MapleCallbacks): () => void {
    this.svg = svg;
    this.callbacks = callbacks;
    const observer = new ResizeObserver(([entry]) => this.resize(entry.contentRect.width));
    observer.observe(box);
    const detach = this.viewport.attach(box);
    const unbind = bindMapleTreeEvents(svg, () => this.handlers);
    this.place(null);
    return () => {
      observer.disconnect();
      detach();
      unbind();
      this.svg = null;
      this.callbacks = NO_CALLBACKS;
    };
  }

  /** New data from the store: a new step or selection is laid out again; a new hover only drawn. */
  update(next: Partial<MapleInput>): void {
    const was = this.input;
    this.input = { ...was, ...next };
    const now = this.input;
    if (now.view !== was.view || now.selected !== was.selected) this.relayout();
    else if (now.summary !== was.summary || now.hovered !== was.hovered) this.draw();
  }

  resize(width: number): void {
    const w = Math.max(200, width);
    if (w === this.width) return;
    this.width = w;
    this.place(null);
  }

  /** Back to looking at the step's path, as before the user moved the view. */
  resetZoom(): void {
    this.movedFor = null;
    this.place(null);
  }

  private isMoved(): boolean {
    return this.movedFor !== null && this.movedFor.selected === this.input.selected;
  }

  private tellMoved(): void {
    const moved = this.isMoved();
    if (moved === this.toldMoved) return;
    this.toldMoved = moved;
    this.callbacks.onMoved(moved);
  }

  /** Opens or closes node `i`'s subtree; the node stays where it is on screen. */
  private toggle(i: number): void {
    const { view } = this.input;
    const placed = this.layout?.byIndex.get(i);
    if (!view || !placed) return;
    this.overrides.set(nodeKey(view, i), !placed.expanded);
    this.relayout({ index: i, x: placed.x });
  }

  /** Lays the tree out again; `anchor` is a node to keep in place on screen, and where it was. */
  private relayout(anchor: { index: number; x: number } | null = null): void {
    const { view, selected } = this.input;
    const found = view && selected !== null ? findVma(view, selected) : null;
    this.focusPath = new Set(view && found ? pathTo(view, found.leaf) : []);
    this.layout = null;
    if (view) {
      const leaves = found ? [found.leaf] : [];
      const open = defaultExpanded(view, leaves);
      const expanded = (i: number) => this.overrides.get(nodeKey(view, i)) ?? open.has(i);
      const prefer = focusPaths(view, leaves);
      this.layout = measured('maple-tree layout', () =>
        layoutTree(view, expanded, DEFAULT_LAYOUT, prefer),
      );
    }
    this.place(anchor);
  }

  /** Sizes the drawing, looks at the step (unless the user moved the view) and draws. */
  private place(anchor: { index: number; x: number } | null): void {
    const height = drawingHeight(this.layout, this.width);
    if (this.svg) {
      this.svg.setAttribute('width', String(this.width));
      this.svg.setAttribute('height', String(height));
      this.svg.setAttribute('viewBox', `0 0 ${this.width} ${height}`);
    }
    this.tellMoved();
    if (!this.layout) return;
    if (!this.isMoved()) {
      this.viewport.moveTo(autoTransform(this.layout, this.width));
    } else if (anchor) {
      const now = this.layout.byIndex.get(anchor.index);
      if (now) this.viewport.translateBy(anchor.x - now.x, 0);
    }
    // Drawn now rather than at the frame the move asked for: the step shows at once.
    this.viewport.cancelFrame();
    this.draw();
  }

  private draw(): void {
    const { view, summary, hovered, selected } = this.input;
    const { svg, layout } = this;
    if (!svg || !view || !layout) return;
    measured('maple-tree render', () =>
      renderMapleTree(svg, {
        view,
        layout,
        options: DEFAULT_LAYOUT,
        summary,
        transform: this.viewport.transform,
        width: this.width,
        height: drawingHeight(layout, this.width),
        focusPath: this.focusPath,
        hovered,
        selected,
      }),
    );
  }
}
