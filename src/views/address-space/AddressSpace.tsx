// SPDX-License-Identifier: GPL-2.0-or-later
// The Address space view: the VMAs of the step on screen along the 47-bit
// space, with long gaps compressed into breaks. Up to SVG_LIMIT VMAs it is an
// SVG with an element per VMA, animated between consecutive steps; above,
// two canvases. Above FOCUS_ABOVE VMAs the line shows a window of them around
// the step's change, under an overview of the whole space. Scroll zooms, drag pans; hover, focus and selection are
// shared with the other views. This component is the shell: the store's data
// goes to a controller (controller.ts), which draws and answers the pointer.
import { useEffect, useRef, useState } from 'react';
import { ExportButtons } from '../export/ExportButtons';
import { useStepRows } from '../rows/use-step-rows';
import { selectCurrentStep, selectStepLoading, useApp } from '../store-context';
import { candidateOf } from './candidate';
import { AddressSpaceController, type WindowInfo } from './controller';
import { rowTooltip, summaryTooltip } from './describe';
import { Legend } from './Legend';
import { Overview } from './Overview';
import { drawsOnCanvas, indexOfId } from './step';
import { HEIGHT } from './render';
import { Tooltip } from './Tooltip';
import './address-space.css';

export function AddressSpace() {
  const timeline = useApp((s) => s.timeline);
  const step = useApp(selectCurrentStep);
  const data = useApp((s) => s.stepData);
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const theme = useApp((s) => s.theme);
  const svg = useRef<SVGSVGElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const overlay = useRef<HTMLCanvasElement>(null);
  const overview = useRef<HTMLCanvasElement>(null);
  const changeMark = useRef<HTMLDivElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const tip = useRef<HTMLDivElement>(null);
  // Made with the component and kept for its life: it holds the zoom and the step shown before.
  const [ctl] = useState(() => new AddressSpaceController());
  const [zoomed, setZoomed] = useState(false);
  const [tipId, setTipId] = useState<number | null>(null);
  const [shownWindow, setShownWindow] = useState<WindowInfo | null>(null);
  const onCanvas = drawsOnCanvas(data);

  useEffect(() => {
    if (!box.current || !tip.current) return;
    const callbacks = {
      onHover: hoverVma,
      onSelect: toggleVma,
      onZoomed: setZoomed,
      onTip: setTipId,
      onWindow: setShownWindow,
    };
    return ctl.attach(box.current, tip.current, callbacks);
  }, [ctl, hoverVma, toggleVma]);

  // onCanvas is a dependency: it decides which elements the refs hold.
  useEffect(() => {
    const surface = {
      svg: svg.current,
      canvas: canvas.current,
      overlay: overlay.current,
      overview: overview.current,
      changeMark: changeMark.current,
    };
    ctl.update({ data, timeline, theme, surface });
  }, [ctl, data, timeline, theme, onCanvas]);

  useEffect(() => ctl.update({ hovered, selected }), [ctl, hovered, selected]);

  const count = data?.summary.count ?? 0;
  // The SVG names its band; the canvas has none, so the words go beside it.
  const candidate = onCanvas ? candidateOf(data?.event) : null;
  const tipIndex = data ? indexOfId(data.summary, tipId) : -1;
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
          <button type="button" onClick={() => ctl.zoomBy(2)}>
            Zoom in
          </button>
          <button type="button" onClick={() => ctl.zoomBy(0.5)} disabled={!zoomed}>
            Zoom out
          </button>
          {zoomed && (
            <button type="button" className="reset-zoom" onClick={() => ctl.resetZoom()}>
              Reset zoom
            </button>
          )}
          <ExportButtons
            name="address-space"
            label="address space"
            target={() => svg.current ?? canvas.current}
          />
        </div>
        <Overview ctl={ctl} info={shownWindow} ref={overview} />
        {/* Kept while on the canvas, so that the line does not jump as decisions come and go. */}
        {onCanvas && (
          <p className="as-candidate-text">
            {candidate && `${candidate.label}: ${candidate.description}`}
          </p>
        )}
        <div
          ref={box}
          className="address-space-canvas"
          title="Scroll to zoom, drag to pan; arrow keys move between VMAs, Enter selects"
          onPointerMove={(e) => ctl.pointerMove(e.clientX, e.buttons)}
          onPointerLeave={() => ctl.pointerLeave()}
        >
          {onCanvas ? (
            <>
              <canvas
                ref={canvas}
                role="img"
                aria-label={
                  shownWindow
                    ? `${count} VMAs, the window shown: ${shownWindow.text}`
                    : `${count} VMAs`
                }
                aria-describedby="as-tooltip"
                tabIndex={0}
                onClick={(e) => ctl.click(e.clientX)}
                onKeyDown={(e) => ctl.key(e)}
                onFocus={() => ctl.focus()}
                onBlur={() => ctl.blur()}
              />
              <canvas ref={overlay} className="as-overlay" aria-hidden="true" />
            </>
          ) : (
            <svg ref={svg} role="list" aria-label="VMAs" height={HEIGHT} />
          )}
          <div ref={changeMark} className="as-change-mark" role="img" hidden />
          <Tooltip lines={tipLines} ref={tip} />
        </div>
      </section>
      <Legend />
    </>
  );
}
