// SPDX-License-Identifier: GPL-2.0-or-later
// End-to-end tests drive Debian's Chromium (never a downloaded browser)
// against the production build served by `vite preview`.
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from './scripts/chromium-path.mjs';

// Overridable so that several checkouts (or agents) can test side by side:
// E2E_PORT for the server, E2E_OUT for the build it serves (`vite build --outDir`).
const PORT = Number(process.env.E2E_PORT ?? 4173);
const OUT = process.env.E2E_OUT ?? 'dist';

export default defineConfig({
  testDir: 'e2e',
  outputDir: process.env.E2E_RESULTS ?? 'test-results',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  forbidOnly: true,
  reporter: [['list']],
  timeout: 60_000,
  expect: { timeout: 10_000 },
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    viewport: { width: 1400, height: 900 },
    colorScheme: 'light',
    reducedMotion: 'reduce',
    launchOptions: {
      executablePath: chromiumPath(),
      args: CHROMIUM_ARGS,
    },
  },
  webServer: {
    command: `npx vite preview --strictPort --port ${PORT} --host 127.0.0.1 --outDir ${OUT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
