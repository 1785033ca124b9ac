// SPDX-License-Identifier: GPL-2.0-or-later
import { select } from 'd3-selection';
import { zoom, zoomIdentity, type ZoomTransform } from 'd3-zoom';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { ExportButtons } from '../export/ExportButtons';
import { selectStepLoading, useApp } from '../store-context';
import { describeChanges, leafCount } from './caption';
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
import './maple-tree.css';

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

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
function autoTransform(
  layout: TreeLayout,
  path: readonly number[],
  width: number,
  height: number,
): ZoomTransform {
  if (layout.nodes.length === 0) return zoomIdentity;
  const pad = PAD;
  const fitH = (height - 2 * pad) / layout.height;
  const fit = Math.min((width - 2 * pad) / layout.width, fitH);
  if (fit >= 0.6) {
    const k = Math.min(1, fit);
    return zoomIdentity.translate((width - layout.width * k) / 2, pad).scale(k);
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
  const k = Math.max(0.75, Math.min(1, fitH, (width - 2 * pad) / (x1 - x0)));
  // The whole path when it fits, else its lowest node (the leaf).
  const last = layout.byIndex.get(path[0] ?? 0) ?? layout.nodes[0];
  const cx = (x1 - x0) * k <= width - 2 * pad ? (x0 + x1) / 2 : last.x + last.width / 2;
  return zoomIdentity.translate(width / 2 - cx * k, pad).scale(k);
}

export function MapleTree() {
  const view = useApp((s) => s.stepData?.maple ?? null);
  const summary = useApp((s) => s.stepData?.summary ?? null);
  const entries = summary?.count ?? 0;
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const svgRef = useRef<SVGSVGElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);
  const [transform, setTransform] = useState<ZoomTransform>(zoomIdentity);
  /**
   * The user moved the view (for the VMA then selected): steps keep it
   * there. Selecting another VMA, or Reset zoom, looks at the step again.
   */
  const [moved, setMoved] = useState<{ selected: number | null } | null>(null);
  const isMoved = moved !== null && moved.selected === selected;
  const selectedRef = useRef(selected);
  /** Set while the view moves itself (not the user). */
  const programmatic = useRef(false);
  /** Subtrees the user opened (true) or closed (false), by node key: they stay so across steps. */
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());

  const behaviour = useMemo(
    () =>
      zoom<HTMLDivElement, unknown>()
        .scaleExtent([0.02, 4])
        .filter((e: Event) => {
          // Buttons take their own clicks; the wheel and drags elsewhere pan and zoom.
          const t = e.target as Element;
          if (e.type === 'mousedown' && t.closest?.('[role=button]')) return false;
          return (!('button' in e) || (e as MouseEvent).button === 0) && e.type !== 'dblclick';
        }),
    [],
  );
  useEffect(() => {
    selectedRef.current = selected;
  }, [selected]);
  useEffect(() => {
    behaviour.on('zoom', (e: { transform: ZoomTransform; sourceEvent: unknown }) => {
      // A move we make ourselves during a wheel gesture still carries its event.
      if (e.sourceEvent && !programmatic.current) setMoved({ selected: selectedRef.current });
      setTransform(e.transform);
    });
  }, [behaviour]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, entry.contentRect.width)),
    );
    observer.observe(el);
    select(el).call(behaviour).on('dblclick.zoom', null);
    return () => {
      observer.disconnect();
      select(el).on('.zoom', null);
    };
  }, [behaviour]);

  // The selected VMA's slot and the path down to it.
  const found = useMemo(
    () => (view && selected !== null ? findVma(view, selected) : null),
    [view, selected],
  );
  const focusPath = useMemo(
    () => new Set(view && found ? pathTo(view, found.leaf) : []),
    [view, found],
  );

  const expandedSet = useMemo(
    () => (view ? defaultExpanded(view, found ? [found.leaf] : []) : new Set<number>()),
    [view, found],
  );
  const layout = useMemo(() => {
    if (!view) return null;
    const expanded = (i: number) => overrides.get(nodeKey(view, i)) ?? expandedSet.has(i);
    const prefer = focusPaths(view, found ? [found.leaf] : []);
    return measured('maple-tree layout', () => layoutTree(view, expanded, DEFAULT_LAYOUT, prefer));
  }, [view, expandedSet, overrides, found]);

  // The node to look at: the selected VMA's leaf, else the deepest node the step touched.
  const focus = useMemo(() => {
    if (!view || !layout) return null;
    if (found && layout.byIndex.has(found.leaf)) return found.leaf;
    let best: number | null = null;
    for (const p of layout.nodes)
      if (view.status[p.index] > 0 && (best === null || view.depths[p.index] >= view.depths[best]))
        best = p.index;
    return best;
  }, [view, layout, found]);

  const height = drawingHeight(layout);
  const focusNodes = useMemo(
    () => (view && focus !== null ? pathTo(view, focus) : []),
    [view, focus],
  );
  const resetZoom = useCallback(() => setMoved(null), []);

  // A new step or a new selection: look at it, unless the user has moved the view.
  useEffect(() => {
    if (isMoved || !box.current || !layout) return;
    programmatic.current = true;
    select(box.current).call(behaviour.transform, autoTransform(layout, focusNodes, width, height));
    programmatic.current = false;
  }, [behaviour, layout, focusNodes, width, height, isMoved]);

  /** The node the user just opened or closed, and where it was. */
  const anchor = useRef<{ index: number; x: number } | null>(null);
  useEffect(() => {
    const a = anchor.current;
    anchor.current = null;
    const now = a && layout?.byIndex.get(a.index);
    if (!isMoved || !now || !box.current) return;
    programmatic.current = true;
    select(box.current).call(behaviour.translateBy, a.x - now.x, 0);
    programmatic.current = false;
  }, [behaviour, layout, isMoved]);

  const handlers = useRef<RenderHandlers>({
    onHover: () => {},
    onSelect: () => {},
    onToggle: () => {},
  });
  useEffect(() => {
    handlers.current = {
      onHover: hoverVma,
      onSelect: toggleVma,
      onToggle: (i) => {
        if (!view || !layout) return;
        const key = nodeKey(view, i);
        const open = layout.byIndex.get(i)?.expanded ?? false;
        // The node opened or closed stays where it is on screen.
        const placed = layout.byIndex.get(i);
        if (placed) anchor.current = { index: i, x: placed.x };
        setOverrides((m) => new Map(m).set(key, !open));
      },
    };
  });
  useEffect(() => {
    const svg = svgRef.current;
    if (!svg) return;
    return bindMapleTreeEvents(svg, () => handlers.current);
  }, []);

  useEffect(() => {
    const svg = svgRef.current;
    if (!svg || !view || !layout) return;
    measured('maple-tree render', () =>
      renderMapleTree(svg, {
        view,
        layout,
        options: DEFAULT_LAYOUT,
        summary,
        transform,
        width,
        height,
        focusPath,
        hovered,
        selected,
      }),
    );
  }, [view, layout, summary, transform, width, height, focusPath, hovered, selected]);

  const root = view && view.count === 0 && view.rootEntry >= 0 ? view.rootEntry : null;
  return (
    <section className="maple" aria-labelledby="maple-heading" aria-busy={loading}>
      <h2 id="maple-heading">Maple tree</h2>
      {view && (
        <p className="caption">
          mm_mt holds {plural(entries, 'VMA')} in {plural(view.count, 'node')} (
          {plural(leafCount(view), 'leaf', 'leaves')}), height {view.height}.
          {root !== null && <> The root pointer holds vma{root} itself.</>}
          {isMoved && (
            <button type="button" className="reset-zoom" onClick={resetZoom}>
              Reset zoom
            </button>
          )}
          <ExportButtons name="maple-tree" label="maple tree" target={() => svgRef.current} />
        </p>
      )}
      {view && (
        <p className="caption maple-changes" aria-live="polite">
          {describeChanges(view.changes)}
        </p>
      )}
      <div ref={box} className="maple-canvas" title="Scroll to zoom, drag to pan">
        <svg
          ref={svgRef}
          role="group"
          aria-label="mm_mt nodes"
          width={width}
          height={height}
          viewBox={`0 0 ${width} ${height}`}
        />
      </div>
      <p className="maple-legend">
        <span className="mt-key" data-status="new">
          new
        </span>
        <span className="mt-key" data-status="written">
          written in place
        </span>
        <span className="mt-key" data-status="walked">
          walked
        </span>
        <span className="mt-key mt-key-focus">path to the selected VMA</span>
      </p>
    </section>
  );
}
