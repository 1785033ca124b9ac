// SPDX-License-Identifier: GPL-2.0-or-later
// The Web Worker: receives requests and answers them from the engine session.
import { expose, transfer } from 'comlink';
import { mapleViewBuffers, type WorkerApi, createEngineSession } from '../engine';

const session = createEngineSession();

const api: WorkerApi = {
  async run(request, onProgress) {
    const reply = await session.run(request, onProgress);
    if (!reply.ok) return reply;
    // The outline's columns move to the app without a copy.
    const { call, fn, flags } = reply.timeline.steps;
    return transfer(reply, [call.buffer, fn.buffer, flags.buffer]);
  },
  check: (text, input) => session.check(text, input),
  stepTexts: (from, count) => session.stepTexts(from, count),
  rows: (index, from, count) => session.rows(index, from, count),
  diff: (from, to) => session.diff(from, to),
  traceJson: () => session.traceJson(),
  quiz: () => session.quiz(),
  loadRecording: (text, name, space) => session.loadRecording(text, name, space),
  clearRecording: () => session.clearRecording(),
  compareRecordings: (a, b, options) => session.compareRecordings(a, b, options),
  async heartbeat(beat, everyMs) {
    setInterval(() => void beat(), everyMs);
  },
  async step(index, options) {
    const data = await session.step(index, options);
    if (!data) return null;
    // The summary's and the maple tree's arrays move to the app without a copy.
    const { ids, starts, ends, kinds, perms, marks, guards } = data.summary;
    return transfer(data, [
      ids.buffer,
      starts.buffer,
      ends.buffer,
      kinds.buffer,
      perms.buffer,
      marks.buffer,
      guards.buffer,
      ...mapleViewBuffers(data.maple),
    ]);
  },
};

expose(api);
