// SPDX-License-Identifier: GPL-2.0-or-later
// node scripts/bundle.mjs ENTRY.ts OUTDIR
// node scripts/bundle.mjs --run ENTRY.ts [ARGS...]
//
// Bundles a Node entry point (the bench, the judge, the command line) into
// plain JavaScript with esbuild, so that it runs under node itself: the tsx
// loader compiles each module as it is imported and wraps every named
// function (keepNames), which cost the bench about 3%. Packages stay
// imports from node_modules; dynamic imports become chunks of their own
// (splitting).
//
// A module that finds files beside it through `import.meta.url` (the
// golden cases, the C sources the command line builds) must still find
// them once bundled into OUTDIR, so each module's `import.meta.url` is
// replaced by its source file's URL.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build, version } from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(ROOT, 'dist-node');

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

/** Bundles `entry` into a fresh `outdir` (`entry`'s name, .mjs). */
export async function bundle(entry, outdir, logLevel = 'warning') {
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
    logLevel,
    plugins: [sourceUrls],
  });
}

/** A file a bundle is made of (data beside it is read at run time). */
const CODE = /\.[cm]?[jt]sx?$/;

/**
 * Every code file below `dir`, with its size and time, for a cache key.
 * Data files do not count: the bench rewrites its results.json each run.
 */
function stamp(dir, into) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) stamp(path, into);
    else if (CODE.test(e.name)) {
      const s = statSync(path);
      into.update(`${path}\0${s.size}\0${s.mtimeMs}\n`);
    }
  }
}

/**
 * dist-node/NAME-KEY, KEY naming esbuild's version and every code file of
 * the bundler's folder and of `sources` (folders, from the project root) by
 * size and time.
 */
export function bundleDir(name, sources) {
  const key = createHash('sha256');
  key.update(`${version}\n`);
  stamp(dirname(fileURLToPath(import.meta.url)), key);
  for (const s of sources) stamp(resolve(ROOT, s), key);
  return join(OUT, `${name}-${key.digest('hex').slice(0, 16)}`);
}

/**
 * The bundle of a source entry (`src/cli/main.ts`), imported: built on first
 * use into bundleDir(), so a changed source builds anew (about half a
 * second) and an unchanged one costs a walk of the folders. Made in a folder
 * of its own and renamed, so processes started together agree on one.
 */
export async function importBundled(entry, name, sources) {
  const dir = bundleDir(name, sources);
  const file = join(dir, basename(entry).replace(/\.[cm]?[jt]sx?$/, '.mjs'));
  if (!existsSync(file)) {
    const tmp = `${dir}.${process.pid}.tmp`;
    await bundle(resolve(ROOT, entry), tmp, 'silent');
    try {
      renameSync(tmp, dir);
    } catch {
      rmSync(tmp, { recursive: true, force: true }); // another process made it first
    }
    pruneOld(name, dir);
  }
  return import(pathToFileURL(file).href);
}

/** Earlier bundles of `name` a day old: none of them can still be running. */
function pruneOld(name, keep) {
  const day = Date.now() - 24 * 3600 * 1000;
  for (const e of readdirSync(OUT)) {
    const path = join(OUT, e);
    if (!e.startsWith(`${name}-`) || path === keep) continue;
    try {
      if (statSync(path).mtimeMs < day) rmSync(path, { recursive: true, force: true });
    } catch {
      // Another process pruned it first.
    }
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [first, ...rest] = process.argv.slice(2);
  if (first === '--run' && rest.length > 0) {
    // `npm run bench`, `npm run judge`: the entry bundled into a folder of
    // its own content (importBundled()), so that two runs at once, or a
    // rebuild while one runs, never take away the chunks a run still
    // imports; then run with ARGS as its own arguments.
    const [entry, ...args] = rest;
    // bench/run.ts -> bench-run
    const name = relative(ROOT, resolve(ROOT, entry))
      .replace(/\.[cm]?[jt]sx?$/, '')
      .replace(/[^A-Za-z0-9_]+/g, '-')
      .replace(/^-+/, '');
    process.argv = [process.argv[0], resolve(ROOT, entry), ...args];
    await importBundled(entry, name, [dirname(entry), 'src']);
  } else if (first && rest.length === 1) {
    await bundle(first, rest[0]);
  } else {
    console.error('usage: node scripts/bundle.mjs ENTRY.ts OUTDIR | --run ENTRY.ts [ARGS...]');
    process.exit(2);
  }
}
