// SPDX-License-Identifier: GPL-2.0-or-later
// The app's handle on the engine worker, the one place that knows a worker
// exists. A worker that dies is replaced by a fresh one, and calls that were
// waiting on it fail with EngineStopped instead of hanging forever: whether
// it died with an error event (an uncaught error), was stopped (terminate()
// to cancel a long run), or went silent without a word (closed, killed),
// which only its missing heartbeat shows.
import { proxy, wrap, type Remote } from 'comlink';
import {
  HEARTBEAT_MS,
  SILENT_MS,
  type Diagnostic,
  type EngineApi,
  type ComparisonReply,
  type RecordingReply,
  type RunReply,
  type StepData,
  type WorkerApi,
  type StepDiff,
  type StepText,
  type VmaRow,
  type QuizQuestion,
} from '../engine';

export type { EngineApi, RunReply, RunRequest, StepData } from '../engine';

/** The engine worker stopped before answering: it crashed, went silent, or the run was cancelled. */
export class EngineStopped extends Error {
  constructor(readonly reason: 'crashed' | 'silent' | 'cancelled') {
    super(
      reason === 'crashed'
        ? 'the engine worker crashed'
        : reason === 'silent'
          ? 'the engine worker stopped answering'
          : 'the run was cancelled',
    );
  }
}

export interface EngineClient extends EngineApi {
  /** Stops the run under way (the worker is replaced). */
  cancel(): void;
  /** Called when the worker crashes while idle, after it was replaced. */
  onCrash: (() => void) | null;
  /** Stops watching the worker's heartbeat, and the worker. */
  close(): void;
}

/** How often the worker beats, and how long a silence means it is dead. */
export interface Heartbeat {
  everyMs: number;
  silentMs: number;
}

interface Live {
  worker: Worker;
  remote: Remote<WorkerApi>;
  /** Rejects the calls under way. */
  waiting: Set<(e: EngineStopped) => void>;
  /** When the worker last showed it was alive (a beat or a progress report). */
  lastBeat: number;
}

export function createEngineClient(
  spawn: () => Worker = () =>
    new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
  heartbeat: Heartbeat = { everyMs: HEARTBEAT_MS, silentMs: SILENT_MS },
): EngineClient {
  let live: Live;

  const start = (): void => {
    const worker = spawn();
    const started: Live = {
      worker,
      remote: wrap<WorkerApi>(worker),
      waiting: new Set(),
      lastBeat: Date.now(),
    };
    live = started;
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop('crashed');
    });
    const beat = () => {
      started.lastBeat = Date.now();
    };
    started.remote.heartbeat(proxy(beat), heartbeat.everyMs).catch(() => {});
  };

  const stop = (reason: EngineStopped['reason']): void => {
    const { worker, waiting } = live;
    worker.terminate();
    start();
    for (const fail of waiting) fail(new EngineStopped(reason));
    if (waiting.size === 0 && reason === 'crashed') client.onCrash?.();
  };

  // A request waits on a worker that has not beaten for silentMs: it is dead.
  const watch = setInterval(() => {
    if (live.waiting.size > 0 && Date.now() - live.lastBeat > heartbeat.silentMs) stop('silent');
  }, heartbeat.everyMs);

  /** One request, failed rather than left hanging if the worker goes away. */
  function call<T>(request: (remote: Remote<WorkerApi>) => Promise<T>): Promise<T> {
    const current = live;
    return new Promise<T>((resolve, reject) => {
      current.waiting.add(reject);
      request(current.remote)
        .then(resolve, reject)
        .finally(() => current.waiting.delete(reject));
    });
  }

  const client: EngineClient = {
    onCrash: null,
    // The callback runs on this side: Comlink proxies it into the worker.
    // Each progress report is a heartbeat too: a long run beats with it.
    run(request, onProgress) {
      const current = live;
      const progress = proxy((done: number, total: number) => {
        current.lastBeat = Date.now();
        onProgress?.(done, total);
      });
      return call<RunReply>((r) => r.run(request, progress));
    },
    check: (text, input) => call<Diagnostic[]>((r) => r.check(text, input)),
    step: (index, options) => call<StepData | null>((r) => r.step(index, options)),
    rows: (index, from, count) => call<VmaRow[]>((r) => r.rows(index, from, count)),
    diff: (from, to) => call<StepDiff | null>((r) => r.diff(from, to)),
    stepTexts: (from, count) => call<StepText[]>((r) => r.stepTexts(from, count)),
    traceJson: () => call<string | null>((r) => r.traceJson()),
    quiz: () => call<QuizQuestion[]>((r) => r.quiz()),
    loadRecording: (text, name, space) =>
      call<RecordingReply>((r) => r.loadRecording(text, name, space)),
    clearRecording: () => call<void>((r) => r.clearRecording()),
    compareRecordings: (a, b, options) =>
      call<ComparisonReply>((r) => r.compareRecordings(a, b, options)),
    cancel() {
      if (live.waiting.size > 0) stop('cancelled');
    },
    close() {
      clearInterval(watch);
      live.worker.terminate();
    },
  };
  start();
  return client;
}
