// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view without React: which nodes are open, the layout, where
// the view looks (the step's path, unless the user moved it) and the drawing
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
import { bindMapleTreeEvents, renderMapleTree, type RenderHandlers } from './render';

/** The drawing is as tall as the tree shown, within these bounds; wider trees pan and zoom inside it. */
const MIN_HEIGHT = 160;
const MAX_HEIGHT = 560;
const PAD = 12;

function drawingHeight(layout: TreeLayout | null): number {
  return Math.round(Math.min(MAX_HEIGHT, Math.max(MIN_HEIGHT, (layout?.height ?? 0) + 2 * PAD)));
}

/**
 * Where the view looks when the user has not moved it: the whole tree when
 * it fits at a readable scale, else the path from the root to the `focus`
 * node (the selected VMA's leaf, or the deepest node the step touched).
 */
export function autoTransform(
  layout: TreeLayout,
  path: readonly number[],
  width: number,
  height: number,
): ZoomTransform {
  if (layout.nodes.length === 0) return zoomIdentity;
  const fitH = (height - 2 * PAD) / layout.height;
  const fit = Math.min((width - 2 * PAD) / layout.width, fitH);
  if (fit >= 0.6) {
    const k = Math.min(1, fit);
    return zoomIdentity.translate((width - layout.width * k) / 2, PAD).scale(k);
  }
  let x0 = Infinity;
  let x1 = -Infinity;
  for (const i of path.length ? path : [0]) {
    const p = layout.byIndex.get(i);
    if (!p) continue;
    x0 = Math.min(x0, p.x);
    x1 = Math.max(x1, p.x + p.width);
  }
  // Readable first: below this scale the cells' text is too small to read.
  const k = Math.max(0.75, Math.min(1, fitH, (width - 2 * PAD) / (x1 - x0)));
  // The whole path when it fits, else its lowest node (the leaf).
  const last = layout.byIndex.get(path[0] ?? 0) ?? layout.nodes[0];
  const cx = (x1 - x0) * k <= width - 2 * PAD ? (x0 + x1) / 2 : last.x + last.width / 2;
  return zoomIdentity.translate(width / 2 - cx * k, PAD).scale(k);
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
  /** MapleView indices on the path to the selected VMA, and on the path the view looks at. */
  private focusPath: ReadonlySet<number> = new Set();
  private focusNodes: number[] = [];
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
    this.focusNodes = [];
    if (view) {
      const leaves = found ? [found.leaf] : [];
      const open = defaultExpanded(view, leaves);
      const expanded = (i: number) => this.overrides.get(nodeKey(view, i)) ?? open.has(i);
      const prefer = focusPaths(view, leaves);
      const layout = measured('maple-tree layout', () =>
        layoutTree(view, expanded, DEFAULT_LAYOUT, prefer),
      );
      this.layout = layout;
      // The node to look at: the selected VMA's leaf, else the deepest node the step touched.
      let focus: number | null = found && layout.byIndex.has(found.leaf) ? found.leaf : null;
      if (focus === null)
        for (const p of layout.nodes)
          if (
            view.status[p.index] > 0 &&
            (focus === null || view.depths[p.index] >= view.depths[focus])
          )
            focus = p.index;
      this.focusNodes = focus !== null ? pathTo(view, focus) : [];
    }
    this.place(anchor);
  }

  /** Sizes the drawing, looks at the step (unless the user moved the view) and draws. */
  private place(anchor: { index: number; x: number } | null): void {
    const height = drawingHeight(this.layout);
    if (this.svg) {
      this.svg.setAttribute('width', String(this.width));
      this.svg.setAttribute('height', String(height));
      this.svg.setAttribute('viewBox', `0 0 ${this.width} ${height}`);
    }
    this.tellMoved();
    if (!this.layout) return;
    if (!this.isMoved()) {
      this.viewport.moveTo(autoTransform(this.layout, this.focusNodes, this.width, height));
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
        height: drawingHeight(layout),
        focusPath: this.focusPath,
        hovered,
        selected,
      }),
    );
  }
}
