// SPDX-License-Identifier: GPL-2.0-or-later
// Zoom and pan of the address space (d3-zoom): the transform, and one
// drawing per animation frame however many wheel and pointer events come.
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3-zoom';
import { HEIGHT } from './render';

export class Viewport {
  transform: ZoomTransform = zoomIdentity;
  readonly behaviour: ZoomBehavior<HTMLDivElement, unknown>;
  /** Draws the view under the current transform; called at most once a frame. */
  onFrame: () => void = () => {};
  /** Told whether the view is zoomed in, when that may have changed. */
  onZoomed: (zoomed: boolean) => void = () => {};
  private frame = 0;
  private el: HTMLDivElement | null = null;

  constructor() {
    this.behaviour = zoom<HTMLDivElement, unknown>()
      .scaleExtent([1, 1e7])
      .on('zoom', (e: { transform: ZoomTransform }) => {
        this.transform = e.transform;
        this.onZoomed(e.transform.k > 1);
        this.schedule();
      });
  }

  /** Listens to the wheel and pointer on `el`; returns the function that stops. */
  attach(el: HTMLDivElement): () => void {
    this.el = el;
    select(el).call(this.behaviour);
    return () => {
      select(el).on('.zoom', null);
      cancelAnimationFrame(this.frame);
      this.frame = 0;
      this.el = null;
    };
  }

  setWidth(width: number): void {
    this.behaviour.translateExtent([
      [0, 0],
      [width, HEIGHT],
    ]);
  }

  schedule(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.onFrame();
    });
  }

  zoomBy(k: number): void {
    if (this.el) select(this.el).call(this.behaviour.scaleBy, k);
  }

  reset(): void {
    if (this.el) select(this.el).call(this.behaviour.transform, zoomIdentity);
  }

  /** Centres layout position `x` (untransformed), keeping the zoom. */
  centre(x: number): void {
    if (this.el) select(this.el).call(this.behaviour.translateTo, x, HEIGHT / 2);
  }
}
