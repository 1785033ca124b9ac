// SPDX-License-Identifier: GPL-2.0-or-later
import { open } from 'node:fs/promises';

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

/**
 * Text from the input (paths, names, calls) made safe for a terminal: a
 * control character (a newline, an escape sequence's ESC) prints as a
 * backslash and three octal digits, as the kernel's seq_escape() prints it,
 * so it can neither split a line nor drive the terminal.
 */
export function terminalSafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex -- control characters are what it finds
    /[\x00-\x08\x0a-\x1f\x7f]/g,
    (c) => '\\' + c.charCodeAt(0).toString(8).padStart(3, '0'),
  );
}

export const processIo: CliIo = {
  out: (line) => writeOut(line + '\n'),
  write: writeOut,
  err: (line) => {
    flushOut();
    process.stderr.write(terminalSafe(line) + '\n');
  },
  flush: flushOut,
  readText: (path) => readBounded(path, MAX_INPUT_BYTES),
};

/**
 * The largest input the command line reads (a scenario, a strace log, a
 * dump, a profile): 256 MiB. Larger ones are refused before they are read;
 * a run keeps its parsed calls, several times the text, so much more would
 * not fit in Node's default heap anyway.
 */
export const MAX_INPUT_BYTES = 256 * 1024 * 1024;

/** An input refused for what it is, before or while it is read; the message says why in words. */
export class InputRefused extends Error {}

/**
 * Reads a file as UTF-8, refusing what could never end or never fit: a
 * character device (`/dev/zero`, a terminal) at once, a regular file larger
 * than `limit` bytes before reading it, a pipe as soon as it has given more.
 */
export async function readBounded(path: string, limit: number): Promise<string> {
  const file = await open(path, 'r');
  try {
    const st = await file.stat();
    if (st.isDirectory()) throw Object.assign(new Error('is a directory'), { code: 'EISDIR' });
    if (!st.isFile() && !st.isFIFO() && !st.isSocket()) {
      throw new InputRefused('not a file or a pipe (a device, which may never end)');
    }
    if (st.isFile() && st.size > limit) throw tooLarge(limit);
    const chunks: Buffer[] = [];
    let size = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(1 << 20);
      const { bytesRead } = await file.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      size += bytesRead;
      if (size > limit) throw tooLarge(limit);
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return Buffer.concat(chunks, size).toString('utf8');
  } finally {
    await file.close();
  }
}

function tooLarge(limit: number): InputRefused {
  return new InputRefused(`larger than ${formatBytes(limit)}, the most an input may be`);
}

/** 268435456 as `256 MiB`, 1048576 as `1 MiB`, 1000 as `1000 bytes`. */
export function formatBytes(n: number): string {
  return n % (1 << 20) === 0 ? `${n / (1 << 20)} MiB` : `${n} bytes`;
}

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
    throw new UsageError(`cannot read ${path}: ${whyUnread(e)}`);
  }
}

/** Why a file could not be read, in words: `permission denied`, not `EACCES`. */
function whyUnread(e: unknown): string {
  if (e instanceof InputRefused) return e.message;
  const { code, message } = e as NodeJS.ErrnoException;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'is a directory';
  // Node words a system error as `EACCES: permission denied, open 'FILE'`.
  const words = /^[A-Z0-9]+: ([^,]+)/.exec(String(message))?.[1];
  if (words) return words;
  return code ? `system error ${code}` : String(message ?? e);
}
