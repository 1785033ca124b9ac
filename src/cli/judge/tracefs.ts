// SPDX-License-Identifier: GPL-2.0-or-later
// A private tracefs instance that records what the kernel does for the
// runner's process only: the maple tree's writes and operations, the slab
// allocations and frees of VMAs, anon_vmas, their chains and maple nodes, the
// free-area searches and the user faults inside the judge's window. The
// instance (instances/vma-explorer-PID-N) has its own buffer, events and
// set_event_pid, so it neither sees nor disturbs any other tracing on the
// machine; it is removed after every run, also when the run fails.
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
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

/** Why this machine cannot trace, or null when it can (after mounting tracefs if needed). */
export function tracefsProblem(): string | null {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    return `--events needs root to use tracefs (this is uid ${process.getuid()})`;
  }
  if (!existsSync(join(TRACEFS, 'instances'))) {
    try {
      execFileSync('mount', ['-t', 'tracefs', 'nodev', TRACEFS], { stdio: 'pipe' });
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      const why = err.stderr?.toString().trim() || err.message;
      return `--events cannot mount tracefs at ${TRACEFS}: ${why}`;
    }
  }
  for (const [event] of TRACE_EVENTS) {
    if (!existsSync(join(TRACEFS, 'events', event))) {
      return `--events: this kernel has no ${event.replace('/', ':')} tracepoint`;
    }
  }
  return null;
}

/** One private tracefs instance; open() it, follow() the runner, read(), and always remove(). */
export class TraceInstance {
  readonly dir: string;

  private constructor(dir: string) {
    this.dir = dir;
  }

  /** The file the runner writes its per-call markers to. */
  get markerPath(): string {
    return join(this.dir, 'trace_marker');
  }

  /** Creates and configures an instance, tracing off until follow(). Throws JudgeError. */
  static open(): TraceInstance {
    const problem = tracefsProblem();
    if (problem) throw new JudgeError(problem);
    removeStaleInstances();
    const dir = join(TRACEFS, 'instances', `${PREFIX}${process.pid}-${++instances}`);
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
    mkdirSync(this.dir);
    this.write('tracing_on', '0');
    this.write('buffer_size_kb', String(BUFFER_KB));
    // Overwriting would lose the first calls' markers; a full buffer drops the newest instead.
    this.write('options/overwrite', '0');
    // The runner may move between CPUs: one clock for all keeps the merged order true.
    this.write('trace_clock', 'global');
    // @fork: the child goes on with the calls, and is followed too.
    this.write('options/event-fork', '1');
    // Raw pointers, in this instance only, so a written maple node can be matched
    // with its allocation (events.ts); they never leave the parser.
    this.write('options/hash-ptr', '0');
    for (const [event, filter] of TRACE_EVENTS) {
      if (filter) this.write(`events/${event}/filter`, filter);
      this.write(`events/${event}/enable`, '1');
    }
  }

  /** Records the events of `pid` (and of the children it forks) from now on. */
  follow(pid: number): void {
    this.write('set_event_pid', String(pid));
    this.write('tracing_on', '1');
  }

  /** The recorded text. Throws JudgeError when the buffer overflowed. */
  read(): string {
    this.write('tracing_on', '0');
    const text = readFileSync(join(this.dir, 'trace'), 'utf8');
    // kernel/trace/trace.c: print_event_info() prints entries-in-buffer/entries-written.
    const m = /entries-in-buffer\/entries-written: (\d+)\/(\d+)/.exec(text);
    if (m && m[1] !== m[2]) {
      throw new JudgeError(
        `--events: the trace buffer kept ${m[1]} of ${m[2]} events; the scenario is too long to record`,
      );
    }
    return text;
  }

  /** Removes the instance (its buffer, events and filters go with it). Never throws. */
  remove(): void {
    try {
      if (existsSync(this.dir)) rmdirSync(this.dir);
    } catch {
      // rmdir of an instance fails only while a file in it is open: the runner
      // holds trace_marker until it exits. A later open() removes it.
    }
  }

  private write(file: string, value: string): void {
    try {
      writeFileSync(join(this.dir, file), value + '\n');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code ?? (e as Error).message;
      throw new JudgeError(`--events: cannot write '${value}' to ${join(this.dir, file)}: ${code}`);
    }
  }
}

/** Instances left by a judge that was killed: their process is gone. */
function removeStaleInstances(): void {
  const root = join(TRACEFS, 'instances');
  for (const name of readdirSync(root)) {
    const m = new RegExp(`^${PREFIX}(\\d+)-\\d+$`).exec(name);
    if (!m || Number(m[1]) === process.pid || existsSync(`/proc/${m[1]}`)) continue;
    try {
      rmdirSync(join(root, name));
    } catch {
      // Another judge removed it first, or it is still busy: leave it.
    }
  }
}
