// SPDX-License-Identifier: GPL-2.0-or-later
import { ExamplePicker } from '../examples/ExamplePicker';
import { useApp } from '../store-context';

export function ScenarioEditor() {
  const text = useApp((s) => s.text);
  const setText = useApp((s) => s.setText);
  const run = useApp((s) => s.run);
  const diagnostics = useApp((s) => s.diagnostics);
  const hasTimeline = useApp((s) => s.timeline !== null);
  const engineMessage = useApp((s) => s.engineMessage);
  const startMaps = useApp((s) => s.startMaps);
  const setStartMaps = useApp((s) => s.setStartMaps);

  return (
    <section className="scenario" aria-labelledby="scenario-heading">
      <h2 id="scenario-heading">Scenario</h2>
      <ExamplePicker />
      <textarea
        aria-label="Scenario"
        spellCheck={false}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            void run();
          }
        }}
      />
      <details className="start-maps" open={startMaps !== ''}>
        <summary>Start from a /proc/PID/maps or smaps dump</summary>
        <textarea
          aria-label="Starting maps"
          spellCheck={false}
          placeholder="Paste /proc/PID/maps or smaps here; leave empty to start from an empty address space"
          value={startMaps}
          onChange={(e) => setStartMaps(e.target.value)}
        />
      </details>
      <div className="scenario-actions">
        <button type="button" onClick={() => void run()} title="Run (Ctrl+Enter)">
          Run
        </button>
      </div>
      {(diagnostics.length > 0 || engineMessage) && (
        <div role="alert" className="diagnostics">
          {engineMessage && <p className="engine-message">{engineMessage}</p>}
          {diagnostics.length > 0 && (
            <ul>
              {diagnostics.map((d, i) => (
                <li key={i}>
                  {d.file === 'maps' ? 'Starting maps, line' : 'Line'} {d.line}, column {d.column}:{' '}
                  {d.message}
                </li>
              ))}
            </ul>
          )}
          {hasTimeline && <p>The previous result stays on screen.</p>}
        </div>
      )}
    </section>
  );
}
