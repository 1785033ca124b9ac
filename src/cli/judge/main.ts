// SPDX-License-Identifier: GPL-2.0-or-later
// Entry point of `npm run judge`, which bundles it with scripts/bundle.mjs
// and runs the JavaScript; `node --import tsx src/cli/judge/main.ts` runs the
// same from the sources.
import { judgeMain } from './command';

process.exitCode = await judgeMain(process.argv.slice(2));
