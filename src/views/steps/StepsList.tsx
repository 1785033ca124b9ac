// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useLayoutEffect, useRef, useState } from 'react';
import { stepFn } from '../../engine';
import { useApp } from '../store-context';
import { useStepTexts } from './use-step-texts';
import './steps.css';

/** Every row is one line this tall, so the list can draw only the rows on screen. */
const ROW_HEIGHT = 22;
/** Rows drawn beyond each edge of the visible part, for smooth scrolling. */
const OVERSCAN = 12;

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * What a strace log's replay took from the log, in numbers: the calls
 * replayed, the lines skipped, the VMAs inferred for ranges the log uses but
 * never maps, and the results that differ from the log (the red rows).
 */
export function LogSummaryLine() {
  const timeline = useApp((s) => s.timeline);
  const log = timeline?.log;
  if (!timeline || !log) return null;
  const differ = timeline.calls.filter((c) => !c.match).length;
  const who =
    log.pids.length < 2 ? '' : log.pid === null ? ', all processes' : `, process ${log.pid}`;
  return (
    <p className="log-summary" role="note" aria-label="strace log summary">
      strace log{who}: {count(timeline.calls.length, 'call')} replayed, {timeline.skipped} skipped
      (not memory calls), {count(log.inferred, 'VMA')} inferred,{' '}
      {count(differ, 'result differs', 'results differ')} from the log
    </p>
  );
}
/** How a call compares with the kernel's recording, as the mark beside it says. */
const KERNEL_WORDS = {
  confirmed: 'confirmed by the kernel',
  different: 'differs from the kernel',
} as const;

/**
 * Every step of the run: each call's internal steps, then the call's own
 * result. A 10,000-call run has tens of thousands of steps, so only the rows
 * in view are in the document (each says its place with aria-posinset).
 */
export function StepsList() {
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor);
  const goTo = useApp((s) => s.goTo);
  const parity = useApp((s) => s.recording?.calls ?? null);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(() =>
      setView({ top: el.scrollTop, height: el.clientHeight }),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  // Keep the current step in view, as a list the user follows.
  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const y = cursor * ROW_HEIGHT;
    if (y < el.scrollTop || y + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, y - el.clientHeight / 2);
      setView({ top: el.scrollTop, height: el.clientHeight });
    }
  }, [cursor, timeline]);

  const count = timeline?.steps.length ?? 0;
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  const textOf = useStepTexts(first, last);
  const rows = [];
  for (let i = first; i < last && timeline; i++) {
    const callIndex = timeline.steps.call[i];
    const call = callIndex >= 0 ? timeline.calls[callIndex] : null;
    const isCallEnd = call !== null && call.lastStep === i;
    const message = textOf(i)?.message ?? '';
    const status = isCallEnd ? (parity?.[callIndex] ?? null) : null;
    rows.push(
      <li
        key={i}
        aria-posinset={i + 1}
        aria-setsize={count}
        aria-current={i === cursor ? 'step' : undefined}
        className={isCallEnd ? 'step step-call' : 'step step-internal'}
        style={{ top: i * ROW_HEIGHT }}
      >
        <button type="button" onClick={() => goTo(i)} title={message}>
          <span className="step-line">{call ? call.line : ''}</span>
          <span className="step-text">
            <code className="step-fn">{stepFn(timeline, i)}</code> {message}
            {isCallEnd && !call.match && (
              <span className="step-miss"> (expected {call.expected})</span>
            )}
          </span>
        </button>
        {status && call && (
          <span
            role="img"
            className="step-kernel"
            data-status={status}
            aria-label={`line ${call.line}: ${KERNEL_WORDS[status]}`}
            title={KERNEL_WORDS[status]}
          >
            {status === 'confirmed' ? '✓' : '≠'}
          </span>
        )}
      </li>,
    );
  }

  return (
    <section className="steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Steps</h2>
      {timeline?.log && <LogSummaryLine />}
      <div
        ref={box}
        className="steps-scroll"
        onScroll={(e) =>
          setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
        }
      >
        <ol aria-label="Steps" style={{ height: count * ROW_HEIGHT }}>
          {rows}
        </ol>
      </div>
    </section>
  );
}
