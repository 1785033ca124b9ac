// SPDX-License-Identifier: GPL-2.0-or-later
// The Web Worker: receives requests and calls the engine, nothing more.
import { expose } from 'comlink';
import { buildTimeline } from '../engine';
import type { EngineApi } from './engine-api';

const api: EngineApi = {
  async run(text) {
    try {
      return buildTimeline(text);
    } catch (e) {
      // A throw here is the model's own assertion (a VM_WARN_ON): report it.
      return { ok: false, crash: e instanceof Error ? e.message : String(e) };
    }
  },
};

expose(api);
