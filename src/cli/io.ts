// SPDX-License-Identifier: GPL-2.0-or-later
import { readFile } from 'node:fs/promises';

/** What a command may do to the world; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readText(path: string): Promise<string>;
}

export const processIo: CliIo = {
  out: (line) => process.stdout.write(line + '\n'),
  err: (line) => process.stderr.write(line + '\n'),
  readText: (path) => readFile(path, 'utf8'),
};

/** Exit statuses every command shares. */
export const EXIT_OK = 0;
export const EXIT_MISMATCH = 1;
export const EXIT_BAD_INPUT = 2;

/** Thrown for a usage problem; main() prints its one line and exits 2. */
export class UsageError extends Error {}

/** Reads a file or reports `vma-explorer: cannot read FILE: reason` as a usage problem. */
export async function readInput(io: CliIo, path: string): Promise<string> {
  try {
    return await io.readText(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String(code ?? e);
    throw new UsageError(`cannot read ${path}: ${why}`);
  }
}
