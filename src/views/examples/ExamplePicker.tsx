// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef, useState } from 'react';
import { useApp } from '../store-context';
import { fetchExample, fetchExampleList, type ExampleEntry } from './examples';

/** Opens one of the annotated examples: its text replaces the scenario, and it runs. */
export function ExamplePicker() {
  const setText = useApp((s) => s.setText);
  const setStartMaps = useApp((s) => s.setStartMaps);
  const setPid = useApp((s) => s.setPid);
  const openDocument = useApp((s) => s.openDocument);
  const startMaps = useApp((s) => s.startMaps);
  // The dump the last example brought: replacing it loses nothing.
  const exampleStart = useRef('');
  const run = useApp((s) => s.run);
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    fetchExampleList().then(setExamples, (e: Error) => setProblem(e.message));
  }, []);

  const open = async (file: string) => {
    try {
      const entry = examples.find((x) => x.file === file);
      const text = await fetchExample(file);
      // A recorded log replays from the state it started in (its dump) and
      // with the process its capture names, as the command line replays it.
      const start = entry?.start ? await fetchExample(entry.start) : '';
      // A dump typed or opened by the user is kept as a draft, not dropped.
      if (startMaps !== '' && startMaps !== exampleStart.current) {
        openDocument({ text, startMaps: start });
      } else {
        setText(text);
        setStartMaps(start);
      }
      exampleStart.current = start;
      setPid(entry?.pid ?? null);
      setProblem(null);
      await run();
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
          value=""
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
      {problem && <p role="alert">Could not open the example: {problem}</p>}
    </div>
  );
}
