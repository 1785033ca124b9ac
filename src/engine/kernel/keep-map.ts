// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: exemplars that keep V8's maps of per-run classes alive.
//
// V8 gives the instances of a class their map (hidden class) by transitions
// from the constructor's initial map as the constructor assigns each field,
// and a map reached only through those transitions is collected with its
// last instance; every function optimized for that map is then thrown away
// ("weak objects" deoptimization) and runs unoptimized until V8 optimizes it
// again. The engine's per-run objects (the call context, the untraced
// history, the call steps) all died between two runs, so each run (each bench
// round, each re-run in the app) started with the whole mm model deoptimized.
// One exemplar of each, kept here, keeps their maps alive.

const exemplars: object[] = [];

/** Keeps `exemplar` (and so its map) alive for as long as the program runs. */
export function keepMap<T extends object>(exemplar: T): T {
  exemplars.push(exemplar);
  return exemplar;
}

/** The exemplars kept so far (for the test that each class has one with its runs' map). */
export function keptExemplars(): readonly object[] {
  return exemplars;
}
