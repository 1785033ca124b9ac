// SPDX-License-Identifier: GPL-2.0-or-later
import { readFile } from 'node:fs/promises';

/** What a command may do to the world; tests pass their own. */
export interface CliIo {
  out(line: string): void;
  /** Part of the output, for output written as it is made (no newline added). */
  write(text: string): void;
  err(line: string): void;
  /** Writes out what `out` and `write` hold back, if they hold anything. */
  flush?(): void;
  readText(path: string): Promise<string>;
}

/** How much standard output is gathered before one write: a step's line each is too slow. */
const OUT_CHUNK = 1 << 16;
let pending: string[] = [];
let pendingLength = 0;

function writeOut(text: string): void {
  pending.push(text);
  pendingLength += text.length;
  if (pendingLength >= OUT_CHUNK) flushOut();
}

function flushOut(): void {
  if (!pending.length) return;
  // Synchronous on Linux for files, pipes and terminals, so nothing piles up
  // in memory behind a slow reader.
  process.stdout.write(pending.join(''));
  pending = [];
  pendingLength = 0;
}

export const processIo: CliIo = {
  out: (line) => writeOut(line + '\n'),
  write: writeOut,
  err: (line) => {
    flushOut();
    process.stderr.write(line + '\n');
  },
  flush: flushOut,
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
