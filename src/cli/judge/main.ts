// SPDX-License-Identifier: GPL-2.0-or-later
// Entry point of `npm run judge` (node --import tsx src/cli/judge/main.ts).
import { judgeMain } from './command';

process.exitCode = await judgeMain(process.argv.slice(2));
