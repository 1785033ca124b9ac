// SPDX-License-Identifier: GPL-2.0-or-later
// node scripts/bundle.mjs ENTRY.ts OUTDIR
//
// Bundles a Node entry point (the bench, the judge) into plain JavaScript
// with esbuild, so that it runs under node itself: the tsx loader compiles
// each module as it is imported and wraps every named function
// (keepNames), which cost the bench about 3%. Packages stay imports from
// node_modules; dynamic imports become chunks of their own (splitting).
//
// A module that finds files beside it through `import.meta.url` (the
// golden cases, the C sources the command line builds) must still find
// them once bundled into OUTDIR, so each module's `import.meta.url` is
// replaced by its source file's URL.
import { rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const [entry, outdir] = process.argv.slice(2);
if (!entry || !outdir) {
  console.error('usage: node scripts/bundle.mjs ENTRY.ts OUTDIR');
  process.exit(2);
}

/** `import.meta.url` as the source file's URL, in every module of the project. */
const sourceUrls = {
  name: 'source-import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.[cm]?[jt]sx?$/ }, async (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const text = await readFile(args.path, 'utf8');
      const ext = extname(args.path).replace(/^\.[cm]?/, '.');
      return {
        contents: text.replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href)),
        loader: ext === '.tsx' ? 'tsx' : ext === '.ts' ? 'ts' : ext === '.jsx' ? 'jsx' : 'js',
      };
    });
  },
};

// A fresh folder: chunks are named by content hash and would pile up.
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: [entry],
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  logLevel: 'warning',
  plugins: [sourceUrls],
});
