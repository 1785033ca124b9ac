// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, type MouseEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { EngineStatus, StepLevel } from '../../store/timeline-slice';
import { KeysHelp } from '../help/KeysHelp';
import { useApp } from '../store-context';

/** Shift moves by whole system calls, as it does on the keyboard. */
const levelOf = (e: MouseEvent): StepLevel => (e.shiftKey ? 'call' : 'step');

/** What the status says: idle only when nothing runs and nothing is still loading. */
export function statusWords(status: EngineStatus, loading: readonly string[]): string {
  if (status === 'running') return 'Engine running';
  if (status === 'starting') return 'Engine starting';
  if (loading.length > 0) return `Loading ${loading[0]}`;
  return 'Engine idle';
}

export function StepControls() {
  const { first, back, forward, last, play, pause, tick, cancel, setSpeed } = useApp(
    useShallow(({ first, back, forward, last, play, pause, tick, cancel, setSpeed }) => ({
      setSpeed,
      first,
      back,
      forward,
      last,
      play,
      pause,
      tick,
      cancel,
    })),
  );
  const playing = useApp((s) => s.playing);
  const speed = useApp((s) => s.speed);
  const status = useApp((s) => s.status);
  const cursor = useApp((s) => s.cursor);
  const count = useApp((s) => s.timeline?.steps.length ?? 0);
  const progress = useApp((s) => s.progress);
  const loading = useApp((s) => s.loading);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(tick, 1000 / speed);
    return () => clearInterval(timer);
  }, [playing, speed, tick]);

  const none = count === 0;
  const atStart = none || cursor === 0;
  const atEnd = none || cursor >= count - 1;
  return (
    <div className="controls" role="toolbar" aria-label="Stepping">
      <button type="button" onClick={first} disabled={atStart} title="First step (Home)">
        First step
      </button>
      <button
        type="button"
        onClick={(e) => back(levelOf(e))}
        disabled={atStart}
        title="Step back (←); with Shift, back one system call"
      >
        Step back
      </button>
      <button
        type="button"
        onClick={playing ? pause : play}
        disabled={none}
        title="Play or pause (Space)"
      >
        {playing ? 'Pause' : 'Play'}
      </button>
      <button
        type="button"
        onClick={(e) => forward(levelOf(e))}
        disabled={atEnd}
        title="Step forward (→); with Shift, forward one system call"
      >
        Step forward
      </button>
      <button type="button" onClick={last} disabled={atEnd} title="Last step (End)">
        Last step
      </button>
      <label className="speed">
        Speed{' '}
        <select aria-label="Speed" value={speed} onChange={(e) => setSpeed(Number(e.target.value))}>
          {[1, 2, 5, 10, 30].map((n) => (
            <option key={n} value={n}>
              {n} steps/s
            </option>
          ))}
        </select>
      </label>
      {/* One above the other: the toolbar keeps one row at 1400 pixels. */}
      <span className="readout">
        <span role="group" aria-label="Step position" className="position">
          {none ? 'no steps' : `step ${cursor + 1} of ${count}`}
        </span>
        <p role="status" className="status">
          {statusWords(status, loading)}
        </p>
      </span>
      {status === 'running' && (
        <>
          <progress
            aria-label="Run progress"
            value={progress?.done}
            max={progress?.total || undefined}
          />
          {progress && (
            <span className="position">
              call {progress.done} of {progress.total}
            </span>
          )}
          <button type="button" onClick={cancel}>
            Cancel
          </button>
        </>
      )}
      <KeysHelp />
    </div>
  );
}
