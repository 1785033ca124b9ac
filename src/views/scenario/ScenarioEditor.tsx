// SPDX-License-Identifier: GPL-2.0-or-later
import { useCallback, useMemo, useRef, useState } from 'react';
import type { Diagnostic } from '../../engine';
import { callLineAt } from '../../store/call-line';
import { ExamplePicker } from '../examples/ExamplePicker';
import { useApp } from '../store-context';
import { CodeEditor, type CodeEditorHandle, type EditorProblem } from './CodeEditor';
import { scenarioCompletion } from './completion';
import { scenarioHighlighting } from './language';
import { FileDrop } from './OpenFile';
import { PidPicker } from './PidPicker';
import './scenario.css';

const NO_PROBLEMS: EditorProblem[] = [];
/** The scenario language's support in its editor. */
const SCENARIO_EXTENSIONS = [scenarioHighlighting, scenarioCompletion];
/**
 * The longest text checked as it is typed (a long strace log), in the
 * worker, where reading it takes tens of milliseconds a megabyte; longer
 * texts are checked by Run.
 */
const MAX_CHECKED_CHARS = 1 << 20;

/** The diagnostics about one input, to underline in its editor. */
function problemsIn(diagnostics: readonly Diagnostic[], file: string): EditorProblem[] {
  const mine = diagnostics.filter((d) => d.file === file);
  return mine.length === 0
    ? NO_PROBLEMS
    : mine.map((d) => ({
        line: d.line,
        column: d.column,
        length: d.text.length,
        message: d.message,
      }));
}

export function ScenarioEditor() {
  const text = useApp((s) => s.text);
  const setText = useApp((s) => s.setText);
  const run = useApp((s) => s.run);
  const diagnostics = useApp((s) => s.diagnostics);
  const hasTimeline = useApp((s) => s.timeline !== null);
  const engineMessage = useApp((s) => s.engineMessage);
  const startMaps = useApp((s) => s.startMaps);
  const setStartMaps = useApp((s) => s.setStartMaps);
  // The line of the call on screen, while the text is the one run.
  const callLine = useApp((s) =>
    s.timeline && s.timelineText === s.text ? callLineAt(s.timeline, s.cursor) : null,
  );
  const goToLine = useApp((s) => s.goToLine);
  const submit = () => void run();
  const scenarioEditor = useRef<CodeEditorHandle>(null);
  const mapsEditor = useRef<CodeEditorHandle>(null);

  // Each input's problems as typed (null: too long to check live, or not
  // checked yet, when the last Run's are shown).
  const [typed, setTyped] = useState<Diagnostic[] | null>(null);
  const [typedMaps, setTypedMaps] = useState<Diagnostic[] | null>(null);
  const checkInput = useApp((s) => s.checkInput);
  // Checked in the worker: parsing a pasted log here held the page up for
  // tens of milliseconds a megabyte.
  const check = useCallback(
    async (scenario: string) => {
      const found =
        scenario.length > MAX_CHECKED_CHARS ? null : await checkInput(scenario, 'scenario');
      setTyped(found);
      return problemsIn(found ?? [], 'scenario');
    },
    [checkInput],
  );
  const checkMaps = useCallback(
    async (maps: string) => {
      const found = maps.length > MAX_CHECKED_CHARS ? null : await checkInput(maps, 'maps');
      setTypedMaps(found);
      return problemsIn(found ?? [], 'maps');
    },
    [checkInput],
  );
  const shown = useMemo(
    () => [
      ...(typed ?? diagnostics.filter((d) => d.file === 'scenario')),
      ...(typedMaps ?? diagnostics.filter((d) => d.file === 'maps')),
      ...diagnostics.filter((d) => d.file !== 'scenario' && d.file !== 'maps'),
    ],
    [typed, typedMaps, diagnostics],
  );
  const runFailed = diagnostics.length > 0 || engineMessage !== null;
  const goTo = (d: Diagnostic) =>
    (d.file === 'maps' ? mapsEditor : scenarioEditor).current?.goTo(d.line, d.column);

  return (
    <section className="scenario" aria-labelledby="scenario-heading">
      <h2 id="scenario-heading">Scenario</h2>
      <ExamplePicker />
      <FileDrop>
        <CodeEditor
          className="editor"
          label="Scenario"
          value={text}
          onChange={setText}
          onSubmit={submit}
          check={check}
          handle={scenarioEditor}
          markedLine={callLine}
          onLineClick={goToLine}
          extensions={SCENARIO_EXTENSIONS}
        />
        <details className="start-maps" open={startMaps !== ''}>
          <summary>Start from a /proc/PID/maps or smaps dump</summary>
          <CodeEditor
            className="editor editor-maps"
            label="Starting maps"
            value={startMaps}
            onChange={setStartMaps}
            onSubmit={submit}
            check={checkMaps}
            handle={mapsEditor}
            placeholder="Paste /proc/PID/maps or smaps here; leave empty to start from an empty address space"
          />
        </details>
      </FileDrop>
      <div className="scenario-actions">
        <button type="button" onClick={submit} title="Run (Ctrl+Enter)">
          Run
        </button>
        <PidPicker />
      </div>
      {(shown.length > 0 || engineMessage) && (
        // A failed Run is announced; problems found as one types are only shown.
        <div role={runFailed ? 'alert' : 'group'} aria-label="Problems" className="diagnostics">
          {engineMessage && <p className="engine-message">{engineMessage}</p>}
          {shown.length > 0 && (
            <ul>
              {shown.map((d, i) => (
                <li key={i}>
                  <button
                    type="button"
                    className="diagnostic-position"
                    title="Put the cursor there"
                    onClick={() => goTo(d)}
                  >
                    {d.file === 'maps' ? 'Starting maps, line' : 'Line'} {d.line}, column {d.column}
                  </button>
                  : {d.message}
                </li>
              ))}
            </ul>
          )}
          {runFailed && hasTimeline && <p>The previous result stays on screen.</p>}
        </div>
      )}
    </section>
  );
}
