// SPDX-License-Identifier: GPL-2.0-or-later

/** A problem with the input, located to the character. Lines and columns are 1-based. */
export interface Diagnostic {
  file: string;
  line: number;
  column: number;
  message: string;
  /** The offending text, as written. */
  text: string;
}

/** `scn:4:17: unknown flag MAP_FIXD (did you mean MAP_FIXED?)`, like a compiler. */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.message}`;
}
