// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store-context';
import { fetchExample, fetchExampleList, type ExampleEntry } from './examples';

/**
 * Opens one of the annotated examples: its text replaces the scenario, and
 * it runs, compared with the kernel's recording of it when one ships.
 */
export function ExamplePicker() {
  const setText = useApp((s) => s.setText);
  const setStartMaps = useApp((s) => s.setStartMaps);
  const setPid = useApp((s) => s.setPid);
  const openDocument = useApp((s) => s.openDocument);
  const startMaps = useApp((s) => s.startMaps);
  // The dump the last example brought: replacing it loses nothing.
  const exampleStart = useRef('');
  const run = useApp((s) => s.run);
  const loadRecording = useApp((s) => s.loadRecording);
  const clearRecording = useApp((s) => s.clearRecording);
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);
  // The example opened last (here, or at start): named while the scenario is still its text.
  const loaded = useApp((s) => s.example);
  const setLoaded = useApp((s) => s.setExample);
  const text = useApp((s) => s.text);
  const shown =
    loaded && loaded.text === text ? examples.find((x) => x.file === loaded.file) : undefined;

  const whileLoading = useApp((s) => s.whileLoading);
  useEffect(() => {
    whileLoading('examples', fetchExampleList).then(setExamples, (e: Error) =>
      setProblem(e.message),
    );
  }, [whileLoading]);

  const open = (file: string) => whileLoading('example', () => load(file));
  const load = async (file: string) => {
    const entry = examples.find((x) => x.file === file);
    try {
      const text = await fetchExample(file);
      const recording = entry?.recording ? await fetchExample(entry.recording) : null;
      // A recorded log replays from the state it started in (its dump) and
      // with the process its capture names, as the command line replays it.
      const start = entry?.start ? await fetchExample(entry.start) : '';
      // The last example's recording would not be of this one.
      await clearRecording();
      // A dump typed or opened by the user is kept as a draft, not dropped.
      if (startMaps !== '' && startMaps !== exampleStart.current) {
        openDocument({ text, startMaps: start });
      } else {
        setText(text);
        setStartMaps(start);
      }
      exampleStart.current = start;
      if (entry) setLoaded({ file: entry.file, text });
      setPid(entry?.pid ?? null);
      setProblem(null);
      await run();
      if (entry?.recording && recording !== null) await loadRecording(entry.recording, recording);
    } catch (e) {
      setProblem((e as Error).message);
    }
  };

  return (
    <div className="example-picker">
      <label>
        Example{' '}
        <select
          aria-label="Example"
          value={shown?.file ?? ''}
          onChange={(e) => void open(e.target.value)}
          disabled={examples.length === 0}
        >
          <option value="" disabled>
            Open an example…
          </option>
          {examples.map((x) => (
            <option key={x.file} value={x.file}>
              {x.title}
            </option>
          ))}
        </select>
      </label>
      {shown && (
        <p className="example-title" role="note" aria-label="Example opened">
          {shown.title}
        </p>
      )}
      {problem && <p role="alert">Could not open the example: {problem}</p>}
    </div>
  );
}
