// SPDX-License-Identifier: GPL-2.0-or-later
// The app's handle on the engine worker, the one place that knows a worker
// exists. A worker that dies (an uncaught error, or terminate() to cancel a
// long run) is replaced by a fresh one; the call that was waiting on it fails
// with EngineStopped instead of hanging forever.
import { wrap, type Remote } from 'comlink';
import type { EngineApi, RunReply } from './engine-api';

export type { EngineApi, RunReply } from './engine-api';

/** The engine worker stopped before answering: it crashed, or the run was cancelled. */
export class EngineStopped extends Error {
  constructor(readonly reason: 'crashed' | 'cancelled') {
    super(reason === 'crashed' ? 'the engine worker crashed' : 'the run was cancelled');
  }
}

export interface EngineClient {
  run(text: string): Promise<RunReply>;
  /** Stops the run under way (the worker is replaced). */
  cancel(): void;
  /** Called when the worker crashes while idle, after it was replaced. */
  onCrash: (() => void) | null;
}

interface Live {
  worker: Worker;
  remote: Remote<EngineApi>;
  /** Rejects the call under way, if any. */
  fail: ((e: EngineStopped) => void) | null;
}

export function createEngineClient(
  spawn: () => Worker = () =>
    new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' }),
): EngineClient {
  let live: Live;

  const start = (): void => {
    const worker = spawn();
    live = { worker, remote: wrap<EngineApi>(worker), fail: null };
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      stop('crashed');
    });
  };

  const stop = (reason: EngineStopped['reason']): void => {
    const { worker, fail } = live;
    worker.terminate();
    start();
    if (fail) fail(new EngineStopped(reason));
    else if (reason === 'crashed') client.onCrash?.();
  };

  const client: EngineClient = {
    onCrash: null,
    run(text) {
      const current = live;
      return new Promise<RunReply>((resolve, reject) => {
        current.fail = reject;
        current.remote
          .run(text)
          .then(resolve, reject)
          .finally(() => {
            if (current.fail === reject) current.fail = null;
          });
      });
    },
    cancel() {
      if (live.fail) stop('cancelled');
    },
  };
  start();
  return client;
}
