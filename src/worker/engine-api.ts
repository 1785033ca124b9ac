// SPDX-License-Identifier: GPL-2.0-or-later
// The requests the app may make of the engine worker. Typed on both sides;
// nothing is thrown across the boundary, failures come back as values.
import type { TimelineResult } from '../engine';

/** A run's result, or the engine's own failure (a bug in the model), as a value. */
export type RunReply = TimelineResult | { ok: false; crash: string };

export interface EngineApi {
  /** Parses and runs a scenario; bad input comes back as diagnostics. */
  run(text: string): Promise<RunReply>;
}
