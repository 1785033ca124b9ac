// SPDX-License-Identifier: GPL-2.0-or-later
// The store's engine in tests: the engine session in this process, behind
// the port the worker client offers, and a way to make it "crash".
import { createEngineSession, type EngineApi } from '../engine';
import type { EnginePort } from './app-store';

/** The engine session as a port; `crash` replaces it with one that knows nothing (a new worker). */
export function sessionPort(): EnginePort & { crash(): void } {
  let session: EngineApi = createEngineSession();
  return {
    run: (request, onProgress) => session.run(request, onProgress),
    check: (text, input) => session.check(text, input),
    step: (i) => session.step(i),
    rows: (i, from, count) => session.rows(i, from, count),
    diff: (from, to) => session.diff(from, to),
    stepTexts: (from, count) => session.stepTexts(from, count),
    traceJson: () => session.traceJson(),
    quiz: () => session.quiz(),
    loadRecording: (text, name) => session.loadRecording(text, name),
    clearRecording: () => session.clearRecording(),
    compareRecordings: (a, b, options) => session.compareRecordings(a, b, options),
    cancel() {},
    crash() {
      session = createEngineSession();
    },
  };
}
