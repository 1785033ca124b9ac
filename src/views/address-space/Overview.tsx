// SPDX-License-Identifier: GPL-2.0-or-later
// The overview of a large space (focus.ts): the whole space in a strip, the
// step's change marked on it, and the window the main line shows as a frame
// that is a slider (arrows, Page Up/Down, Home/End); a click or a drag on the
// strip moves the window there, as do Earlier and Later. Hidden while the
// space is drawn whole; the canvas stays in the page so that the controller
// keeps one surface.
import { forwardRef, type PointerEvent } from 'react';
import type { AddressSpaceController, WindowInfo } from './controller';
import { OVERVIEW_H } from './render-overview';

interface Props {
  ctl: AddressSpaceController;
  info: WindowInfo | null;
}

export const Overview = forwardRef<HTMLCanvasElement, Props>(function Overview({ ctl, info }, ref) {
  const toStrip = (e: PointerEvent<HTMLDivElement>) => {
    if (e.type === 'pointermove' && !e.buttons) return;
    ctl.windowAtStrip(e.clientX - e.currentTarget.getBoundingClientRect().left);
  };
  const size = info ? info.to - info.from : 0;
  return (
    <div
      className="as-overview"
      role="region"
      aria-label="Overview of the whole space"
      hidden={!info}
    >
      <div
        className="as-strip"
        style={{ height: OVERVIEW_H }}
        onPointerDown={(e) => {
          e.currentTarget.setPointerCapture(e.pointerId);
          toStrip(e);
        }}
        onPointerMove={toStrip}
      >
        <canvas
          ref={ref}
          role="img"
          aria-label="Whole address space"
          aria-description={info ? `${info.count} VMAs, the shown window framed` : undefined}
        />
        {info?.change && (
          <div
            className="as-strip-change"
            role="img"
            aria-label={info.change.label}
            style={{ left: info.change.x, width: info.change.w }}
          />
        )}
        {info && (
          <div
            className="as-window"
            role="slider"
            tabIndex={0}
            aria-label="VMAs shown"
            aria-orientation="horizontal"
            aria-valuemin={1}
            aria-valuemax={Math.max(1, info.count - size + 1)}
            aria-valuenow={info.from + 1}
            aria-valuetext={info.text}
            title={info.text}
            style={{ left: info.frame.x, width: info.frame.w }}
            onKeyDown={(e) => ctl.windowKey(e)}
          />
        )}
      </div>
      <div className="as-window-buttons">
        <button
          type="button"
          onClick={() => ctl.shiftWindow(-1)}
          disabled={!info || info.from === 0}
        >
          Earlier
        </button>
        <span className="as-window-text">{info?.text}</span>
        <button
          type="button"
          onClick={() => ctl.shiftWindow(1)}
          disabled={!info || info.to === info.count}
        >
          Later
        </button>
      </div>
    </div>
  );
});
