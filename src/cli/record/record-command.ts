// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer record [--follow-forks] [-o FILE] -- CMD ARGS...`: runs one
// command under the launcher (launcher.c, built with the machine's gcc and
// cached) and records, in a private tracefs instance following the command's
// pid and every task it makes, the memory system calls, page faults and the
// kernel's step events of each address space the command's tasks use, with
// the smaps of each when it begins and ends (recording.ts has the format).
// Threads are always followed; forked children with an address space of
// their own only with --follow-forks.
// One file over 400 lines: the instance's life (set up, drained, decoded,
// removed), the launcher's control pipe and the checks of what was lost are
// one sequence, and read best in one place.
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
  PR_SET_VMA,
  RECORDED_SYSCALLS,
  RECORDING_FORMAT,
  RECORDING_VERSION,
  type RecordedFile,
  type Recording,
} from './recording';
import { decodeRawTrace, KernelSymbols, RawTraceReader, readFormats } from './raw-trace';

/** A failure to record (no root, no tracefs, no gcc): one line, exit status 2. */
export class RecordError extends Error {}

const SOURCE = fileURLToPath(new URL('./launcher.c', import.meta.url));
const PREFIX = 'vma-explorer-record-';
/**
 * Per-CPU buffer in KiB. While the command runs it is drained every DRAIN_MS,
 * at most DRAIN_PAGES pages per CPU at a time (4 MiB, a few milliseconds of
 * the event loop), again at once while pages remain.
 */
const BUFFER_KB = 8192;
const DRAIN_MS = 20;
const DRAIN_PAGES = 1024;

/** The first address above user space on x86-64 (TASK_SIZE_MAX, rounded up). */
const USER_END = 0x8000_0000_0000;

/**
 * The tracepoints enabled: the syscalls' (prctl's for PR_SET_VMA only), then
 * the judge's (all user faults, not the window's) and the kernel's faults on
 * user addresses. All are needed: every recorded system call exists on
 * x86-64, the only architecture the launcher builds for.
 */
export function recordEvents(): Array<readonly [string, string | null]> {
  const syscalls = RECORDED_SYSCALLS.flatMap((s) => [
    [`syscalls/sys_enter_${s}`, s === 'prctl' ? `option == ${PR_SET_VMA}` : null] as const,
    [`syscalls/sys_exit_${s}`, null] as const,
  ]);
  const judge = TRACE_EVENTS.map(([event, filter]) =>
    event === 'exceptions/page_fault_user' ? ([event, null] as const) : ([event, filter] as const),
  );
  const kernelFaults = ['exceptions/page_fault_kernel', `address < ${USER_END}`] as const;
  return [...syscalls, ...judge, kernelFaults];
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
  private reader: RawTraceReader | null = null;
  /** Cancels the next drain. */
  private cancelDrain: (() => void) | null = null;

  constructor(readonly dir: string) {}

  static open(bufferKb: number): RecordInstance {
    removeStaleInstances(new RegExp(`^${PREFIX}(\\d+)$`));
    const t = new RecordInstance(join(TRACEFS, 'instances', `${PREFIX}${process.pid}`));
    const problem = setUpInstance(t.dir, recordEvents(), bufferKb);
    if (problem) {
      t.close();
      throw new RecordError(problem);
    }
    return t;
  }

  get markerPath(): string {
    return join(this.dir, 'trace_marker');
  }

  /**
   * Follows `pid` and every task it makes, starts tracing, and drains the
   * buffer from then on (drain()).
   * kernel/trace/trace_events.c: event-fork adds each new task of a followed
   * one to set_event_pid; the parser keeps only the tasks the launcher's
   * markers put in a recorded space.
   */
  follow(pid: number): void {
    try {
      this.reader = new RawTraceReader(this.dir);
    } catch (e) {
      throw new RecordError(
        `cannot read the trace's per_cpu/*/trace_pipe_raw: ${(e as Error).message}`,
      );
    }
    this.write('options/event-fork', '1');
    this.write('set_event_pid', String(pid));
    this.write('tracing_on', '1');
    this.drain();
  }

  /**
   * Moves whole pages of the buffer into memory, so that it never fills: a
   * bounded number per CPU, then again at once if some CPU had more, else
   * after DRAIN_MS; the event loop runs in between.
   */
  private drain(): void {
    if (!this.reader) return;
    if (this.reader.drain(DRAIN_PAGES)) {
      const next = setImmediate(() => this.drain());
      this.cancelDrain = () => clearImmediate(next);
    } else {
      const next = setTimeout(() => this.drain(), DRAIN_MS);
      this.cancelDrain = () => clearTimeout(next);
    }
  }

  /** Stops tracing and draining; what was recorded, as the lines of `trace`. */
  finish(): { lines: string[]; missed: boolean } {
    this.write('tracing_on', '0');
    this.stopDraining();
    const reader = this.reader;
    if (!reader) return { lines: [], missed: false };
    reader.drain();
    reader.close();
    this.reader = null;
    const formats = readFormats(
      this.dir,
      recordEvents().map(([event]) => event),
    );
    return decodeRawTrace(reader.cpus, formats, KernelSymbols.read(TRACEFS));
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
    this.stopDraining();
    this.reader?.close();
    this.reader = null;
    removeInstance(this.dir);
  }

  private stopDraining(): void {
    this.cancelDrain?.();
    this.cancelDrain = null;
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
  dir: string,
  followForks: boolean,
  command: string[],
  stdoutFd: number,
): Promise<LauncherRun> {
  return new Promise((resolve, reject) => {
    const args = [trace.markerPath, dir, followForks ? '1' : '0', ...command];
    const child = spawn(bin, args, {
      stdio: ['inherit', stdoutFd, 'inherit', 'pipe', 'pipe'],
    });
    let problem: string | null = null;
    let control = '';
    let pid = 0;
    let exit: Recording['exit'] | null = null;
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
      reject(new RecordError(`cannot start the launcher: ${e.message}`));
    });
    child.on('close', (code) => {
      if (problem !== null) reject(new RecordError(problem));
      else if (code !== 0 || exit === null || pid === 0) {
        reject(new RecordError(`the launcher stopped with status ${code}`));
      } else resolve({ pid, exit });
    });
  });
}

const readLines = (path: string): string[] | null =>
  existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter(Boolean) : null;

/** Records `command` (already split into words). Throws RecordError. */
export async function record(
  command: string[],
  stdoutFd: number,
  options: {
    followForks?: boolean;
    /** Per-CPU buffer in KiB; a test makes it small to see an overflow reported. */
    bufferKb?: number;
  } = {},
): Promise<Recording> {
  const problem = recordProblem();
  if (problem) throw new RecordError(problem);
  const bin = await launcherBinary();
  // Probed before tracing starts: the probes run the judge's runner.
  const kernel = { ...kernelSummary(), profile: (await hostProfile()).profile };
  const tmp = mkdtempSync(join(tmpdir(), 'vma-explorer-record-'));
  const trace = RecordInstance.open(options.bufferKb ?? BUFFER_KB);
  try {
    const overflowed = (dropped: number): RecordError =>
      new RecordError(
        `the trace buffer overflowed (${dropped} events lost); the recording would be incomplete`,
      );
    const follow = options.followForks ?? false;
    // Should the launcher fail once the buffer was full, the overflow is the news.
    const run = await launch(bin, trace, tmp, follow, command, stdoutFd).catch((e: unknown) => {
      const dropped = trace.dropped();
      throw dropped > 0 ? overflowed(dropped) : e;
    });
    const { lines, missed } = trace.finish();
    const dropped = trace.dropped();
    if (dropped > 0 || missed) throw overflowed(dropped);
    const traced = parseRecordingTrace(lines);
    if (!traced.spaces.length) throw new RecordError(`${command[0]} did not start (execve failed)`);
    if (!traced.complete) throw overflowed(dropped);
    const spaces = traced.spaces.map((s, n) => ({
      ...s,
      start: readLines(join(tmp, `start-${n}.smaps`)) ?? [],
      end: readLines(join(tmp, `end-${n}.smaps`)),
      endedBy: s.endedBy ?? 'exit',
    }));
    return {
      format: RECORDING_FORMAT,
      version: RECORDING_VERSION,
      command,
      kernel,
      exit: run.exit,
      files: recordedFiles(
        spaces.flatMap((s) => [...s.start, ...(s.end ?? [])]),
        traced.opened,
      ),
      spaces,
    };
  } finally {
    trace.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The files mapped in `smaps` (sized now) and those `opened` (sized when
 * opened, which wins), each once, in order of first appearance.
 */
function recordedFiles(smaps: string[], opened: RecordedFile[]): RecordedFile[] {
  const files = new Map<string, number | null>();
  for (const f of opened) if (!files.has(f.path)) files.set(f.path, f.size);
  for (const path of mappedFiles(smaps)) if (!files.has(path)) files.set(path, sizeOf(path));
  return [...files].map(([path, size]) => ({ path, size }));
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
  let followForks = false;
  for (let i = 0; i < options.length; i++) {
    const o = options[i];
    if (o === '-o' || o === '--output') {
      if (i + 1 === options.length) throw new UsageError(`record: ${o} takes a FILE`);
      output = options[++i];
    } else if (!o.startsWith('-')) {
      throw new UsageError(`record: put the command after -- (record [-o FILE] -- CMD ARGS...)`);
    } else if (o === '--follow-forks') {
      followForks = true;
    } else {
      throw new UsageError(`record: unknown option '${o}' (try --help)`);
    }
  }
  if (!command.length) throw new UsageError('record takes a command after --');
  // Without -o the recording is our stdout, so the command's stdout goes to stderr.
  let recording: Recording;
  try {
    recording = await record(command, output === undefined ? 2 : 1, { followForks });
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
    const count = (key: 'calls' | 'faults'): number =>
      recording.spaces.reduce((n, s) => n + s[key].length, 0);
    const spaces = recording.spaces.length;
    io.err(
      `recorded ${count('calls')} calls and ${count('faults')} faults in ${spaces} ` +
        `address space${spaces === 1 ? '' : 's'} of ${command.join(' ')} to ${output}`,
    );
  }
  return EXIT_OK;
}
