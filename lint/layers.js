// SPDX-License-Identifier: GPL-2.0-or-later
// The layering of src/, as an allowlist in the manner of Perfetto's
// tools/check_imports: every folder names the folders it may import from,
// and anything not named is refused. README.md's layout table says the same
// in prose; lint/layers.test.ts proves a wrong-way import is rejected.

/**
 * The layers, most specific first: a file belongs to the first whose path
 * prefix it has. `allow` names the layers its source files may import
 * (its own always allowed).
 */
export const LAYERS = [
  { name: 'engine/index', path: 'src/engine/index.ts', allow: ['engine/*'] },
  { name: 'engine/world', path: 'src/engine/world/', allow: [] },
  { name: 'engine/kernel', path: 'src/engine/kernel/', allow: ['engine/world'] },
  {
    name: 'engine/scenario',
    path: 'src/engine/scenario/',
    allow: ['engine/world', 'engine/kernel'],
  },
  {
    name: 'engine/timeline',
    path: 'src/engine/timeline/',
    allow: ['engine/world', 'engine/kernel', 'engine/scenario'],
  },
  { name: 'engine/testing', path: 'src/engine/testing/', allow: [] },
  { name: 'worker', path: 'src/worker/', allow: ['engine/index'] },
  { name: 'store', path: 'src/store/', allow: ['engine/index'] },
  { name: 'views', path: 'src/views/', allow: ['engine/index', 'store'] },
  { name: 'app', path: 'src/app/', allow: ['engine/index', 'worker', 'store', 'views'] },
  { name: 'cli', path: 'src/cli/', allow: ['engine/*'] },
];

/**
 * What a layer's tests may import beyond its source's allowance: the
 * engine's tests drive their layer through a whole run, and any test may use
 * the engine's test helpers.
 */
export const TEST_ALLOW = {
  'engine/world': ['engine/*'],
  'engine/kernel': ['engine/*'],
  'engine/scenario': ['engine/*'],
  'engine/timeline': ['engine/*'],
  'engine/testing': ['engine/*'],
  worker: ['engine/testing'],
  store: ['engine/testing'],
  views: ['engine/testing'],
  app: ['engine/testing'],
  cli: [],
};

/**
 * Known debt: imports that cross the layering today, each with its reason.
 * Keep it short; an entry leaves when its import does.
 */
export const KNOWN_DEBT = [];
