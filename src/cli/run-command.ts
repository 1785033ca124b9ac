// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer run FILE [--format maps|smaps|json|trace|trace-json]`
import {
  formatDiagnostic,
  loadProcMaps,
  mapsLines,
  runScenario,
  smapsLines,
  traceJson,
  type KernelProfile,
  type RunOptions,
} from '../engine';
import { EXIT_BAD_INPUT, EXIT_MISMATCH, EXIT_OK, UsageError, readInput, type CliIo } from './io';

export const RUN_FORMATS = ['maps', 'smaps', 'json', 'trace', 'trace-json'] as const;
export type RunFormat = (typeof RUN_FORMATS)[number];

export interface RunCommandOptions {
  format: RunFormat;
  /** A /proc/PID/maps or smaps dump to start from. */
  from?: string;
  /** The process of a multi-process strace log to replay, or `all` for threads of one process. */
  pid?: number | 'all';
  /** The kernel profile to model. */
  kernel: KernelProfile;
}

export async function runCommand(
  io: CliIo,
  file: string,
  { format, from, pid, kernel }: RunCommandOptions,
): Promise<number> {
  const options: RunOptions = { pid, kernel };
  if (from !== undefined) {
    const loaded = loadProcMaps(await readInput(io, from), from);
    if (!loaded.ok) {
      for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
      return EXIT_BAD_INPUT;
    }
    options.initial = loaded.mm;
  }
  const text = await readInput(io, file);
  const out = runScenario(text, file, options);
  if (!out.ok) {
    for (const d of out.diagnostics) io.err(formatDiagnostic(d));
    return EXIT_BAD_INPUT;
  }
  const last = out.steps[out.steps.length - 1].mm;
  switch (format) {
    case 'maps':
      mapsLines(last).forEach((l) => io.out(l));
      break;
    case 'smaps':
      smapsLines(last).forEach((l) => io.out(l));
      break;
    case 'json':
      io.out(
        JSON.stringify({
          results: out.calls.map(({ line, call, ret, expected, match }) => ({
            line,
            call,
            ret,
            expected,
            match,
          })),
          maps: mapsLines(last),
          smaps: smapsLines(last),
          kernel,
        }),
      );
      break;
    case 'trace':
      for (const s of out.steps) {
        const line = s.call < 0 ? '-' : String(out.calls[s.call].line);
        io.out(`${line}\t${s.fn}\t${s.message}`);
      }
      break;
    case 'trace-json':
      io.out(JSON.stringify(traceJson(out)));
      break;
    default:
      throw new UsageError(`unknown format ${String(format)}`);
  }
  const misses = out.calls.filter((c) => !c.match);
  for (const c of misses) {
    io.err(`${file}:${c.line}: ${c.call} returned ${c.ret}, expected ${c.expected}`);
  }
  return misses.length ? EXIT_MISMATCH : EXIT_OK;
}
