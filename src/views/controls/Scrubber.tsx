// SPDX-License-Identifier: GPL-2.0-or-later
import { useMemo } from 'react';
import { useApp } from '../store-context';
import './scrubber.css';

/** Marks drawn at most: beyond this many calls, every n-th (they would touch anyway). */
const MAX_MARKS = 600;

/**
 * A slider over the whole run, step 0 to the last, with a mark at each
 * system call's own step (where Shift-stepping stops). Its arrows, Home and
 * End are the slider's own, as in any slider.
 */
export function Scrubber() {
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor);
  const goTo = useApp((s) => s.goTo);
  const max = timeline ? timeline.steps.length - 1 : 0;
  const marks = useMemo(() => {
    if (!timeline || max === 0) return [];
    const ends = timeline.calls.map((c) => c.lastStep);
    const every = Math.ceil(ends.length / MAX_MARKS);
    return ends.filter((_, i) => i % every === 0).map((s) => s / max);
  }, [timeline, max]);
  if (!timeline) return null;
  return (
    <div className="scrubber">
      <input
        type="range"
        aria-label="Step"
        min={0}
        max={max}
        step={1}
        value={Math.min(cursor, max)}
        aria-valuetext={`step ${cursor + 1} of ${max + 1}`}
        onChange={(e) => goTo(Number(e.target.value))}
        disabled={max === 0}
      />
      <div className="scrubber-marks" aria-hidden="true">
        {marks.map((at, i) => (
          <span key={i} style={{ left: `calc(8px + (100% - 16px) * ${at})` }} />
        ))}
      </div>
    </div>
  );
}
