#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-or-later
// The `vma-explorer` command: loads the TypeScript sources through tsx, so the
// command line runs exactly the engine the app runs, with no build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2));
