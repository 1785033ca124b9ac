// SPDX-License-Identifier: GPL-2.0-or-later
// ESLint rule `layers/allowed-imports`: a relative import must land in the
// importing file's own layer or one its layer allows (lint/layers.js).
import { dirname, relative, resolve, sep } from 'node:path';
import { KNOWN_DEBT, LAYERS, TEST_ALLOW } from './layers.js';

const TEST_FILE = /\.(test|fixture)\.tsx?$/;
const posix = (p) => p.split(sep).join('/');

/** Whether an import of `path` (no extension, or a folder) names the module `file`. */
const sameModule = (path, file) =>
  [path, `${path}.ts`, `${path}.tsx`, `${path}/index.ts`].includes(file);

/** The layer a repository path belongs to, or null outside the layered tree. */
export function layerOf(path) {
  for (const layer of LAYERS) {
    if (layer.path.endsWith('/') ? path.startsWith(layer.path) : sameModule(path, layer.path))
      return layer;
  }
  return null;
}

const allows = (names, target) =>
  names.some((n) => n === target || (n.endsWith('/*') && target.startsWith(n.slice(0, -1))));

export const allowedImports = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layering of lint/layers.js' },
    schema: [],
    messages: {
      crossing:
        '{{from}} may not import {{to}} ({{spec}}): {{from}} may import only {{allowed}}. See lint/layers.js.',
    },
  },
  create(context) {
    const file = posix(relative(context.cwd, context.filename));
    const from = layerOf(file);
    if (!from) return {};
    const isTest = TEST_FILE.test(file);
    const allowed = [...from.allow, ...(isTest ? (TEST_ALLOW[from.name] ?? []) : [])];
    const check = (node) => {
      const spec = node?.value;
      if (typeof spec !== 'string' || !spec.startsWith('.')) return;
      const target = posix(relative(context.cwd, resolve(dirname(context.filename), spec)));
      const to = layerOf(target);
      if (!to || to === from || allows(allowed, to.name)) return;
      if (KNOWN_DEBT.some((d) => d.from === file && d.to === target)) return;
      context.report({
        node,
        messageId: 'crossing',
        data: { from: from.name, to: to.name, spec, allowed: allowed.join(', ') || 'nothing' },
      });
    };
    return {
      ImportDeclaration: (n) => check(n.source),
      ExportNamedDeclaration: (n) => check(n.source),
      ExportAllDeclaration: (n) => check(n.source),
      ImportExpression: (n) => check(n.source),
    };
  },
};

export default { rules: { 'allowed-imports': allowedImports } };
