// SPDX-License-Identifier: GPL-2.0-or-later
// Compare recordings…: two recordings of one program (a stock kernel and a
// patched one) chosen together, set side by side step by step in a panel:
// the first divergence, every aligned step with what differs marked, and
// the step selected in detail. The words come from render.ts.
import { useEffect, useRef, type ChangeEvent, type KeyboardEvent } from 'react';
import { useApp } from '../store-context';
import { CompareDetails } from './CompareDetails';
import { compareRowView, countsLine, shownRows, sideCaption, type CompareCell } from './render';
import './compare.css';

/** A cell, marked with ≠ (and said so) when it differs from the other side. */
function Cell({ cell, side }: { cell: CompareCell; side: 'A' | 'B' }) {
  return (
    <td className={cell.differs ? 'compare-differs' : undefined}>
      {cell.differs && (
        <span role="img" aria-label={`differs in ${side}`} className="compare-mark">
          ≠{' '}
        </span>
      )}
      {cell.text}
    </td>
  );
}

export function CompareRecordings() {
  const comparison = useApp((s) => s.comparison);
  const selected = useApp((s) => s.compareRow);
  const open = useApp((s) => s.compareOpen);
  const busy = useApp((s) => s.compareBusy);
  const message = useApp((s) => s.compareMessage);
  const compareFiles = useApp((s) => s.compareFiles);
  const select = useApp((s) => s.selectCompareRow);
  const stepDifference = useApp((s) => s.stepCompareDifference);
  const close = useApp((s) => s.closeComparison);
  const fileInput = useRef<HTMLInputElement>(null);
  const selectedRow = useRef<HTMLTableRowElement>(null);
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    selectedRow.current?.scrollIntoView?.({ block: 'nearest' });
  }, [selected]);
  // A new comparison (or a refusal) takes the keys: n / p work at once.
  useEffect(() => {
    if (open) panel.current?.focus();
  }, [open, comparison, message]);

  const choose = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const files = [...(input.files ?? [])];
    // The same files may be chosen again (after fixing one).
    input.value = '';
    if (files.length > 0) await compareFiles(files);
  };

  // Keys inside the panel are its own: n / p a difference, ↓ / ↑ a step, Escape closes.
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement).tagName === 'INPUT') return;
    const moves: Record<string, () => void> = {
      n: () => stepDifference(1),
      p: () => stepDifference(-1),
      ArrowDown: () => select(selected + 1),
      ArrowUp: () => select(selected - 1),
      Escape: close,
    };
    const move = moves[e.key];
    if (!move || e.ctrlKey || e.metaKey || e.altKey) return;
    move();
    e.preventDefault();
    e.stopPropagation();
  };

  const window_ = comparison ? shownRows(comparison.rows.length, selected) : null;
  const row = comparison?.rows[selected] ?? null;

  return (
    <>
      <button type="button" onClick={() => fileInput.current?.click()}>
        Compare recordings…
      </button>
      <input
        ref={fileInput}
        type="file"
        multiple
        accept=".json,application/json"
        aria-label="Recordings to compare"
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => void choose(e)}
      />
      {open && (
        <div
          ref={panel}
          role="dialog"
          tabIndex={-1}
          aria-labelledby="compare-heading"
          className="compare-panel"
          onKeyDown={onKey}
        >
          <div className="compare-bar">
            <h2 id="compare-heading">Compare recordings</h2>
            <button type="button" onClick={() => stepDifference(-1)} disabled={!comparison}>
              Previous difference
            </button>
            <button type="button" onClick={() => stepDifference(1)} disabled={!comparison}>
              Next difference
            </button>
            <button type="button" onClick={close}>
              Close comparison
            </button>
          </div>
          {busy && <p>Comparing…</p>}
          {message && (
            <div role="alert" className="diagnostics">
              <p>{message}</p>
            </div>
          )}
          {comparison && window_ && (
            <>
              <section aria-label="Summary" className="compare-summary">
                <p>
                  <strong>{comparison.summary.sentence}</strong>
                </p>
                <p>
                  A is {sideCaption(comparison.a)}; B is {sideCaption(comparison.b)}. VMAs: A{' '}
                  {comparison.a.vmas}; B {comparison.b.vmas}.
                </p>
                <p>{countsLine(comparison.summary)}</p>
              </section>
              <div className="compare-body">
                <div className="compare-table" tabIndex={0} aria-label="Aligned steps, scroll">
                  {window_.from > 0 || window_.to < comparison.rows.length ? (
                    <p>
                      Steps {window_.from + 1}–{window_.to} of {comparison.rows.length} shown,
                      around the step selected.
                    </p>
                  ) : null}
                  <table aria-label="Aligned steps">
                    <thead>
                      <tr>
                        <th scope="col">Step</th>
                        <th scope="col">A</th>
                        <th scope="col">Result A</th>
                        <th scope="col">B</th>
                        <th scope="col">Result B</th>
                        <th scope="col">Differs</th>
                      </tr>
                    </thead>
                    <tbody>
                      {comparison.rows.slice(window_.from, window_.to).map((r) => {
                        const v = compareRowView(r);
                        const index = r.row - 1;
                        const current = index === selected;
                        return (
                          <tr
                            key={r.row}
                            ref={current ? selectedRow : undefined}
                            aria-selected={current}
                            className={v.differs ? 'compare-row-differs' : undefined}
                          >
                            <td>
                              <button
                                type="button"
                                aria-pressed={current}
                                onClick={() => select(index)}
                              >
                                Step {r.row}
                              </button>
                            </td>
                            <Cell cell={v.a} side="A" />
                            <Cell cell={v.resultA} side="A" />
                            <Cell cell={v.b} side="B" />
                            <Cell cell={v.resultB} side="B" />
                            <td>
                              <span role="img" aria-label={v.label}>
                                {v.differs ? '≠' : '='}
                              </span>{' '}
                              {v.differs}
                            </td>
                          </tr>
                        );
                      })}
                    </tbody>
                  </table>
                </div>
                {row && <CompareDetails row={row} />}
              </div>
            </>
          )}
        </div>
      )}
    </>
  );
}
