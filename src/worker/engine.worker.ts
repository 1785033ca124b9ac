// SPDX-License-Identifier: GPL-2.0-or-later
// The Web Worker: receives requests and calls the engine, nothing more.
import { expose } from 'comlink';
import { buildTimeline } from '../engine';
import type { EngineApi } from './engine-api';

const api: EngineApi = {
  async run(text) {
    return buildTimeline(text);
  },
};

expose(api);
