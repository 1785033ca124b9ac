// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef } from 'react';
import { useApp } from '../store-context';

/** Every step of the run: each call's internal steps, then the call's own result. */
export function StepsList() {
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor);
  const goTo = useApp((s) => s.goTo);
  const current = useRef<HTMLLIElement>(null);

  useEffect(() => {
    current.current?.scrollIntoView?.({ block: 'nearest' });
  }, [cursor]);

  return (
    <section className="steps" aria-labelledby="steps-heading">
      <h2 id="steps-heading">Steps</h2>
      <ol aria-label="Steps">
        {timeline?.steps.map((step, i) => {
          const call = step.call >= 0 ? timeline.calls[step.call] : null;
          const isCallEnd = call !== null && call.lastStep === i;
          return (
            <li
              key={i}
              ref={i === cursor ? current : undefined}
              aria-current={i === cursor ? 'step' : undefined}
              className={isCallEnd ? 'step step-call' : 'step step-internal'}
            >
              <button type="button" onClick={() => goTo(i)} title={step.message}>
                <span className="step-line">{call ? call.line : ''}</span>
                <span className="step-text">
                  <code className="step-fn">{step.fn}</code> {step.message}
                  {isCallEnd && !call.match && (
                    <span className="step-miss"> (expected {call.expected})</span>
                  )}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
