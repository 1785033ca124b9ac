// SPDX-License-Identifier: GPL-2.0-or-later
// `npm run test:kernel`: the suites that run the live kernel (files named
// *.kernel.test.ts). They fail, never skip, where they cannot run.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.kernel.test.ts'],
    environment: 'node',
    globalSetup: ['src/cli/judge/kernel-preflight.ts'],
    testTimeout: 60_000,
  },
});
