// SPDX-License-Identifier: GPL-2.0-or-later
// The Web Worker: receives requests and answers them from the engine session.
import { expose, transfer } from 'comlink';
import type { EngineApi } from './engine-api';
import { createEngineSession } from './engine-session';

const session = createEngineSession();

const api: EngineApi = {
  run: (text, startMaps, onProgress) => session.run(text, startMaps, onProgress),
  rows: (index, from, count) => session.rows(index, from, count),
  diff: (from, to) => session.diff(from, to),
  async step(index) {
    const data = await session.step(index);
    if (!data) return null;
    // The summary's arrays move to the app without a copy.
    const { ids, starts, ends, kinds, perms } = data.summary;
    return transfer(data, [ids.buffer, starts.buffer, ends.buffer, kinds.buffer, perms.buffer]);
  },
};

expose(api);
