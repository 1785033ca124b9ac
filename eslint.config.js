// SPDX-License-Identifier: GPL-2.0-or-later
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const OTHER_LAYERS = ['**/worker/**', '**/store/**', '**/views/**', '**/cli/**'];

/** Imports a layer may not make: the layering is checked, not hoped for. */
const forbid = (groups, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: groups, message }] }],
});

export default tseslint.config(
  {
    ignores: [
      'dist',
      'dist-*',
      'node_modules',
      'test-results',
      'test-results-*',
      'playwright-report',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/*.fixture.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      ...forbid(
        [...OTHER_LAYERS, 'react', 'react-dom', 'd3-*', 'comlink', 'zustand', 'node:*'],
        'The engine is pure: it runs in a worker and in Node and imports no other layer.',
      ),
    },
  },
  {
    // Engine tests may read fixtures from disk, but still not reach into other layers.
    files: ['src/engine/**/*.test.ts', 'src/engine/**/*.fixture.ts'],
    rules: forbid(OTHER_LAYERS, 'Engine tests test the engine alone.'),
  },
  {
    files: ['src/views/**/*.{ts,tsx}', 'src/store/**/*.ts'],
    rules: forbid(
      ['**/engine/*/**', '**/worker/*.worker*'],
      'Views and the store use the engine only through src/engine/index.ts and the worker client.',
    ),
  },
  {
    // Text reaches the page as text: markup sinks are where injection starts.
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['innerHTML', 'outerHTML', 'insertAdjacentHTML'].map((property) => ({
          property,
          message: 'Build elements (createElementNS, textContent); never parse markup.',
        })),
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Render text as React children; never parse markup.',
        },
      ],
    },
  },
  {
    files: ['src/views/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: reactHooks.configs.recommended.rules,
  },
);
