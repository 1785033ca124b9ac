// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type CSSProperties } from 'react';
import { stepFn, type TimelineMeta } from '../../engine';
import { moveKey } from '../address-space/keys';
import { Scrubber } from '../controls/Scrubber';
import { useApp } from '../store-context';
import { rowOrder, type RowOrder } from './row-order';
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
/**
 * The steps on rows `[first, last)`: `[from, to)`, and `lone` (or -1): the
 * last call's row in view when the steps it heads run on below the view.
 * The other steps on those rows are consecutive (give or take the call above
 * the view), so a long call's words are not all fetched for its first rows.
 */
function stepsInView(
  timeline: TimelineMeta | null,
  order: RowOrder | null,
  first: number,
  last: number,
) {
  if (!timeline || !order || first >= last) return { from: 0, to: 0, lone: -1 };
  const end = order.stepAt[last - 1];
  const call = timeline.steps.call[end];
  const head = call < 0 ? -1 : timeline.calls[call].lastStep;
  // The last row is a call's, or one of its steps with more below.
  const headsMore = head === end && end > 0 && timeline.steps.call[end - 1] === call;
  const lone = headsMore || (head > end + 1 && order.rowOf[head] >= first) ? head : -1;
  let from = Number.MAX_SAFE_INTEGER;
  let to = 0;
  for (let row = first; row < last; row++) {
    const step = order.stepAt[row];
    if (step === lone) continue;
    from = Math.min(from, step);
    to = Math.max(to, step + 1);
  }
  return from > to ? { from: 0, to: 0, lone } : { from, to, lone };
}

/** The row ↑/↓/Home/End take the list's focus to from row `at` of `count`; null for other keys. */
export function listKey(key: string, at: number, count: number): number | null {
  // The keys that move between VMAs, less ←/→: in this list they step through time.
  return key === 'ArrowLeft' || key === 'ArrowRight' ? null : moveKey(key, at, count);
}

/** How a call compares with the kernel's recording, as the mark beside it says. */
const KERNEL_WORDS = {
  confirmed: 'confirmed by the kernel',
  different: 'differs from the kernel',
} as const;

/**
 * Every step of the run: each call's own row (with its result), then the
 * kernel functions it ran. A 10,000-call run has tens of thousands of steps,
 * so only the rows in view are in the document (each says its place with
 * aria-posinset).
 */
export function StepsList() {
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor);
  const goTo = useApp((s) => s.goTo);
  const parity = useApp((s) => s.recording?.calls ?? null);
  const box = useRef<HTMLDivElement>(null);
  const [view, setView] = useState({ top: 0, height: 600 });
  const order = useMemo(() => (timeline ? rowOrder(timeline) : null), [timeline]);
  const cursorRow = order?.rowOf[cursor] ?? 0;

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
    const y = cursorRow * ROW_HEIGHT;
    if (y < el.scrollTop || y + ROW_HEIGHT > el.scrollTop + el.clientHeight) {
      el.scrollTop = Math.max(0, y - el.clientHeight / 2);
      setView({ top: el.scrollTop, height: el.clientHeight });
    }
  }, [cursorRow, timeline]);

  // The list is one Tab stop (the current step's row): when the step moves
  // while the focus is in the list, the focus moves with it, once its row
  // is drawn.
  const focusRow = useRef<number | null>(null);
  useLayoutEffect(() => {
    if (box.current?.contains(document.activeElement)) focusRow.current = cursorRow;
  }, [cursorRow]);
  useEffect(() => {
    const want = focusRow.current;
    if (want === null) return;
    const button = box.current?.querySelector<HTMLButtonElement>(`button[data-row="${want}"]`);
    if (!button) return;
    focusRow.current = null;
    if (document.activeElement !== button) button.focus({ preventScroll: true });
  });

  const count = timeline?.steps.length ?? 0;
  const first = Math.max(0, Math.floor(view.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(count, Math.ceil((view.top + view.height) / ROW_HEIGHT) + OVERSCAN);
  // The steps on the rows in view are consecutive, but for the last call's
  // row when its internal steps run on below the view: its words are asked
  // for alone, so a long call does not fetch the whole of it.
  const { from, to, lone } = stepsInView(timeline, order, first, last);
  const textInView = useStepTexts(from, to);
  const textOfLone = useStepTexts(lone, lone < 0 ? lone : lone + 1);
  const textOf = (i: number) => (i === lone ? textOfLone(i) : textInView(i));
  // The row Tab reaches: the current step's, or the first drawn when it is scrolled away.
  const tabStop = cursorRow >= first && cursorRow < last ? cursorRow : first;
  const rows = [];
  for (let row = first; row < last && timeline && order; row++) {
    const i = order.stepAt[row];
    const callIndex = timeline.steps.call[i];
    const call = callIndex >= 0 ? timeline.calls[callIndex] : null;
    const isCallEnd = call !== null && call.lastStep === i;
    const message = textOf(i)?.message ?? '';
    const status = isCallEnd ? (parity?.[callIndex] ?? null) : null;
    rows.push(
      <li
        key={row}
        aria-posinset={row + 1}
        aria-setsize={count}
        aria-current={i === cursor ? 'step' : undefined}
        className={isCallEnd ? 'step step-call' : 'step step-internal'}
        style={{ top: row * ROW_HEIGHT }}
      >
        <button
          type="button"
          data-row={row}
          tabIndex={row === tabStop ? 0 : -1}
          onClick={() => goTo(i)}
          title={message}
        >
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
      <Scrubber />
      {timeline?.log && <LogSummaryLine />}
      <div
        ref={box}
        className="steps-scroll"
        onScroll={(e) =>
          setView({ top: e.currentTarget.scrollTop, height: e.currentTarget.clientHeight })
        }
      >
        <ol
          aria-label="Steps"
          style={
            {
              height: count * ROW_HEIGHT,
              // The line numbers' column fits the longest (a recording's run to six digits).
              '--line-digits': String(timeline?.calls.at(-1)?.line ?? 0).length,
            } as CSSProperties
          }
          onKeyDown={(e) => {
            const from = Number((e.target as HTMLElement).dataset.row ?? cursorRow);
            const to = order ? listKey(e.key, from, count) : null;
            if (to === null || !order) return;
            // Answered here: the window's keys leave it (Home/End mean this list's ends).
            e.preventDefault();
            focusRow.current = to;
            goTo(order.stepAt[to]);
          }}
        >
          {rows}
        </ol>
      </div>
    </section>
  );
}
