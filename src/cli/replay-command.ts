// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer replay FILE [--space N|all] [--script] [--kernel K]`:
// replays a program recording (`vma-explorer record`) on the model and
// says, per address space, whether every call gave the kernel's result,
// every call and fault the kernel's events, and the end the kernel's final
// smaps; each difference is named by the line of the replay's script
// (`--script` prints it, for `run` or the app).
import {
  formatDiagnostic,
  readProgramRecording,
  replayProgram,
  type KernelProfile,
  type ProgramRecording,
  type ProgramReplay,
} from '../engine';
import { EXIT_BAD_INPUT, EXIT_MISMATCH, EXIT_OK, readInput, UsageError, type CliIo } from './io';

/** The differences printed per address space at most; the rest are counted. */
const MAX_SHOWN = 20;

export interface ReplayCommandOptions {
  space: number | 'all';
  script: boolean;
  /** The kernel to model; the recording's own when absent. */
  kernel?: KernelProfile;
}

export async function replayCommand(
  io: CliIo,
  file: string,
  options: ReplayCommandOptions,
): Promise<number> {
  const read = readProgramRecording(await readInput(io, file), file);
  if (!read.ok) {
    read.diagnostics.forEach((d) => io.err(formatDiagnostic(d)));
    return EXIT_BAD_INPUT;
  }
  const rec = read.recording;
  const spaces = options.space === 'all' ? rec.spaces.map((_, i) => i) : [options.space];
  for (const s of spaces)
    if (s >= rec.spaces.length)
      throw new UsageError(`${file} has ${rec.spaces.length} address spaces, not a space ${s}`);
  let different = false;
  for (const s of spaces) {
    const r = replayProgram(rec, s, file, { kernel: options.kernel });
    if (!r.ok) {
      r.diagnostics.forEach((d) => io.err(formatDiagnostic(d)));
      return EXIT_BAD_INPUT;
    }
    if (options.script) {
      io.out(r.replay.script.text.trimEnd());
      continue;
    }
    different = report(io, file, rec, s, r.replay) || different;
  }
  return different ? EXIT_MISMATCH : EXIT_OK;
}

/** Prints one address space's verdict; true when anything differs. */
function report(
  io: CliIo,
  file: string,
  rec: ProgramRecording,
  index: number,
  replay: ProgramReplay,
): boolean {
  const space = rec.spaces[index];
  const { steps, finalDifference, finalKernel, finalModel } = replay;
  const results = steps.filter((s) => !s.resultMatches);
  const events = steps.filter((s) => s.events !== 'confirmed');
  const compared = steps.reduce((n, s) => n + s.compared, 0);
  const origin = space.from === 'exec' ? 'from execve' : `forked from space ${space.parent?.space}`;
  io.out(
    `space ${index}: process ${space.pid}, ${origin}: ${steps.length} steps ` +
      `(${space.calls.length} calls, ${space.faults.length} faults)`,
  );
  io.out(`  results: ${steps.length - results.length} of ${steps.length} as the kernel's`);
  io.out(
    `  kernel events: ${steps.length - events.length} of ${steps.length} steps confirmed ` +
      `(${compared} events compared)`,
  );
  io.out(
    finalKernel === null
      ? `  final smaps: not recorded (${space.endedBy === 'exec' ? "it exec'd" : 'unreadable'})`
      : finalDifference === null
        ? `  final smaps: the same as the kernel's (${finalModel.length} lines)`
        : `  final smaps: differ at ${finalDifference}`,
  );
  const shown = steps.filter((s) => !s.resultMatches || s.events !== 'confirmed');
  for (const s of shown.slice(0, MAX_SHOWN)) {
    const call = replay.run.calls.find((c) => c.line === s.line);
    const what = [
      ...(s.resultMatches ? [] : [`returned ${call?.ret}, the kernel ${call?.expected}`]),
      ...s.differences.slice(0, 3),
    ];
    io.err(`${file}:${s.line}: ${s.text}: ${what.join('; ')}`);
  }
  if (shown.length > MAX_SHOWN)
    io.err(`${file}: and ${shown.length - MAX_SHOWN} more steps differ`);
  return shown.length > 0 || (finalKernel !== null && finalDifference !== null);
}
