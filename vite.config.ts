// SPDX-License-Identifier: GPL-2.0-or-later
import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

// Cross-origin isolation: the app loads nothing from elsewhere, and it lets
// `npm run bench` measure the whole page's memory, workers included
// (performance.measureUserAgentSpecificMemory).
const headers = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  plugins: [react()],
  worker: { format: 'es' },
  server: { port: 5173, strictPort: false, headers },
  preview: { port: 4173, strictPort: true, headers },
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    // The live-kernel suites run with `npm run test:kernel` (vitest.kernel.config.ts).
    exclude: ['**/node_modules/**', 'src/**/*.kernel.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
