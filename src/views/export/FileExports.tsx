// SPDX-License-Identifier: GPL-2.0-or-later
// The scenario as the text the user wrote, and the run as a trace document.
import { useState } from 'react';
import { useApp } from '../store-context';
import { downloadText } from './download';
import { ExportError } from './ExportButtons';

export function FileExports() {
  const text = useApp((s) => s.text);
  const hasRun = useApp((s) => s.timeline !== null);
  const traceJson = useApp((s) => s.traceJson);
  const [error, setError] = useState<string | null>(null);
  const exportTrace = async () => {
    const json = await traceJson();
    if (json === null) return setError('There is no run to export yet.');
    setError(null);
    downloadText('trace.json', json, 'application/json');
  };
  return (
    <span className="file-exports" role="group" aria-label="Export">
      <button type="button" onClick={() => downloadText('scenario.scn', text)}>
        Export scenario
      </button>
      <button type="button" disabled={!hasRun} onClick={() => void exportTrace()}>
        Export trace
      </button>
      <ExportError message={error} />
    </span>
  );
}
