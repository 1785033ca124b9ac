// SPDX-License-Identifier: GPL-2.0-or-later
// Reads a real /proc/PID/maps or /proc/PID/smaps dump (the text
// fs/proc/task_mmu.c prints) into entries, never throwing: a line it cannot
// read becomes a diagnostic with its line and column.
import { TASK_SIZE } from '../kernel/mm/mm_types';
import { codePointColumn, withoutBom, type Diagnostic } from './diagnostic';

export interface MapsEntry {
  /** 1-based line of the maps line in the dump. */
  line: number;
  /** The range, exact: at most TASK_SIZE but for the gate area (`[vsyscall]`). */
  start: number;
  end: number;
  /** `rw-p`: read, write, exec, and `s` shared or `p` private. */
  perms: string;
  /** The maps line as the dump printed it. */
  text: string;
  /** The file offset in bytes (vm_pgoff << PAGE_SHIFT for a file), exact. */
  offset: bigint;
  /** Device (`fe:00`) and inode (a 64-bit number, kept as printed). */
  dev: string;
  inode: string;
  /** What follows the inode: a path, `[heap]`, `[stack]`, `[vdso]`..., or null. */
  path: string | null;
  /** smaps' `VmFlags:` names, or null in a maps dump. */
  vmFlags: string[] | null;
  /** Where each VmFlags name stands: the line, and a 1-based column per name. */
  vmFlagsAt: { line: number; columns: number[] } | null;
  /** smaps' `Anonymous:` in kB, or null in a maps dump. */
  anonymousKb: number | null;
}

export interface ParsedMaps {
  entries: MapsEntry[];
  diagnostics: Diagnostic[];
  /** Whether the dump came from smaps (it has field lines after each VMA). */
  isSmaps: boolean;
}

// "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " then the padded name.
const HEADER =
  /^([0-9a-f]+)-([0-9a-f]+) ([r-][w-][x-][ps]) ([0-9a-f]+) ([0-9a-f]+:[0-9a-f]+) ([0-9]+)(?: +(.*))?$/;
/** The top of user space: no VMA of the engine ends above it. */
const USER_END = BigInt(TASK_SIZE);
const U64_MAX = (1n << 64n) - 1n;
const FIELD = /^([A-Za-z_][A-Za-z0-9_]*):\s*(.*)$/;
/** The fixed columns of a maps line, in order, to find where a bad line goes wrong. */
const COLUMNS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[0-9a-f]+/y, 'start address'],
  [/-/y, "'-'"],
  [/[0-9a-f]+/y, 'end address'],
  [/ /y, 'a space'],
  [/[r-][w-][x-][ps]/y, 'permissions like rw-p'],
  [/ /y, 'a space'],
  [/[0-9a-f]+/y, 'offset'],
  [/ /y, 'a space'],
  [/[0-9a-f]+:[0-9a-f]+/y, 'device like 00:00'],
  [/ /y, 'a space'],
  [/[0-9]+/y, 'inode'],
];

/** Reads a maps or smaps dump. */
export function parseProcMaps(text: string, file = 'maps'): ParsedMaps {
  const out: ParsedMaps = { entries: [], diagnostics: [], isSmaps: false };
  const lines = withoutBom(text).split('\n');
  let current: MapsEntry | null = null;
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i].replace(/\r$/, '');
    const line = i + 1;
    const fail = (column: number, message: string, offending: string) =>
      out.diagnostics.push({
        file,
        line,
        column: codePointColumn(raw, column),
        message,
        text: offending,
      });
    if (raw.trim() === '') continue;

    const header = HEADER.exec(raw);
    if (header) {
      const entry = readHeader(header, raw, line, fail);
      if (entry) {
        checkOrder(out.entries[out.entries.length - 1], entry, fail);
        out.entries.push(entry);
      }
      current = entry;
      continue;
    }
    const field = FIELD.exec(raw);
    if (field && current) {
      out.isSmaps = true;
      readField(current, field[1], field[2], line, raw.length - field[2].length + 1, fail);
      continue;
    }
    const [column, what] = firstBadField(raw);
    fail(
      column,
      `expected a maps line (start-end perms offset dev inode [path]): bad ${what}`,
      raw,
    );
  }
  return out;
}

function readHeader(
  m: RegExpExecArray,
  text: string,
  line: number,
  fail: (column: number, message: string, text: string) => void,
): MapsEntry | null {
  const [, startText, endText, perms, offsetText, dev, inodeText, pathText] = m;
  // Exact, whatever the length: a number loses bits above 2^53.
  const start = BigInt('0x' + startText);
  const end = BigInt('0x' + endText);
  const offset = BigInt('0x' + offsetText);
  const range = `${startText}-${endText}`;
  if (!(start < end)) {
    fail(1, `the range ${range} is empty or reversed`, range);
    return null;
  }
  if (start % 4096n !== 0n || end % 4096n !== 0n) {
    fail(1, `the range ${range} is not page aligned`, range);
    return null;
  }
  // The kernel escapes a newline in a path as \012 (seq_path(m, path, "\n")):
  // read it back. A path that held the four characters `\012` printed the
  // same, so it reads as a newline too.
  const name = pathText === undefined ? '' : pathText.trim();
  const path = name === '' ? null : name.replaceAll('\\012', '\n');
  // The gate area lies above user space; /proc names it, and it is no VMA.
  if (end > USER_END && path !== '[vsyscall]') {
    const column = startText.length + 2;
    const top = `0x${USER_END.toString(16)}`;
    fail(
      column,
      `the range ${range} ends above ${top}, the top of user space (TASK_SIZE)`,
      endText,
    );
    return null;
  }
  if (offset > U64_MAX) {
    const column = startText.length + endText.length + perms.length + 4;
    fail(column, `the offset ${offsetText} does not fit in 64 bits`, offsetText);
    return null;
  }
  return {
    line,
    text,
    start: Number(start),
    end: Number(end),
    perms,
    offset,
    dev,
    inode: inodeText,
    path,
    vmFlags: null,
    vmFlagsAt: null,
    anonymousKb: null,
  };
}

function readField(
  entry: MapsEntry,
  key: string,
  value: string,
  line: number,
  column: number,
  fail: (column: number, message: string, text: string) => void,
): void {
  if (key === 'VmFlags') {
    const names = value.trim() === '' ? [] : value.trim().split(/\s+/);
    const bad = names.find((n) => !/^[a-z]{2}$/.test(n));
    if (bad) fail(column + value.indexOf(bad), `'${bad}' is not a two-letter VmFlags name`, bad);
    else {
      entry.vmFlags = names;
      const columns: number[] = [];
      let from = 0;
      for (const n of names) {
        const at = value.indexOf(n, from);
        columns.push(column + at);
        from = at + n.length;
      }
      entry.vmFlagsAt = { line, columns };
    }
  } else if (key === 'Anonymous') {
    const kb = /^(\d+) kB$/.exec(value.trim());
    if (kb) entry.anonymousKb = Number(kb[1]);
    else fail(column, `expected 'Anonymous: N kB'`, value);
  }
  // Other smaps fields (Rss, Pss, ...) describe pages, which this model leaves out.
}

function checkOrder(
  prev: MapsEntry | undefined,
  entry: MapsEntry,
  fail: (column: number, message: string, text: string) => void,
): void {
  if (prev && entry.start < prev.end) {
    fail(1, `overlaps or comes before the mapping on line ${prev.line}`, entry.start.toString(16));
  }
}

/** Where a line that is not a maps line first goes wrong, for the diagnostic. */
function firstBadField(raw: string): [number, string] {
  let at = 0;
  for (const [pattern, name] of COLUMNS) {
    pattern.lastIndex = at;
    if (!pattern.exec(raw)) return [at + 1, name];
    at = pattern.lastIndex;
  }
  return [at + 1, 'text after the inode'];
}
