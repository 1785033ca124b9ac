// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer run FILE [--format maps|smaps|json|trace|trace-json]`
import {
  formatDiagnostic,
  loadProcMaps,
  mapsLines,
  parseScenario,
  runParsed,
  smapsLines,
  traceJsonHead,
  traceJsonTail,
  traceStepJson,
  type KernelProfile,
  type ParsedScenario,
  type RunOptions,
  type RunOutput,
} from '../engine';
import {
  EXIT_BAD_INPUT,
  EXIT_MISMATCH,
  EXIT_OK,
  UsageError,
  readInput,
  terminalSafe,
  type CliIo,
} from './io';

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
  const options: RunOptions = { kernel };
  if (from !== undefined) {
    const loaded = loadProcMaps(await readInput(io, from), from);
    if (!loaded.ok) {
      for (const d of loaded.diagnostics) io.err(formatDiagnostic(d));
      return EXIT_BAD_INPUT;
    }
    options.initial = loaded.mm;
  }
  const text = await readInput(io, file);
  const parsed = parseScenario(text, file, { pid });
  // Each format keeps only what it prints: the final address space and the
  // calls, and the steps of a trace written as they are made, never kept.
  let out: RunOutput;
  switch (format) {
    case 'maps':
    case 'smaps':
    case 'json':
      out = runParsed(parsed, file, { ...options, trace: false, onStep: dropStep });
      break;
    case 'trace':
      out = runParsed(parsed, file, {
        ...options,
        onStep: (s, line) => io.out(`${line ?? '-'}\t${s.fn}\t${terminalSafe(s.message)}`),
      });
      break;
    case 'trace-json':
      out = streamTraceJson(io, parsed, file, options);
      break;
    default:
      throw new UsageError(`unknown format ${String(format)}`);
  }
  if (!out.ok) {
    for (const d of out.diagnostics) io.err(formatDiagnostic(d));
    return EXIT_BAD_INPUT;
  }
  const last = out.steps[out.steps.length - 1].mm;
  if (format === 'maps') mapsLines(last).forEach((l) => io.out(l));
  if (format === 'smaps') smapsLines(last).forEach((l) => io.out(l));
  if (format === 'json') {
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
  }
  const misses = out.calls.filter((c) => !c.match);
  for (const c of misses) {
    io.err(`${file}:${c.line}: ${c.call} returned ${c.ret}, expected ${c.expected}`);
  }
  return misses.length ? EXIT_MISMATCH : EXIT_OK;
}

/** For the formats that print only the end: every step is dropped as soon as it is made. */
function dropStep(): void {}

/** Writes the trace-json document, each step as it is made. */
function streamTraceJson(
  io: CliIo,
  parsed: ParsedScenario,
  file: string,
  options: RunOptions,
): RunOutput {
  let comma: string | null = null;
  const out = runParsed(parsed, file, {
    ...options,
    onStep: (s, line) => {
      // The first step (the start) brings the kernel the head names.
      if (comma === null) io.write(traceJsonHead(s.mm.kernel));
      io.write((comma ?? '') + JSON.stringify(traceStepJson(s, line)));
      comma = ',';
    },
  });
  if (out.ok) io.write(traceJsonTail(out.calls, out.steps[out.steps.length - 1].mm) + '\n');
  return out;
}
