#!/usr/bin/env node
// SPDX-License-Identifier: GPL-2.0-or-later
// The `vma-explorer` command: runs the TypeScript sources bundled into plain
// JavaScript (scripts/bundle.mjs, into dist-node/; rebuilt when a source
// changes), so the command line runs exactly the engine the app runs, with
// no build step to remember and without the tsx loader's cost on every
// module. In a checkout this user may not write, it loads the sources
// through tsx instead.
import { importBundled } from '../scripts/bundle.mjs';

/** @type {{ main: (argv: string[]) => Promise<number> }} */
let cli;
try {
  cli = await importBundled('src/cli/main.ts', 'cli', ['src/cli', 'src/engine']);
} catch (e) {
  if (!['EACCES', 'EPERM', 'EROFS'].includes(/** @type {{ code?: string }} */ (e).code ?? '')) {
    throw e;
  }
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../src/cli/main.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
