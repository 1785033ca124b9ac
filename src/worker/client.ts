// SPDX-License-Identifier: GPL-2.0-or-later
// The app's handle on the engine worker, the one place that knows a worker exists.
import { wrap } from 'comlink';
import type { EngineApi } from './engine-api';

export type { EngineApi } from './engine-api';

export function createEngineWorker(): EngineApi {
  const worker = new Worker(new URL('./engine.worker.ts', import.meta.url), { type: 'module' });
  return wrap<EngineApi>(worker);
}
