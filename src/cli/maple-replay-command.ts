// SPDX-License-Identifier: GPL-2.0-or-later
// `vma-explorer maple-replay FILE.case`: replays a golden maple-tree case and
// prints exactly the dump lines the kernel's run printed, nothing else.
import { replayMapleCase } from '../engine';
import { EXIT_BAD_INPUT, EXIT_OK, readInput, type CliIo } from './io';

export async function mapleReplayCommand(io: CliIo, file: string): Promise<number> {
  const text = await readInput(io, file);
  const result = replayMapleCase(text);
  if (!result.ok) {
    io.err(`${file}:${result.error.line}: ${result.error.message}`);
    return EXIT_BAD_INPUT;
  }
  for (const line of result.lines) io.out(line);
  return EXIT_OK;
}
