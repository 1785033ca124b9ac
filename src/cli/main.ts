// SPDX-License-Identifier: GPL-2.0-or-later
// The command line's dispatcher: one-line errors and exit status 2 for any
// usage problem, so scripts can rely on it.
import { parseArgs } from 'node:util';
import {
  EXIT_BAD_INPUT,
  EXIT_OK,
  MAX_INPUT_BYTES,
  UsageError,
  formatBytes,
  processIo,
  type CliIo,
} from './io';
import { mapleReplayCommand } from './maple-replay-command';
import { resolveKernel } from './kernel-option';
import { recordCommand } from './record/record-command';
import { replayCommand } from './replay-command';
import { RUN_FORMATS, runCommand, type RunFormat } from './run-command';

export const USAGE = `Usage: vma-explorer <command> [options]

Commands:
  run FILE [--format maps|smaps|json|trace|trace-json] [--from MAPS_OR_SMAPS_FILE] [--pid PID|all]
      [--kernel linux-6.18|host|PROFILE.json]
      Run a scenario or strace log (shared/spec/scenario-format.md) and print
      the final address space as /proc/PID/maps lines (default), smaps
      VmFlags, JSON results, the engine's internal steps, or every step
      with its merge state and predicates as JSON (trace-json, the same
      document the app's "Export trace" saves). --from starts
      from a real process's maps or smaps dump; --pid picks the process of a
      multi-process strace log (default: the one with the most calls);
      --pid all replays every pid, as the threads of one process; a pid is
      decimal digits, greater than 0.
      --kernel picks the kernel to model: linux-6.18 (mainline defaults,
      the default), host (this machine's kernel, probed; Linux, gcc), or a
      profile file (npm run judge -- --write-profile FILE writes one).
  maple-replay FILE.case
      Replay a maple-tree case (shared/golden/maple/README.md) on our maple
      tree and print one JSON dump line per 'dump', as the kernel's own
      lib/maple_tree.c printed them.
  record [--follow-forks] [-o FILE] -- CMD ARGS...
      Run CMD (Linux, root, tracefs, gcc) and record what a replay needs,
      per address space (each image execve builds, each forked child with
      --follow-forks; all threads always): its smaps at the start and at
      the end, every memory system call with its arguments and result and
      the files opened, every page fault, the kernel's step events, and
      this machine's kernel profile, as one JSON file (README.md,
      "Recording a program"; to stdout without -o, CMD's stdout then going
      to stderr). Without root or tracefs: exit 2.
  replay FILE [--space N|all] [--script] [--kernel linux-6.18|host|PROFILE.json]
      Replay a recording made by 'record' on the model, address space N
      (default 0: the command's first image) or all of them, under the
      kernel it was recorded on (or --kernel's), and say whether every call
      gave the kernel's result, every call and fault the kernel's step
      events, and the end the kernel's final smaps; each difference is
      named by its line in the replay's script, which --script prints
      (a scenario 'run' and the app take). Exit 1 when anything differs.
  help, --help, -h
      Print this text.

Inputs: FILE, --from and --kernel files are read only up to ${formatBytes(MAX_INPUT_BYTES)}; a larger
file, a longer pipe or a device such as /dev/zero is refused before it is read.

Exit status: 0 success, 1 a result differs from its '= RESULT', 2 bad input or usage.`;

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`vma-explorer: ${e.message}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  } finally {
    io.flush?.();
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (command === 'run') {
    // parseArgs calls `--pid -5` ambiguous; it is a bad pid, and says so.
    const pidAt = rest.indexOf('--pid');
    if (pidAt >= 0 && rest[pidAt + 1]?.startsWith('-')) pidOption(rest[pidAt + 1]);
    const { values, positionals } = parse(() =>
      parseArgs({
        args: rest,
        options: {
          format: { type: 'string', default: 'maps' },
          from: { type: 'string' },
          pid: { type: 'string' },
          kernel: { type: 'string', default: 'linux-6.18' },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    const format = values.format;
    if (!(RUN_FORMATS as readonly string[]).includes(format)) {
      throw new UsageError(`unknown format '${format}' (choose ${RUN_FORMATS.join(', ')})`);
    }
    if (positionals.length !== 1) throw new UsageError('run takes exactly one FILE');
    const pid = pidOption(values.pid);
    const kernel = await resolveKernel(io, values.kernel);
    return runCommand(io, positionals[0], {
      format: format as RunFormat,
      from: values.from,
      pid,
      kernel,
    });
  }
  if (command === 'maple-replay') {
    const { positionals } = parse(() =>
      parseArgs({ args: rest, options: {}, allowPositionals: true, strict: true }),
    );
    if (positionals.length !== 1) throw new UsageError('maple-replay takes exactly one FILE.case');
    return mapleReplayCommand(io, positionals[0]);
  }
  if (command === 'record') return recordCommand(io, rest);
  if (command === 'replay') {
    const { values, positionals } = parse(() =>
      parseArgs({
        args: rest,
        options: {
          space: { type: 'string', default: '0' },
          script: { type: 'boolean', default: false },
          kernel: { type: 'string' },
        },
        allowPositionals: true,
        strict: true,
      }),
    );
    if (positionals.length !== 1) throw new UsageError('replay takes exactly one FILE');
    const space = values.space === 'all' ? 'all' : Number(values.space);
    if (space !== 'all' && !(/^[0-9]+$/.test(values.space) && Number.isSafeInteger(space)))
      throw new UsageError(
        `--space takes an address space's index or 'all', not '${values.space}'`,
      );
    const kernel = values.kernel === undefined ? undefined : await resolveKernel(io, values.kernel);
    return replayCommand(io, positionals[0], { space, script: values.script, kernel });
  }
  throw new UsageError(`unknown command '${command}' (try --help)`);
}

/** `--pid`: a process id is decimal digits, greater than 0 (not `1e3`, `0x10` or `-5`), or `all`. */
function pidOption(value: string | undefined): number | 'all' | undefined {
  if (value === undefined || value === 'all') return value;
  const pid = Number(value);
  if (/^[0-9]+$/.test(value) && pid > 0 && Number.isSafeInteger(pid)) return pid;
  throw new UsageError(
    `--pid takes a process id (decimal digits, greater than 0) or 'all', not '${value}'`,
  );
}

/** Runs node:util's parseArgs, turning its complaints into one-line usage errors. */
function parse<T>(read: () => T): T {
  try {
    return read();
  } catch (e) {
    const m = /option '([^']+)'/.exec((e as Error).message);
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m) {
      throw new UsageError(`unknown option '${m[1]}' (try --help)`);
    }
    // parseArgs explains itself in a sentence or two; keep the first one.
    throw new UsageError((e as Error).message.split(/\. |\n/)[0]);
  }
}
