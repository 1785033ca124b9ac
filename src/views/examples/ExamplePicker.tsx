// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useState } from 'react';
import { useApp } from '../store-context';
import { fetchExample, fetchExampleList, type ExampleEntry } from './examples';

/**
 * Opens one of the annotated examples: its text replaces the scenario, and
 * it runs, compared with the kernel's recording of it when one ships.
 */
export function ExamplePicker() {
  const setText = useApp((s) => s.setText);
  const run = useApp((s) => s.run);
  const loadRecording = useApp((s) => s.loadRecording);
  const clearRecording = useApp((s) => s.clearRecording);
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    fetchExampleList().then(setExamples, (e: Error) => setProblem(e.message));
  }, []);

  const open = async (file: string) => {
    const entry = examples.find((x) => x.file === file);
    try {
      const text = await fetchExample(file);
      const recording = entry?.recording ? await fetchExample(entry.recording) : null;
      // The last example's recording would not be of this one.
      await clearRecording();
      setText(text);
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
