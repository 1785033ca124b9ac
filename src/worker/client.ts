// SPDX-License-Identifier: GPL-2.0-or-later
// The app's handle on the engine worker, the one place that knows a worker
// exists. A worker that dies (an uncaught error, or terminate() to cancel a
// long run) is replaced by a fresh one; calls that were waiting on it fail
// with EngineStopped instead of hanging forever.
import { proxy, wrap, type Remote } from 'comlink';
import type { EngineApi, RunReply, StepData } from './engine-api';
import type { StepDiff, StepText, VmaRow } from '../engine';

export type { EngineApi, RunReply, RunRequest, StepData } from './engine-api';

/** The engine worker stopped before answering: it crashed, or the run was cancelled. */
export class EngineStopped extends Error {
  constructor(readonly reason: 'crashed' | 'cancelled') {
    super(reason === 'crashed' ? 'the engine worker crashed' : 'the run was cancelled');
  }
}

export interface EngineClient extends EngineApi {
  /** Stops the run under way (the worker is replaced). */
  cancel(): void;
  /** Called when the worker crashes while idle, after it was replaced. */
  onCrash: (() => void) | null;
}

interface Live {
  worker: Worker;
  remote: Remote<EngineApi>;
  /** Rejects the calls under way. */
  waiting: Set<(e: EngineStopped) => void>;
}

export function createEngineClient(
  spawn: () => Worker = () =>
    new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
): EngineClient {
  let live: Live;

  const start = (): void => {
    const worker = spawn();
    live = { worker, remote: wrap<EngineApi>(worker), waiting: new Set() };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop('crashed');
    });
  };

  const stop = (reason: EngineStopped['reason']): void => {
    const { worker, waiting } = live;
    worker.terminate();
    start();
    for (const fail of waiting) fail(new EngineStopped(reason));
    if (waiting.size === 0 && reason === 'crashed') client.onCrash?.();
  };

  /** One request, failed rather than left hanging if the worker goes away. */
  function call<T>(request: (remote: Remote<EngineApi>) => Promise<T>): Promise<T> {
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
    run: (request, onProgress) =>
      call<RunReply>((r) => r.run(request, onProgress && proxy(onProgress))),
    step: (index) => call<StepData | null>((r) => r.step(index)),
    rows: (index, from, count) => call<VmaRow[]>((r) => r.rows(index, from, count)),
    diff: (from, to) => call<StepDiff | null>((r) => r.diff(from, to)),
    stepTexts: (from, count) => call<StepText[]>((r) => r.stepTexts(from, count)),
    traceJson: () => call<string | null>((r) => r.traceJson()),
    cancel() {
      if (live.waiting.size > 0) stop('cancelled');
    },
  };
  start();
  return client;
}
