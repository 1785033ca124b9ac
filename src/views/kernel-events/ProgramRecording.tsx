// SPDX-License-Identifier: GPL-2.0-or-later
// What a program's recording holds, above its kernel events: the command,
// which address space is replayed (a picker when it has several: the
// processes it forked and the images it exec'd), and whether the replay
// ended with the kernel's final smaps.
import type { ProgramSummary } from '../../engine';
import { useApp } from '../store-context';

/** The words of the final smaps check. */
export function finalVerdict(p: ProgramSummary): string {
  if (p.finalDifference === 'unknown')
    return 'Final smaps: not compared (the recording has none for this address space).';
  if (p.finalDifference === null) return 'Final smaps: the same as the kernel’s.';
  return `Final smaps differ from the kernel’s at ${p.finalDifference}.`;
}

export function ProgramRecording({ program }: { program: ProgramSummary }) {
  const source = useApp((s) => s.recordingSource);
  const load = useApp((s) => s.loadRecording);
  const pick = (space: number) => {
    if (source) void load(source.name, source.text, space);
  };
  return (
    <div className="program-recording">
      <p>
        Recording of <code>{program.command}</code>
        {program.spaces.length > 1 && (
          <>
            {' '}
            <label>
              Address space{' '}
              <select value={program.space} onChange={(e) => pick(Number(e.target.value))}>
                {program.spaces.map((s, i) => (
                  <option key={i} value={i}>
                    {i}: process {s.pid}, {s.from === 'exec' ? 'from execve' : 'forked'}, {s.calls}{' '}
                    calls, {s.faults} faults
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
      </p>
      <p className="program-final" role="status" aria-label="Final smaps">
        {finalVerdict(program)}
      </p>
    </div>
  );
}
