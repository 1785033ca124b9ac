// SPDX-License-Identifier: GPL-2.0-or-later
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

import layers from './lint/allowed-imports.js';

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
    // The layering is checked, not hoped for: lint/layers.js lists what each
    // folder of src/ may import.
    files: ['src/**/*.{ts,tsx}'],
    plugins: { layers },
    rules: { 'layers/allowed-imports': 'error' },
  },
  {
    // The engine runs in a worker and in Node: no DOM library, no Node module.
    files: ['src/engine/**/*.ts'],
    ignores: ['src/engine/**/*.test.ts', 'src/engine/**/*.fixture.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['react', 'react-dom', 'd3-*', 'comlink', 'zustand', 'node:*'],
              message: 'The engine is pure: it runs in a worker and in Node.',
            },
          ],
        },
      ],
    },
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
