// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer record [-o FILE] -- CMD ARGS...`: runs one command under the
// launcher (launcher.c, built with the machine's gcc and cached) and records,
// in a private tracefs instance following only the command's pid, its memory
// system calls, its user page faults and the kernel's step events, with its
// smaps when execve has built the image and when it starts to exit
// (recording.ts has the format). One process only: its children are not
// followed (no --follow-forks yet).
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCached } from '../build-cache';
import { EXIT_BAD_INPUT, EXIT_OK, UsageError, type CliIo } from '../io';
import { hostProfile } from '../judge/host-profile';
import { kernelSummary } from '../judge/kernel-config';
import {
  drainTracePipe,
  removeInstance,
  removeStaleInstances,
  setUpInstance,
  tracefsProblem,
  TRACE_EVENTS,
  TRACEFS,
  writeTraceFile,
} from '../judge/tracefs';
import {
  formatRecording,
  mappedFiles,
  parseRecordingTrace,
  RECORDED_SYSCALLS,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type Recording,
} from './recording';

/** A failure to record (no root, no tracefs, no gcc): one line, exit status 2. */
export class RecordError extends Error {}

const SOURCE = fileURLToPath(new URL('./launcher.c', import.meta.url));
const PREFIX = 'vma-explorer-record-';
/** Per-CPU buffer in KiB; it is drained every DRAIN_MS while the command runs. */
const BUFFER_KB = 8192;
const DRAIN_MS = 20;

/** The tracepoints enabled: the syscalls', then the judge's (all user faults, not the window's). */
export function recordEvents(): Array<readonly [string, string | null]> {
  const syscalls = RECORDED_SYSCALLS.flatMap((s) => [
    [`syscalls/sys_enter_${s}`, null] as const,
    [`syscalls/sys_exit_${s}`, null] as const,
  ]);
  const judge = TRACE_EVENTS.map(([event, filter]) =>
    event === 'exceptions/page_fault_user' ? ([event, null] as const) : ([event, filter] as const),
  );
  return [...syscalls, ...judge];
}

/** Why this machine cannot record, or null when it can (mounting tracefs if needed). */
export function recordProblem(): string | null {
  return tracefsProblem(undefined, {
    name: 'record',
    needs: 'tracefs and ptrace',
    events: recordEvents(),
  });
}

let built: Promise<string> | undefined;

/** The compiled launcher, built with the machine's gcc on first use and cached by source. */
export function launcherBinary(): Promise<string> {
  built ??= buildLauncher().catch((e: unknown) => {
    built = undefined;
    throw e;
  });
  return built;
}

function buildLauncher(): Promise<string> {
  return buildCached({
    name: 'launcher',
    folder: 'vma-explorer-record',
    source: SOURCE,
    args: (out) => ['-O2', '-Wall', '-Werror', '-o', out, SOURCE],
    fail: (message) => new RecordError(message),
  });
}

/** A private tracefs instance for one recording, removed by close(). */
class RecordInstance {
  private readonly chunks: Buffer[] = [];

  constructor(readonly dir: string) {}

  static open(): RecordInstance {
    removeStaleInstances(new RegExp(`^${PREFIX}(\\d+)$`));
    const t = new RecordInstance(join(TRACEFS, 'instances', `${PREFIX}${process.pid}`));
    const problem = setUpInstance(t.dir, recordEvents(), BUFFER_KB);
    if (problem) {
      t.close();
      throw new RecordError(problem);
    }
    return t;
  }

  get markerPath(): string {
    return join(this.dir, 'trace_marker');
  }

  /** Follows `pid` only (not its children) and starts tracing. */
  follow(pid: number): void {
    this.write('set_event_pid', String(pid));
    this.write('tracing_on', '1');
  }

  /** Moves what the buffer holds into memory, so that it never fills. */
  drain(): void {
    this.chunks.push(drainTracePipe(this.dir));
  }

  /** Stops tracing and returns all that was recorded. */
  finish(): string {
    this.write('tracing_on', '0');
    this.drain();
    return Buffer.concat(this.chunks).toString('utf8');
  }

  /** Events the kernel dropped because the buffer was full (per_cpu/cpuN/stats). */
  dropped(): number {
    let n = 0;
    const perCpu = join(this.dir, 'per_cpu');
    for (const cpu of readdirSync(perCpu)) {
      const stats = readFileSync(join(perCpu, cpu, 'stats'), 'utf8');
      n += Number(/^dropped events: (\d+)/m.exec(stats)?.[1] ?? 0);
      n += Number(/^overrun: (\d+)/m.exec(stats)?.[1] ?? 0);
    }
    return n;
  }

  /** Removes the instance. Never throws. */
  close(): void {
    removeInstance(this.dir);
  }

  private write(file: string, value: string): void {
    const problem = writeTraceFile(this.dir, file, value);
    if (problem) throw new RecordError(problem);
  }
}

/** What the launcher reported on its control pipe. */
interface LauncherRun {
  pid: number;
  exit: Recording['exit'];
}

/**
 * Runs `command` under the launcher, tracing it in `trace` from its execve
 * on. The command's stdout goes to `stdoutFd`; its stdin and stderr are ours.
 */
function launch(
  bin: string,
  trace: RecordInstance,
  files: { start: string; end: string },
  command: string[],
  stdoutFd: number,
): Promise<LauncherRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, [trace.markerPath, files.start, files.end, ...command], {
      stdio: ['inherit', stdoutFd, 'inherit', 'pipe', 'pipe'],
    });
    let problem: string | null = null;
    let control = '';
    let pid = 0;
    let exit: Recording['exit'] | null = null;
    const timer = setInterval(() => trace.drain(), DRAIN_MS);
    const [, , , out, back] = child.stdio as unknown as [
      unknown,
      unknown,
      unknown,
      NodeJS.ReadableStream,
      NodeJS.WritableStream,
    ];
    out.on('data', (b: Buffer) => {
      control += b.toString('utf8');
      let nl;
      while ((nl = control.indexOf('\n')) >= 0) {
        const line = control.slice(0, nl);
        control = control.slice(nl + 1);
        const [tag, value] = line.split(' ');
        if (tag === 'P') {
          pid = Number(value);
          try {
            trace.follow(pid);
            back.write('g');
          } catch (e) {
            child.kill('SIGKILL');
            reject(e as Error);
          }
        } else if (tag === 'X') exit = { code: Number(value) };
        else if (tag === 'S') exit = { signal: Number(value) };
        else if (tag === 'E') problem ??= line.slice(2);
      }
    });
    child.on('error', (e) => {
      clearInterval(timer);
      reject(new RecordError(`cannot start the launcher: ${e.message}`));
    });
    child.on('close', (code) => {
      clearInterval(timer);
      if (problem !== null) reject(new RecordError(problem));
      else if (code !== 0 || exit === null || pid === 0) {
        reject(new RecordError(`the launcher stopped with status ${code}`));
      } else resolve({ pid, exit });
    });
  });
}

const readLines = (path: string): string[] =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : [];

/** Records `command` (already split into words). Throws RecordError. */
export async function record(command: string[], stdoutFd: number): Promise<Recording> {
  const problem = recordProblem();
  if (problem) throw new RecordError(problem);
  const bin = await launcherBinary();
  // Probed before tracing starts: the probes run the judge's runner.
  const kernel = { ...kernelSummary(), profile: (await hostProfile()).profile };
  const tmp = mkdtempSync(join(tmpdir(), 'vma-explorer-record-'));
  const files = { start: join(tmp, 'start.smaps'), end: join(tmp, 'end.smaps') };
  const trace = RecordInstance.open();
  try {
    const run = await launch(bin, trace, files, command, stdoutFd);
    const text = trace.finish();
    const start = readLines(files.start);
    if (!start.length) throw new RecordError(`${command[0]} did not start (execve failed)`);
    const traced = parseRecordingTrace(text, run.pid);
    const dropped = trace.dropped();
    if (!traced.sawExec || !traced.sawExit || dropped > 0) {
      throw new RecordError(
        `the trace buffer overflowed (${dropped} events lost); the recording would be incomplete`,
      );
    }
    const end = readLines(files.end);
    const paths = [...new Set([...mappedFiles(start), ...mappedFiles(end)])];
    return {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      command,
      pid: run.pid,
      kernel,
      start,
      calls: traced.calls,
      faults: traced.faults,
      files: paths.map((path) => ({ path, size: sizeOf(path) })),
      end,
      exit: run.exit,
    };
  } finally {
    trace.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

function sizeOf(path: string): number | null {
  try {
    return statSync(path).size;
  } catch {
    return null;
  }
}

/** The `record` command: argv after `record`. */
export async function recordCommand(io: CliIo, args: string[]): Promise<number> {
  const dash = args.indexOf('--');
  const options = dash >= 0 ? args.slice(0, dash) : args;
  const command = dash >= 0 ? args.slice(dash + 1) : [];
  let output: string | undefined;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o === '-o' || o === '--output') {
      if (i + 1 === options.length) throw new UsageError(`record: ${o} takes a FILE`);
      output = options[++i];
    } else if (!o.startsWith('-')) {
      throw new UsageError(`record: put the command after -- (record [-o FILE] -- CMD ARGS...)`);
    } else if (o === '--follow-forks') {
      throw new UsageError('record: --follow-forks is not done yet');
    } else {
      throw new UsageError(`record: unknown option '${o}' (try --help)`);
    }
  }
  if (!command.length) throw new UsageError('record takes a command after --');
  // Without -o the recording is our stdout, so the command's stdout goes to stderr.
  let recording: Recording;
  try {
    recording = await record(command, output === undefined ? 2 : 1);
  } catch (e) {
    if (e instanceof RecordError) {
      io.err(`vma-explorer: ${e.message.split('\n')[0]}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  }
  const text = formatRecording(recording);
  if (output === undefined) io.out(text.trimEnd());
  else {
    try {
      writeFileSync(output, text);
    } catch (e) {
      throw new UsageError(`cannot write ${output}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    io.err(
      `recorded ${recording.calls.length} calls and ${recording.faults.length} faults of ` +
        `${command.join(' ')} to ${output}`,
    );
  }
  return EXIT_OK;
}
