// SPDX-License-Identifier: GPL-2.0-or-later
// What sets a strace log apart from a hand-written scenario: its line
// prefixes (pid, time), calls split by another process into `<unfinished
// ...>` and `<... resumed>` halves, and several processes in one log.
// parse.ts reads the calls themselves.
import type { ParsedScenario } from './parse';

// `1234 `, `[pid 1234] `, then `12:00:01.123456 ` or `1700000000.123456 `.
export const PREFIX =
  /^\s*(?:\[pid\s+(\d+)\]\s+|(\d+)\s+(?=[A-Za-z_<+\-\d]))?(?:(?:\d\d:\d\d:\d\d(?:\.\d+)?|\d{9,}\.\d+)\s+)?/;
const TIME = String.raw`(?:\d\d:\d\d:\d\d|\d{9,}\.\d+[ \t])`;
// One line at a time and blanks as [ \t]: a `^\s*` over the whole text in
// multi-line mode backtracks across every run of blank lines (quadratic).
const STRACE_MARK = new RegExp(
  String.raw`^[ \t]*(?:\[pid[ \t]+\d+\]|\d+[ \t]+(?:[a-z_<+-]|${TIME})|${TIME})|^\+\+\+ |^--- SIG`,
);

/** Whether any line carries a mark only strace prints (a pid, a time, a notice). */
export function looksLikeStrace(lines: readonly string[]): boolean {
  return lines.some((l) => l.includes('resumed>') || STRACE_MARK.test(l));
}

/** One call's text, maybe joined from two physical lines, and where its columns came from. */
export interface LogicalLine {
  text: string;
  line: number;
  /** Maps a 1-based column of `text` to the physical line and column. */
  locate(column: number): { line: number; column: number };
}

export function* plainLines(lines: string[]): Generator<LogicalLine> {
  for (let i = 0; i < lines.length; i++) {
    const line = i + 1;
    yield { text: lines[i], line, locate: (column) => ({ line, column }) };
  }
}

const UNFINISHED_MARK = '<unfinished ...>';

/** Where `<unfinished ...>` and the blanks before it start, if the line ends with it. */
function unfinishedAt(body: string): number {
  // Not a regex: an unanchored `\s*...$` retries at every blank (quadratic).
  const end = body.trimEnd();
  if (!end.endsWith(UNFINISHED_MARK)) return -1;
  return end.slice(0, -UNFINISHED_MARK.length).trimEnd().length;
}
const RESUMED = /^<\.\.\. ([A-Za-z_0-9]+) resumed>/;

/**
 * strace -f splits a call that another process interrupts into
 * `mmap(NULL, 8192, ... <unfinished ...>` and, later, `<... mmap resumed>) = 0x...`
 * on the same pid. Join each pair into one line at the place the call began.
 */
export function* joinResumed(lines: string[], out: ParsedScenario): Generator<LogicalLine> {
  const pending = new Map<string, { head: string; line: number }>();
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i];
    const line = i + 1;
    const prefix = PREFIX.exec(raw);
    const start = prefix ? prefix[0].length : 0;
    const pid = prefix?.[1] ?? prefix?.[2] ?? '';
    const body = raw.slice(start);
    const unfinished = unfinishedAt(body);
    if (unfinished >= 0) {
      pending.set(pid, { head: raw.slice(0, start + unfinished), line });
      continue;
    }
    const resumed = RESUMED.exec(body);
    if (!resumed) {
      yield { text: raw, line, locate: (column) => ({ line, column }) };
      continue;
    }
    const head = pending.get(pid);
    pending.delete(pid);
    if (!head) {
      // The call began before the log did: nothing to replay.
      out.skipped++;
      continue;
    }
    const tailStart = start + resumed[0].length;
    const joined = head.head + raw.slice(tailStart);
    const split = head.head.length;
    yield {
      text: joined,
      line: head.line,
      locate: (column) =>
        column <= split
          ? { line: head.line, column }
          : { line, column: column - split + tailStart },
    };
  }
  // Calls still unfinished when the log ends (the process was killed).
  out.skipped += pending.size;
}

/** Keeps the calls of one process of a multi-process log. */
export function choosePid(out: ParsedScenario, wanted: number | 'all' | undefined): void {
  const counts = new Map<number, number>();
  for (const c of out.calls) if (c.pid !== null) counts.set(c.pid, (counts.get(c.pid) ?? 0) + 1);
  out.pids = [...counts]
    .map(([pid, calls]) => ({ pid, calls }))
    .sort((a, b) => b.calls - a.calls || a.pid - b.pid);
  if (wanted === 'all' || (wanted === undefined && out.pids.length < 2)) return;
  const pid = wanted ?? out.pids[0].pid;
  out.pid = pid;
  out.calls = out.calls.filter((c) => c.pid === null || c.pid === pid);
}
