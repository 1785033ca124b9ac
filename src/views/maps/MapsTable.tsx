// SPDX-License-Identifier: GPL-2.0-or-later
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { VmaRow } from '../../engine';
import { INFERRED_WORDS } from '../address-space/describe';
import { useStepRows } from '../rows/use-step-rows';
import { selectStepLoading, useApp } from '../store-context';
import './maps.css';

/** Every line is this tall (two lines with smaps), so only the lines in view are drawn. */
const LINE_HEIGHT = 20;
/** The table grows up to this many lines, then scrolls. */
const MAX_LINES = 24;
/** Lines drawn beyond each edge of the visible part, for smooth scrolling. */
const OVERSCAN = 8;

/**
 * /proc/PID/maps at the current step, one row per VMA, exactly as the kernel
 * prints it; the lines the step added or changed are marked, and with smaps
 * on each row adds its VmFlags line. A space can hold 65,530 VMAs: only the
 * rows in view are in the document (each says its place with aria-rowindex).
 */
export function MapsTable() {
  const diff = useApp((s) => s.stepData?.diff);
  const count = useApp((s) => s.stepData?.summary.count ?? 0);
  // The gate area (`[vsyscall]`) prints after the last VMA, as /proc does.
  const gate = useApp((s) => s.stepData?.gate ?? null);
  const total = count + (gate ? 1 : 0);
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const showSmaps = useApp((s) => s.showSmaps);
  const setShowSmaps = useApp((s) => s.setShowSmaps);
  const changed = useMemo(
    () => new Set([...(diff?.added ?? []), ...(diff?.changed ?? [])]),
    [diff],
  );
  const box = useRef<HTMLDivElement>(null);
  const [top, setTop] = useState(0);
  const rowHeight = showSmaps ? 2 * LINE_HEIGHT : LINE_HEIGHT;
  const height = Math.min(total, MAX_LINES) * rowHeight;

  // A step with fewer VMAs may leave the scroll position past its end.
  useEffect(() => {
    if (box.current && top > total * rowHeight) setTop(box.current.scrollTop);
  }, [top, total, rowHeight]);

  // A new step brings its change into view: the first line it added or
  // changed, a third of the way down, unless it is in view already.
  const ids = useApp((s) => s.stepData?.summary.ids);
  useEffect(() => {
    const view = box.current;
    if (!view || !ids || changed.size === 0) return;
    const at = ids.findIndex((id) => changed.has(id));
    if (at < 0) return;
    const y = at * rowHeight;
    if (y >= view.scrollTop && y + rowHeight <= view.scrollTop + view.clientHeight) return;
    view.scrollTop = Math.max(0, y - Math.floor(view.clientHeight / 3));
    setTop(view.scrollTop);
    // Only a new step (or line height) moves the view: scrolling by hand is the reader's.
  }, [changed, ids, rowHeight]);

  const first = Math.max(0, Math.floor(top / rowHeight) - OVERSCAN);
  const last = Math.min(total, Math.ceil((top + height) / rowHeight) + OVERSCAN);
  const rows = useStepRows(first, Math.min(last, count));
  const lines = [];
  for (let i = first; i < last; i++) {
    if (i >= count && gate) {
      lines.push(
        <div key="gate" role="row" aria-rowindex={i + 1} style={{ top: i * rowHeight }}>
          <div role="cell">
            <code>{gate.maps}</code>
            {showSmaps && <code className="vmflags">{`\n${gate.vmFlags}`}</code>}
          </div>
        </div>,
      );
      continue;
    }
    const row = rows.at(i);
    lines.push(
      row ? (
        <MapsRow
          key={row.id}
          index={i}
          top={i * rowHeight}
          row={row}
          changed={changed.has(row.id)}
          hovered={row.id === hovered}
          selected={row.id === selected}
          showSmaps={showSmaps}
          onHover={hoverVma}
          onToggle={toggleVma}
        />
      ) : (
        <div key={`pending-${i}`} role="row" aria-rowindex={i + 1} style={{ top: i * rowHeight }}>
          <div role="cell" className="pending">
            …
          </div>
        </div>
      ),
    );
  }

  return (
    <section className="maps" aria-labelledby="maps-heading">
      <h2 id="maps-heading">/proc/PID/maps</h2>
      <label className="smaps-toggle">
        <input
          type="checkbox"
          checked={showSmaps}
          onChange={(e) => setShowSmaps(e.target.checked)}
        />{' '}
        Show smaps VmFlags
      </label>
      <div
        role="table"
        aria-label="maps"
        aria-busy={loading || !rows.complete}
        aria-rowcount={total}
        className={showSmaps ? 'maps-table with-smaps' : 'maps-table'}
      >
        <div
          ref={box}
          className="maps-scroll"
          style={{ height }}
          onScroll={(e) => setTop(e.currentTarget.scrollTop)}
        >
          <div
            role="rowgroup"
            style={{ height: total * rowHeight }}
            onMouseLeave={() => hoverVma(null)}
          >
            {lines}
          </div>
        </div>
      </div>
      {count === 0 && <p className="empty">No VMAs at this step.</p>}
    </section>
  );
}

interface MapsRowProps {
  index: number;
  top: number;
  row: VmaRow;
  changed: boolean;
  hovered: boolean;
  selected: boolean;
  showSmaps: boolean;
  onHover(id: number | null): void;
  onToggle(id: number): void;
}

/**
 * One line. Each step brings new row objects (they cross from the worker),
 * so a line is redrawn only when what it shows differs.
 */
const MapsRow = memo(
  function MapsRow(p: MapsRowProps) {
    const { row, onHover, onToggle } = p;
    return (
      <div
        role="row"
        aria-rowindex={p.index + 1}
        tabIndex={0}
        style={{ top: p.top }}
        aria-current={p.selected ? 'true' : undefined}
        aria-description={
          [p.changed ? 'changed by this step' : '', row.inferred ? INFERRED_WORDS : '']
            .filter(Boolean)
            .join('; ') || undefined
        }
        data-changed={p.changed || undefined}
        data-inferred={row.inferred || undefined}
        title={row.inferred ? INFERRED_WORDS : undefined}
        data-hovered={p.hovered || undefined}
        onMouseEnter={() => onHover(row.id)}
        onClick={() => onToggle(row.id)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            onToggle(row.id);
          }
        }}
      >
        <div role="cell">
          <code>{row.maps}</code>
          {p.showSmaps && <code className="vmflags">{`\nVmFlags: ${row.flags.join(' ')} `}</code>}
        </div>
      </div>
    );
  },
  (a, b) =>
    a.index === b.index &&
    a.top === b.top &&
    a.row.id === b.row.id &&
    a.row.maps === b.row.maps &&
    a.row.inferred === b.row.inferred &&
    a.row.flags.join(' ') === b.row.flags.join(' ') &&
    a.changed === b.changed &&
    a.hovered === b.hovered &&
    a.selected === b.selected &&
    a.showSmaps === b.showSmaps &&
    a.onHover === b.onHover &&
    a.onToggle === b.onToggle,
);
