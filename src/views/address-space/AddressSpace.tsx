// SPDX-License-Identifier: GPL-2.0-or-later
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { useEffect, useMemo, useRef, useState } from 'react';
import { selectCurrentStep, selectStepLoading, useApp } from '../store-context';
import { DEFAULT_LAYOUT, layoutRanges } from './layout';
import { drawAddressSpace } from './render-canvas';
import { HEIGHT, renderAddressSpace } from './render';

/** Above this many VMAs the view draws on a canvas instead of one SVG element per VMA. */
export const SVG_LIMIT = 2000;

export function AddressSpace() {
  const step = useApp(selectCurrentStep);
  const data = useApp((s) => s.stepData);
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  const behaviour = useMemo(
    () =>
      zoom<HTMLDivElement, unknown>()
        .scaleExtent([1, 1e7])
        .on('zoom', (e: { transform: ZoomTransform }) => setTransform(e.transform)),
    [],
  );

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, entry.contentRect.width)),
    );
    observer.observe(el);
    select(el).call(behaviour);
    return () => {
      observer.disconnect();
      select(el).on('.zoom', null);
    };
  }, [behaviour]);

  useEffect(() => {
    behaviour.translateExtent([
      [0, 0],
      [width, HEIGHT],
    ]);
  }, [behaviour, width]);

  const summary = data?.summary;
  const layout = useMemo(
    () =>
      summary ? layoutRanges(summary.starts, summary.ends, { ...DEFAULT_LAYOUT, width }) : null,
    [summary, width],
  );
  const count = summary?.count ?? 0;
  const onCanvas = count > SVG_LIMIT || (data !== null && data.rows.length < count);

  useEffect(() => {
    if (!data || !layout) return;
    if (onCanvas && canvas.current)
      drawAddressSpace(canvas.current, data.summary, layout, width, transform);
    if (!onCanvas && svg.current) {
      const highlight = { hovered, selected, onHover: hoverVma, onSelect: toggleVma };
      renderAddressSpace(svg.current, data.rows, layout, width, transform, highlight);
    }
  }, [data, layout, width, transform, onCanvas, hovered, selected, hoverVma, toggleVma]);

  return (
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
        {transform.k > 1 && (
          <button
            type="button"
            className="reset-zoom"
            onClick={() =>
              box.current && select(box.current).call(behaviour.transform, zoomIdentity)
            }
          >
            Reset zoom
          </button>
        )}
      </p>
      <div ref={box} className="address-space-canvas" title="Scroll to zoom, drag to pan">
        {onCanvas ? (
          <canvas ref={canvas} role="img" aria-label={`${count} VMAs`} />
        ) : (
          <svg ref={svg} role="list" aria-label="VMAs" height={HEIGHT} />
        )}
      </div>
    </section>
  );
}
