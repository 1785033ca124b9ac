// SPDX-License-Identifier: GPL-2.0-or-later
// Simulator-only: strings a traced run keeps, made flat. A string built by
// `+` or a template literal is a tree of its pieces (V8's ConsString), each
// piece an object of its own; a traced run keeps a message per step, so it
// keeps every piece, and the garbage collector copies and marks them all.

/**
 * `s`, flat: reading a character makes V8 flatten a ConsString into one
 * sequential string (the pieces become garbage). The same string to
 * JavaScript; only its layout in memory changes.
 */
export function flat(s: string): string {
  s.charCodeAt(0);
  return s;
}
