// SPDX-License-Identifier: GPL-2.0-or-later
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import type { Plugin } from 'vite';

// Cross-origin isolation: the app loads nothing from elsewhere, and it lets
// `npm run bench` measure the whole page's memory, workers included
// (performance.measureUserAgentSpecificMemory).
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

// The production build's Content-Security-Policy: only the app's own files
// run (no inline script, no eval), the engine worker comes from the same
// origin, and the page fetches nothing from elsewhere. Styles may be inline:
// CodeMirror writes its theme into a <style> element at run time, and a
// style cannot run script. Images may be data: and blob: URLs because the
// PNG export draws the view through one. Vite's dev server injects an inline
// script (React's refresh preamble), so the policy applies to the build
// only: a <meta> tag in its index.html, and the same as a header from
// `vite preview`.
const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "worker-src 'self'",
  "connect-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Puts the policy into the built index.html, first in <head>, before any script. */
const contentSecurityPolicy = (): Plugin => ({
  name: 'content-security-policy',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY },
      injectTo: 'head-prepend',
    },
  ],
});

export default defineConfig({
  plugins: [react(), contentSecurityPolicy()],
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false, headers },
  preview: {
    port: 4173,
    strictPort: true,
    headers: { ...headers, 'Content-Security-Policy': CONTENT_SECURITY_POLICY },
  },
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'lint/**/*.test.ts',
      'scripts/**/*.test.mjs',
    ],
    // The live-kernel suites run with `npm run test:kernel` (vitest.kernel.config.ts).
    exclude: ['**/node_modules/**', 'src/**/*.kernel.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
