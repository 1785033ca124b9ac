// SPDX-License-Identifier: GPL-2.0-or-later
// The Kernel events view: for the current step's call, the events the model
// says the kernel emits beside the ones a recording says it emitted, each
// difference named; and the recording in use, opened from a file here or
// dropped on the page. The words come from render.ts.
import { useRef, type ChangeEvent } from 'react';
import { useApp } from '../store-context';
import { kernelEventsView } from './render';
import { ProgramRecording } from './ProgramRecording';
import './kernel-events.css';

export function KernelEvents() {
  const data = useApp((s) => (s.stepData?.step === s.cursor ? s.stepData.callEvents : null));
  const recording = useApp((s) => s.recording);
  const message = useApp((s) => s.recordingMessage);
  const openFile = useApp((s) => s.openRecordingFile);
  const clear = useApp((s) => s.clearRecording);
  const dismiss = useApp((s) => s.dismissRecordingMessage);
  const fileInput = useRef<HTMLInputElement>(null);
  const view = data ? kernelEventsView(data) : null;

  const open = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    // The same file may be chosen again (after fixing it).
    input.value = '';
    if (file) await openFile(file);
  };

  return (
    <section className="kernel-events" aria-labelledby="kernel-events-heading">
      <h2 id="kernel-events-heading">Kernel events</h2>
      <p className="caption">
        {recording ? (
          <>
            Compared with <strong>{recording.name}</strong>
            {recording.release && <> (Linux {recording.release})</>}: {recording.confirmed}{' '}
            {recording.confirmed === 1 ? 'call' : 'calls'} confirmed, {recording.different}{' '}
            different.{' '}
          </>
        ) : (
          <>
            No kernel recording. Drop one on the page (made with{' '}
            <code>npx vma-explorer record</code> or{' '}
            <code>npm run judge -- --events --format json</code>) or{' '}
          </>
        )}
        <button type="button" onClick={() => fileInput.current?.click()}>
          Open recording…
        </button>
        {recording && (
          <button type="button" onClick={() => void clear()}>
            Close recording
          </button>
        )}
      </p>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        aria-label="Load kernel recording"
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => void open(e)}
      />
      {message && (
        <div role="alert" className="diagnostics">
          <p>{message}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
      {recording?.program && <ProgramRecording program={recording.program} />}
      {recording?.mismatch && (
        <p className="kernel-mismatch">
          {recording.name} is not compared with this run: {recording.mismatch}.
        </p>
      )}
      {!view ? (
        <p className="empty">The starting state: no call, no events.</p>
      ) : (
        <>
          <p className="kernel-verdict" data-status={view.status}>
            <code>{view.call}</code>
            <br />
            {view.verdict}
          </p>
          {view.differences.length > 0 && (
            <ul className="kernel-differences" aria-label="Differences from the kernel">
              {view.differences.map((d, i) => (
                <li key={i}>{d}</li>
              ))}
            </ul>
          )}
          {view.rows.length > 0 && (
            <div className="kernel-table">
              <table aria-label="Model and kernel events">
                <thead>
                  <tr>
                    <th scope="col">#</th>
                    <th scope="col">Model</th>
                    <th scope="col">Kernel</th>
                  </tr>
                </thead>
                <tbody>
                  {view.rows.map((r) => (
                    <tr
                      key={r.position}
                      data-differs={r.differs.length > 0}
                      data-in-step={r.inStep}
                      title={r.differs.length ? `differs: ${r.differs.join(', ')}` : undefined}
                    >
                      <td>{r.position}</td>
                      <td>{r.model ?? '—'}</td>
                      <td>{view.status === 'unrecorded' ? '' : (r.kernel ?? '—')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              {view.hiddenRows > 0 && (
                <p className="caption">and {view.hiddenRows} more positions, not drawn</p>
              )}
            </div>
          )}
        </>
      )}
    </section>
  );
}
