// SPDX-License-Identifier: GPL-2.0-or-later
// The small C programs the command line runs (the judge's runner, record's
// launcher) are built with the machine's gcc on first use and kept in a
// folder of the temp directory that only this user may write, named by a
// hash of the compiler, the source and the flags: a changed source builds
// anew, and concurrent builds of the same source agree.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface CachedProgram {
  /** The program's name in messages and in its file's name: `runner`, `launcher`. */
  name: string;
  /** The cache folder's name in the temp directory (the uid is appended). */
  folder: string;
  /** The C source's path. */
  source: string;
  /**
   * Other files the build reads (headers, an #included .c): their text is in
   * the key too, so a changed header builds anew.
   */
  inputs?: string[];
  /** gcc's arguments that build the program into `out` (source included). */
  args: (out: string) => string[];
  /** Changes the built file before it is kept; named in the key by `patchName`. */
  patch?: (binary: Buffer) => Buffer;
  patchName?: string;
  /** The error a failure is reported as. */
  fail: (message: string) => Error;
}

/** The cache folder, made if missing; refused when another user owns it. */
export function cacheFolder(folder: string, fail: (message: string) => Error): string {
  const dir = join(tmpdir(), `${folder}-${process.getuid?.() ?? 'user'}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid && statSync(dir).uid !== process.getuid()) {
    throw fail(`${dir} belongs to another user; remove it`);
  }
  return dir;
}

/** The path of the built program, building it when the cache lacks it. */
export async function buildCached(p: CachedProgram): Promise<string> {
  const gcc = process.env.CC ?? 'gcc';
  const key = createHash('sha256')
    .update(
      [
        gcc,
        readFileSync(p.source, 'utf8'),
        ...(p.inputs ?? []).map((f) => readFileSync(f, 'utf8')),
        ...p.args(''),
        p.patchName ?? '',
      ].join('\0'),
    )
    .digest('hex')
    .slice(0, 16);
  const bin = join(cacheFolder(p.folder, p.fail), `${p.name}-${key}`);
  if (existsSync(bin)) return bin;
  const tmp = `${bin}.${process.pid}.tmp`;
  try {
    await promisify(execFile)(gcc, p.args(tmp));
  } catch (e) {
    const err = e as { stderr?: string; message: string };
    throw p.fail(`cannot build the ${p.name} with ${gcc}: ${err.stderr || err.message}`);
  }
  if (p.patch) writeFileSync(tmp, p.patch(readFileSync(tmp)));
  renameSync(tmp, bin); // atomic: concurrent builds of the same source agree
  return bin;
}
