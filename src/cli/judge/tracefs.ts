// SPDX-License-Identifier: GPL-2.0-or-later
// A private tracefs instance that records what the kernel does for the
// runner's process only: the maple tree's writes and operations, the slab
// allocations and frees of VMAs, anon_vmas, their chains and maple nodes, the
// free-area searches and the user faults inside the judge's window. The
// instance (instances/vma-explorer-PID-N) has its own buffer, events and
// set_event_pid, so it neither sees nor disturbs any other tracing on the
// machine; it is removed when the judge exits, and one left by a judge that
// was killed is removed by the next.
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  rmdirSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { JUDGE_WINDOW_END, JUDGE_WINDOW_START } from '../../engine/world/process';
import { KERNEL_CACHES } from './events';
import { JudgeError } from './runner';

export const TRACEFS = '/sys/kernel/tracing';
const PREFIX = 'vma-explorer-';

/** The tracepoints recorded, with the filter each gets (tracefs filter syntax). */
const cacheFilter = Object.keys(KERNEL_CACHES)
  .map((c) => `name == "${c}"`)
  .join(' || ');
export const TRACE_EVENTS: ReadonlyArray<readonly [string, string | null]> = [
  ['maple_tree/ma_write', null],
  ['maple_tree/ma_op', null],
  ['kmem/kmem_cache_alloc', cacheFilter],
  ['kmem/kmem_cache_free', cacheFilter],
  ['mmap/vm_unmapped_area', null],
  // Only the scenario's own faults: the runner's code, data and stack lie outside the window.
  [
    'exceptions/page_fault_user',
    `address >= ${JUDGE_WINDOW_START} && address < ${JUDGE_WINDOW_END}`,
  ],
];

/**
 * Per-CPU buffer, in KiB. A call records tens of events of about 150 bytes
 * each; this holds thousands of calls, and a run that still overflows it is
 * refused rather than reported with events missing.
 */
const BUFFER_KB = 4096;

let instances = 0;

/** What tracefsProblem() looks at and does; this machine unless a test says otherwise. */
export interface TraceHost {
  uid: number | null;
  mounted: () => boolean;
  /** Mounts tracefs at TRACEFS; throws with the reason when it cannot. */
  mount: () => void;
  hasEvent: (event: string) => boolean;
}

const thisHost = (): TraceHost => ({
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  mounted: () => existsSync(join(TRACEFS, 'instances')),
  mount: () => {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'pipe' });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(err.stderr?.toString().trim() || err.message, { cause: e });
    }
  },
  hasEvent: (event) => existsSync(join(TRACEFS, 'events', event)),
});

/** Who asks to trace, for the messages, and the tracepoints it needs. */
export interface TraceUser {
  /** `--events`, `record`. */
  name: string;
  /** What root is needed for: `tracefs`, `tracefs and ptrace`. */
  needs: string;
  events: ReadonlyArray<readonly [string, string | null]>;
}

const JUDGE_EVENTS: TraceUser = { name: '--events', needs: 'tracefs', events: TRACE_EVENTS };

/** Why this machine cannot trace, or null when it can (after mounting tracefs if needed). */
export function tracefsProblem(
  host: TraceHost = thisHost(),
  user: TraceUser = JUDGE_EVENTS,
): string | null {
  if (host.uid !== 0) {
    return `${user.name} needs root to use ${user.needs} (this is ${host.uid === null ? 'not Linux' : `uid ${host.uid}`})`;
  }
  if (!host.mounted()) {
    try {
      host.mount();
    } catch (e) {
      return `${user.name} cannot mount tracefs at ${TRACEFS}: ${(e as Error).message}`;
    }
  }
  const missing = user.events.map(([event]) => event).filter((e) => !host.hasEvent(e));
  if (missing.length) {
    return `${user.name}: this kernel lacks the tracepoints ${missing.map((e) => e.replace('/', ':')).join(', ')}`;
  }
  return null;
}

/**
 * One private tracefs instance. Making and removing one costs about 150 ms
 * (the kernel waits for tracepoint users to finish), and so does every
 * change of set_event_pid once it holds a pid, against a few milliseconds for
 * a whole run: so a judge process keeps one instance for all its runs
 * (sharedTrace()), follows its own pid with options/event-fork, so that
 * every runner it spawns is followed from its fork on, and removes the
 * instance when it exits.
 */
export class TraceInstance {
  readonly dir: string;
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** The file the runner writes its per-call markers to. */
  get markerPath(): string {
    return join(this.dir, 'trace_marker');
  }

  /** Creates and configures an instance, tracing off until record(). Throws JudgeError. */
  static open(): TraceInstance {
    const problem = tracefsProblem();
    if (problem) throw new JudgeError(problem);
    removeStaleInstances(new RegExp(`^${PREFIX}(\\d+)-\\d+-\\d+$`));
    const dir = join(TRACEFS, 'instances', `${PREFIX}${process.pid}-${ownTid()}-${++instances}`);
    const t = new TraceInstance(dir);
    try {
      t.configure();
    } catch (e) {
      t.remove();
      throw e instanceof JudgeError ? e : new JudgeError(`--events: ${(e as Error).message}`);
    }
    return t;
  }

  private configure(): void {
    const problem = setUpInstance(this.dir, TRACE_EVENTS, BUFFER_KB);
    if (problem) throw new JudgeError(`--events: ${problem}`);
    // kernel/trace/trace_events.c: event-fork adds each child of a followed
    // process to set_event_pid, and an exiting one leaves it. The runner is our
    // child, keeps its pid through its re-exec, and its @fork child is its own.
    // Our own events (this process's) are recorded too: parseTrace() keeps
    // only those of the processes that wrote call markers.
    this.write('options/event-fork', '1');
    this.write('set_event_pid', String(ownTid()));
  }

  /**
   * Runs `run` with tracing on and returns its result and the text recorded
   * meanwhile. Runs one at a time: the buffer is the instance's only one.
   */
  record<T>(run: () => Promise<T>): Promise<{ result: T; text: string }> {
    const next = this.queue.then(async () => {
      this.drain();
      this.write('tracing_on', '1');
      try {
        const result = await run();
        this.write('tracing_on', '0');
        return { result, text: this.drain() };
      } finally {
        this.write('tracing_on', '0');
      }
    });
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Reads and so empties the buffer: trace_pipe consumes what it returns. */
  private drain(): string {
    return drainTracePipe(this.dir).toString('utf8');
  }

  /** Removes the instance (its buffer, events and filters go with it). Never throws. */
  remove(): void {
    removeInstance(this.dir);
  }

  private write(file: string, value: string): void {
    const problem = writeTraceFile(this.dir, file, value);
    if (problem) throw new JudgeError(`--events: ${problem}`);
  }
}

/**
 * What the buffer of the instance at `dir` holds, read without waiting from
 * its trace_pipe, which consumes what it returns.
 */
export function drainTracePipe(dir: string): Buffer {
  const fd = openSync(join(dir, 'trace_pipe'), constants.O_RDONLY | constants.O_NONBLOCK);
  const chunks: Buffer[] = [];
  try {
    const buf = Buffer.alloc(1 << 16);
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
        throw e;
      }
      if (n === 0) break;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
  } finally {
    closeSync(fd);
  }
  return Buffer.concat(chunks);
}

/** Writes `value` to a file of the instance at `dir`; why it could not, or null. */
export function writeTraceFile(dir: string, file: string, value: string): string | null {
  try {
    writeFileSync(join(dir, file), value + '\n');
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    return `cannot write '${value}' to ${join(dir, file)}: ${code}`;
  }
}

/** Removes the instance at `dir`. Never throws. */
export function removeInstance(dir: string): void {
  try {
    if (existsSync(dir)) rmdirSync(dir);
  } catch {
    // rmdir of an instance fails only while a file in it is open (a runner
    // still holding trace_marker); the next open() removes it.
  }
}

let shared: TraceInstance | null = null;

/** This process's instance, made on first use and removed when the process exits. */
export function sharedTrace(): TraceInstance {
  if (!shared) {
    shared = TraceInstance.open();
    process.once('exit', closeSharedTrace);
  }
  return shared;
}

/** Removes this process's instance now (a later sharedTrace() makes a new one). */
export function closeSharedTrace(): void {
  shared?.remove();
  shared = null;
}

/**
 * The thread that spawns the runners: event-fork follows the children of the
 * task whose id is in set_event_pid (kernel/trace/trace_events.c:
 * event_filter_pid_sched_process_fork()), and in a worker thread that is not
 * process.pid.
 */
function ownTid(): number {
  const m = /task\/(\d+)$/.exec(readlinkSync('/proc/thread-self'));
  return m ? Number(m[1]) : process.pid;
}

/** Instances left by a judge that was killed: their process is gone. */
export function removeStaleInstances(name: RegExp): void {
  const root = join(TRACEFS, 'instances');
  for (const entry of readdirSync(root)) {
    const m = name.exec(entry);
    if (!m || Number(m[1]) === process.pid || existsSync(`/proc/${m[1]}`)) continue;
    try {
      rmdirSync(join(root, entry));
    } catch {
      // Another process removed it first, or it is still busy: leave it.
    }
  }
}

/**
 * Makes the instance at `dir` and sets it up, tracing off: a buffer of
 * `bufferKb` per CPU, `events` enabled with their filters. The first
 * problem met, or null.
 */
export function setUpInstance(
  dir: string,
  events: ReadonlyArray<readonly [string, string | null]>,
  bufferKb: number,
): string | null {
  try {
    mkdirSync(dir);
  } catch (e) {
    return (e as Error).message;
  }
  const settings: [string, string][] = [
    ['tracing_on', '0'],
    ['buffer_size_kb', String(bufferKb)],
    // Overwriting would lose the first markers; a full buffer drops the newest
    // instead, the last end marker with them, and the parsers notice.
    ['options/overwrite', '0'],
    // The traced process may move between CPUs: one clock keeps the merged order true.
    ['trace_clock', 'global'],
    // Raw pointers, in this instance only, so a written maple node can be matched
    // with its allocation (events.ts); they never leave the parser.
    ['options/hash-ptr', '0'],
  ];
  for (const [event, filter] of events) {
    if (filter) settings.push([`events/${event}/filter`, filter]);
    settings.push([`events/${event}/enable`, '1']);
  }
  for (const [file, value] of settings) {
    const problem = writeTraceFile(dir, file, value);
    if (problem) return problem;
  }
  return null;
}
