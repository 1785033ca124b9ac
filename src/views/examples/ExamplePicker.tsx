// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useState } from 'react';
import { useApp } from '../store-context';
import { fetchExample, fetchExampleList, type ExampleEntry } from './examples';

/** Opens one of the annotated examples: its text replaces the scenario, and it runs. */
export function ExamplePicker() {
  const setText = useApp((s) => s.setText);
  const run = useApp((s) => s.run);
  const [examples, setExamples] = useState<ExampleEntry[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    fetchExampleList().then(setExamples, (e: Error) => setProblem(e.message));
  }, []);

  const open = async (file: string) => {
    try {
      setText(await fetchExample(file));
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
