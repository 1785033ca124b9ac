// SPDX-License-Identifier: GPL-2.0-or-later

/**
 * A problem with the input, located to the character. Lines and columns are
 * 1-based; a column counts code points (an emoji is one), not UTF-16 units.
 */
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

/**
 * The 1-based column in code points of the 1-based UTF-16 column `column`
 * of `line`: each surrogate pair before it counts once.
 */
export function codePointColumn(line: string, column: number): number {
  let pairs = 0;
  const end = Math.min(column - 1, line.length);
  for (let i = 0; i + 1 < end; i++) {
    const c = line.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) {
      const d = line.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        pairs++;
        i++;
      }
    }
  }
  return column - pairs;
}

/** A UTF-8 byte-order mark that starts a text: read as nothing, in every reader. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/**
 * The 1-based UTF-16 column of the 1-based code-point column `column` of
 * `line` (codePointColumn() undone): where an editor that counts UTF-16
 * units, as CodeMirror does, puts a diagnostic.
 */
export function utf16Column(line: string, column: number): number {
  let i = 0;
  let k = 1;
  for (; k < column && i < line.length; k++) {
    const c = line.charCodeAt(i);
    const d = line.charCodeAt(i + 1);
    i += c >= 0xd800 && c <= 0xdbff && d >= 0xdc00 && d <= 0xdfff ? 2 : 1;
  }
  return i + 1 + (column - k);
}

/** Line and column (1-based) of a character offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  return { line: before.split('\n').length, column: offset - before.lastIndexOf('\n') };
}
