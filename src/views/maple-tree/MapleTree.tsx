// SPDX-License-Identifier: GPL-2.0-or-later
// The Maple tree view: mm_mt's nodes as rows of slots, what the step did to
// them, and the selected VMA's path. This component is the shell: the
// store's data goes to a controller (controller.ts), which lays the tree
// out, draws it and pans and zooms it.
import { useEffect, useRef, useState } from 'react';
import { ExportButtons } from '../export/ExportButtons';
import { selectStepLoading, useApp } from '../store-context';
import { writePath } from '../kernel-events/render';
import { describeCallChanges, describeChanges, describeWritePaths, leafCount } from './caption';
import { MapleTreeController } from './controller';
import './maple-tree.css';

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

export function MapleTree() {
  const view = useApp((s) => s.stepData?.maple ?? null);
  const summary = useApp((s) => s.stepData?.summary ?? null);
  const entries = summary?.count ?? 0;
  const loading = useApp(selectStepLoading);
  const callEvents = useApp((s) => s.stepData?.callEvents ?? null);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const svgRef = useRef<SVGSVGElement>(null);
  const box = useRef<HTMLDivElement>(null);
  // Made with the component and kept for its life: it holds the zoom and the subtrees opened.
  const [ctl] = useState(() => new MapleTreeController());
  const [moved, setMoved] = useState(false);

  useEffect(() => {
    if (!box.current || !svgRef.current) return;
    const callbacks = { onHover: hoverVma, onSelect: toggleVma, onMoved: setMoved };
    return ctl.attach(box.current, svgRef.current, callbacks);
  }, [ctl, hoverVma, toggleVma]);

  useEffect(
    () => ctl.update({ view, summary, hovered, selected }),
    [ctl, view, summary, hovered, selected],
  );

  const root = view && view.count === 0 && view.rootEntry >= 0 ? view.rootEntry : null;
  // The controller sizes the <svg>: its height follows the tree shown.
  return (
    <section className="maple" aria-labelledby="maple-heading" aria-busy={loading}>
      <h2 id="maple-heading">Maple tree</h2>
      {view && (
        <p className="caption">
          mm_mt holds {plural(entries, 'VMA')} in {plural(view.count, 'node')} (
          {plural(leafCount(view), 'leaf', 'leaves')}), height {view.height}.
          {root !== null && <> The root pointer holds vma{root} itself.</>}
          {moved && (
            <button type="button" className="reset-zoom" onClick={() => ctl.resetZoom()}>
              Reset zoom
            </button>
          )}
          <ExportButtons name="maple-tree" label="maple tree" target={() => svgRef.current} />
        </p>
      )}
      {view && (
        <p className="caption maple-changes" aria-live="polite">
          {view.call ? describeCallChanges(view.changes) : describeChanges(view.changes)}
        </p>
      )}
      {view && callEvents?.recorded && (
        <p className="caption maple-write-path">
          {describeWritePaths(writePath(callEvents.model), writePath(callEvents.recorded.events))}
        </p>
      )}
      <div ref={box} className="maple-canvas" title="Scroll to zoom, drag to pan">
        <svg ref={svgRef} role="group" aria-label="mm_mt nodes" />
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
