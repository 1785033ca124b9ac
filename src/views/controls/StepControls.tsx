// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useApp } from '../store-context';

export function StepControls() {
  const { first, back, forward, last, play, pause, tick } = useApp(
    useShallow(({ first, back, forward, last, play, pause, tick }) => ({
      first,
      back,
      forward,
      last,
      play,
      pause,
      tick,
    })),
  );
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const status = useApp((s) => s.status);
  const cursor = useApp((s) => s.cursor);
  const count = useApp((s) => s.timeline?.steps.length ?? 0);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(tick, 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed, tick]);

  const none = count === 0;
  return (
    <div className="controls" role="toolbar" aria-label="Stepping">
      <button type="button" onClick={first} disabled={none || cursor === 0}>
        First step
      </button>
      <button type="button" onClick={back} disabled={none || cursor === 0}>
        Step back
      </button>
      <button type="button" onClick={playing ? pause : play} disabled={none}>
        {playing ? 'Pause' : 'Play'}
      </button>
      <button type="button" onClick={forward} disabled={none || cursor >= count - 1}>
        Step forward
      </button>
      <button type="button" onClick={last} disabled={none || cursor >= count - 1}>
        Last step
      </button>
      <span className="position" aria-live="off">
        {none ? 'no steps' : `step ${cursor + 1} of ${count}`}
      </span>
      <p role="status" className="status">
        {status === 'running' ? 'Engine running' : 'Engine idle'}
      </p>
    </div>
  );
}
