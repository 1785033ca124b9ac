// SPDX-License-Identifier: GPL-2.0-or-later
// Zoom and pan shared by the views (d3-zoom): the transform, and one
// drawing per animation frame however many wheel and pointer events come.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';

export interface ViewportOptions {
  /** The least and the most zoom. */
  scaleExtent: [number, number];
  /**
   * `x`: only the horizontal position and scale mean anything (a line such
   * as the address space), so the vertical offset stays 0 and the view
   * never drifts off its drawing vertically.
   */
  axis?: 'x' | 'xy';
  /** Which input events zoom and pan (d3-zoom's filter); absent, d3-zoom's own. */
  filter?: (e: Event) => boolean;
  /** Whether a double click zooms in, as d3-zoom does by default. */
  dblclick?: boolean;
}

/** d3-zoom's default constraint along x (d3-zoom does not export it), with y pinned to 0. */
function constrainX(
  t: ZoomTransform,
  extent: [[number, number], [number, number]],
  translateExtent: [[number, number], [number, number]],
): ZoomTransform {
  const dx0 = t.invertX(extent[0][0]) - translateExtent[0][0];
  const dx1 = t.invertX(extent[1][0]) - translateExtent[1][0];
  const dx = dx1 > dx0 ? (dx0 + dx1) / 2 : Math.min(0, dx0) || Math.max(0, dx1);
  return zoomIdentity.translate(t.x + dx * t.k, 0).scale(t.k);
}

export class Viewport {
  transform: ZoomTransform = zoomIdentity;
  readonly behaviour: ZoomBehavior<Element, unknown>;
  /** Draws the view under the current transform; called at most once a frame. */
  onFrame: () => void = () => {};
  /**
   * Told of every new transform, and whether the user made it (wheel, drag,
   * touch) rather than the view itself (moveTo, translateBy): a view that
   * follows its data stops following once the user has moved it.
   */
  onChange: (t: ZoomTransform, byUser: boolean) => void = () => {};
  private frame = 0;
  private el: Element | null = null;
  /** Set while the view moves itself: d3-zoom still reports the wheel event then in progress. */
  private programmatic = false;
  private readonly dblclick: boolean;

  constructor(options: ViewportOptions) {
    this.dblclick = options.dblclick ?? true;
    this.behaviour = zoom<Element, unknown>()
      .scaleExtent(options.scaleExtent)
      .on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
        this.transform = e.transform;
        this.onChange(e.transform, Boolean(e.sourceEvent) && !this.programmatic);
        this.schedule();
      });
    if (options.filter) this.behaviour.filter(options.filter);
    if (options.axis === 'x') this.behaviour.constrain(constrainX);
  }

  /** Listens to the wheel and pointer on `el`; returns the function that stops. */
  attach(el: Element): () => void {
    this.el = el;
    select(el).call(this.behaviour);
    if (!this.dblclick) select(el).on('dblclick.zoom', null);
    return () => {
      select(el).on('.zoom', null);
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.el = null;
    };
  }

  /** The drawing's size: panning stops at its edges. */
  setExtent(width: number, height: number): void {
    this.behaviour.translateExtent([
      [0, 0],
      [width, height],
    ]);
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onFrame();
    });
  }

  /** Draws now instead of at the frame already asked for: a caller that draws itself needs no second drawing. */
  cancelFrame(): void {
    cancelAnimationFrame(this.frame);
    this.frame = 0;
  }

  zoomBy(k: number): void {
    if (this.el) select(this.el).call(this.behaviour.scaleBy, k);
  }

  reset(): void {
    this.moveTo(zoomIdentity);
  }

  /** Centres layout position (`x`, `y`), untransformed, keeping the zoom. */
  centre(x: number, y: number): void {
    if (this.el) select(this.el).call(this.behaviour.translateTo, x, y);
  }

  /** Puts the view at `t`: the view's own move, not the user's. */
  moveTo(t: ZoomTransform): void {
    this.ownMove((el) => select(el).call(this.behaviour.transform, t));
  }

  /** Shifts the view by (`dx`, `dy`) layout pixels: the view's own move, not the user's. */
  translateBy(dx: number, dy: number): void {
    this.ownMove((el) => select(el).call(this.behaviour.translateBy, dx, dy));
  }

  private ownMove(move: (el: Element) => void): void {
    if (!this.el) return;
    this.programmatic = true;
    try {
      move(this.el);
    } finally {
      this.programmatic = false;
    }
  }
}
