// SPDX-License-Identifier: GPL-2.0-or-later
// The scenario reader: text in, calls and diagnostics out, never an exception.
// The format is the contract in shared/spec/scenario-format.md (copied in
// docs/). A strace log's own marks are read by strace-log.ts; the calls of
// both are read here, one function a part of a line, which keeps the file a
// little over 400 lines.
import { CALLS, CALL_ALIASES, suggestCall, type CallSignature, type ParamKind } from './calls';
import { codePointColumn, withoutBom, type Diagnostic } from './diagnostic';
import { FLAG_VALUES, familyOf, suggestFlag, type FlagFamily } from './flags';
import {
  choosePid,
  joinResumed,
  looksLikeStrace,
  plainLines,
  PREFIX,
  type LogicalLine,
} from './strace-log';
import { tokenize, type Token } from './lexer';

/** An integer argument, from a number, `NULL` or `|`-joined flag names. */
export interface IntArg {
  kind: 'int';
  value: bigint;
  /**
   * `value` as a number where one holds it exactly (|value| < 2^52: every
   * address, length, flag word and descriptor a call can use), else NaN: the
   * engine decodes the arguments from it without BigInt arithmetic per run.
   */
  num: number;
  column: number;
  text: string;
}

export interface StringArg {
  kind: 'string';
  value: string;
  column: number;
  text: string;
}

export type Arg = IntArg | StringArg;

/** What `= RESULT` says the call returns. */
export type Expectation =
  | { kind: 'value'; value: bigint; text: string }
  | { kind: 'errno'; errno: string; text: string }
  | { kind: 'signal'; signal: 'SIGSEGV' | 'SIGBUS'; text: string }
  | { kind: 'unknown'; text: string };

export interface ScenarioCall {
  /** 1-based line number in the input. */
  line: number;
  /** 1-based column where the call's name starts. */
  column: number;
  /** The call's name; pseudo-calls keep their `@`. */
  name: string;
  args: Arg[];
  expect: Expectation | null;
  /** The call as written, without pid, timestamp or `= RESULT`. */
  text: string;
  /** The process id strace printed, if any. */
  pid: number | null;
}

export interface ParsedScenario {
  calls: ScenarioCall[];
  diagnostics: Diagnostic[];
  /** Lines of a recorded strace log that name calls outside the contract (or failed execs). */
  skipped: number;
  /** Whether the input reads as a recorded strace log rather than a hand-written scenario. */
  isStraceLog: boolean;
  /** Every process id of a strace log with the number of its calls, most first. */
  pids: Array<{ pid: number; calls: number }>;
  /** The process whose calls `calls` holds, when the log has several; null otherwise. */
  pid: number | null;
}

export interface ParseOptions {
  /**
   * Of a strace log with several processes, the one to replay (default: the
   * one with most calls), or `all` for threads: they share one address space,
   * and `-e trace=memory` does not show the clone() that would tell a thread
   * from a forked process.
   */
  pid?: number | 'all';
}

const ERRNO_NAME = /^E[A-Z0-9]+$/;
/** A UTF-16 high surrogate: the first half of a character beyond the BMP (an emoji). */
const SURROGATE = /[\uD800-\uDBFF]/;
const SIGNALS = new Set(['SIGSEGV', 'SIGBUS']);
/** Reads a whole scenario. `file` names it in diagnostics. */
export function parseScenario(
  text: string,
  file = 'scn',
  options: ParseOptions = {},
): ParsedScenario {
  const lines = withoutBom(text)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const isStraceLog = looksLikeStrace(lines);
  const out: ParsedScenario = {
    calls: [],
    diagnostics: [],
    skipped: 0,
    isStraceLog,
    pids: [],
    pid: null,
  };
  for (const logical of isStraceLog ? joinResumed(lines, out) : plainLines(lines)) {
    parseLine(logical, file, out);
  }
  // Columns so far are UTF-16 offsets + 1: count code points instead.
  for (const d of out.diagnostics) d.column = codePointColumn(lines[d.line - 1] ?? '', d.column);
  choosePid(out, options.pid);
  return out;
}

function parseLine(logical: LogicalLine, file: string, out: ParsedScenario): void {
  const raw = logical.text;
  const lineNo = logical.line;
  const trimmed = raw.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return;

  const prefix = PREFIX.exec(raw);
  const start = prefix ? prefix[0].length : 0;
  const pidText = prefix?.[1] ?? prefix?.[2];
  const pid = pidText === undefined ? null : Number(pidText);
  const fail = (column: number, message: string, offending: string): void => {
    out.diagnostics.push({ file, ...logical.locate(column), message, text: offending });
  };

  const body = raw.slice(start);
  if (/^(\+\+\+|---) /.test(body)) {
    // strace's exit and signal notices: not calls.
    if (out.isStraceLog) out.skipped++;
    else fail(start + 1, 'expected a call, not a strace notice', body.trim());
    return;
  }

  const tokens = tokenize(raw, start);
  const p = new TokenCursor(tokens, raw);
  const first = p.peek();
  if (first.kind === 'annotation') {
    fail(first.column, `a strace ${first.text} line belongs in a strace log`, first.text);
    return;
  }
  if (first.kind !== 'ident') {
    fail(first.column, `expected a call name, found ${describe(first)}`, first.text);
    return;
  }
  p.next();
  if (first.text === 'execve' && out.isStraceLog) {
    parseExecve(p, first, lineNo, pid, out, fail);
    return;
  }
  const name = CALL_ALIASES[first.text] ?? first.text;
  const signature = CALLS[name];
  if (!signature) {
    if (out.isStraceLog && !first.text.startsWith('@')) {
      out.skipped++;
      return;
    }
    const hint = suggestCall(first.text);
    const mean = hint ? ` (did you mean ${hint}?)` : '';
    fail(first.column, `unknown call ${first.text}${mean}`, first.text);
    return;
  }

  const open = p.next();
  if (open.text !== '(') {
    fail(open.column, `expected '(' after ${first.text}, found ${describe(open)}`, open.text);
    return;
  }

  const args: Arg[] = [];
  const diagBefore = out.diagnostics.length;
  if (p.peek().text !== ')') {
    for (;;) {
      const param = signature.params[args.length] as ParamKind | undefined;
      const arg = parseArg(p, param, name, signature, args.length, fail);
      if (!arg) return;
      args.push(arg);
      const sep = p.next();
      if (sep.text === ')') break;
      if (sep.kind === 'annotation') {
        fail(sep.column, `a strace ${sep.text} line belongs in a strace log`, sep.text);
        return;
      }
      if (sep.text !== ',') {
        fail(sep.column, `expected ',' or ')', found ${describe(sep)}`, sep.text);
        return;
      }
    }
  } else {
    p.next();
  }
  if (out.diagnostics.length > diagBefore) return;

  const close = p.prev();
  if (args.length < signature.required) {
    fail(
      close.column,
      `${first.text} takes ${arity(signature)}, found ${args.length}`,
      raw.slice(first.column - 1, close.column),
    );
    return;
  }

  const callText = raw.slice(first.column - 1, close.column);
  let expect: Expectation | null = null;
  if (p.peek().text === '=') {
    p.next();
    const parsed = parseExpectation(p, fail);
    if (parsed === undefined) return;
    expect = parsed;
  }
  while (p.peek().kind === 'annotation') p.next(); // strace -T's `<0.000012>`
  const extra = p.peek();
  if (extra.kind !== 'end') {
    const what =
      extra.text === '#'
        ? "'#' starts a comment only at the start of a line"
        : extra.kind === 'invalid'
          ? `${describe(extra)} after the call`
          : `unexpected ${describe(extra)} after the call`;
    fail(extra.column, what, extra.text);
    return;
  }
  // Columns count code points (codePointColumn()): only a surrogate pair moves them.
  const paired = SURROGATE.test(raw);
  if (paired) for (const a of args) a.column = codePointColumn(raw, a.column);
  out.calls.push({
    line: lineNo,
    column: paired ? codePointColumn(raw, first.column) : first.column,
    name,
    args,
    expect,
    text: callText,
    pid,
  });
}

/**
 * A successful execve in a strace log replaces the address space: it becomes
 * a call `execve("path")` that the engine starts afresh on. A failed one (the
 * shell trying each PATH entry) changes nothing and is skipped.
 */
function parseExecve(
  p: TokenCursor,
  first: Token,
  lineNo: number,
  pid: number | null,
  out: ParsedScenario,
  fail: Fail,
): void {
  const open = p.next();
  const path = p.peek();
  let depth = open.text === '(' ? 1 : 0;
  while (depth > 0 && p.peek().kind !== 'end') {
    const t = p.next();
    if ('([{'.includes(t.text)) depth++;
    if (')]}'.includes(t.text)) depth--;
  }
  if (depth !== 0) {
    fail(p.peek().column, "expected ')' to close execve", first.text);
    return;
  }
  const close = p.prev();
  let expect: Expectation | null = null;
  if (p.peek().text === '=') {
    p.next();
    const parsed = parseExpectation(p, fail);
    if (parsed === undefined) return;
    expect = parsed;
  }
  if (expect === null || expect.kind !== 'value' || expect.value !== 0n) {
    out.skipped++;
    return;
  }
  const args: Arg[] =
    path.kind === 'string'
      ? [
          {
            kind: 'string',
            value: path.str ?? '',
            column: codePointColumn(p.line, path.column),
            text: path.text,
          },
        ]
      : [];
  const text = p.source(first.column, close);
  const column = codePointColumn(p.line, first.column);
  out.calls.push({ line: lineNo, column, name: 'execve', args, expect, text, pid });
}

function arity(s: CallSignature): string {
  const n = s.params.length;
  const plural = (k: number) => `${k} argument${k === 1 ? '' : 's'}`;
  return s.required === n ? plural(n) : `${s.required} to ${plural(n)}`;
}

type Fail = (column: number, message: string, offending: string) => void;

function parseArg(
  p: TokenCursor,
  param: ParamKind | undefined,
  name: string,
  signature: CallSignature,
  index: number,
  fail: Fail,
): Arg | undefined {
  const tok = p.peek();
  if (!param) {
    fail(tok.column, `too many arguments: ${name} takes ${arity(signature)}`, tok.text);
    return undefined;
  }
  if (tok.kind === 'invalid') {
    fail(tok.column, tok.problem ?? 'cannot read this', tok.text);
    return undefined;
  }
  if (param.kind === 'string') {
    p.next();
    if (tok.kind !== 'string') {
      fail(tok.column, `argument ${index + 1} of ${name} must be a string`, tok.text);
      return undefined;
    }
    return { kind: 'string', value: tok.str ?? '', column: tok.column, text: tok.text };
  }
  if (tok.kind === 'string') {
    fail(tok.column, `argument ${index + 1} of ${name} must be a number, not a string`, tok.text);
    p.next();
    return undefined;
  }
  const families: readonly FlagFamily[] = param.kind === 'flags' ? param.families : [];
  let value = 0n;
  const start = tok.column;
  let last: Token;
  for (;;) {
    const t = p.next();
    last = t;
    if (t.kind === 'number') {
      value |= t.value ?? 0n;
    } else if (t.kind === 'ident') {
      const v = flagValue(t, families, fail);
      if (v === undefined) return undefined;
      value |= v;
    } else {
      fail(
        t.column,
        `expected a value for argument ${index + 1} of ${name}, found ${describe(t)}`,
        t.text,
      );
      return undefined;
    }
    // strace -y prints `3</path>` for a descriptor: the path adds nothing.
    while (p.peek().kind === 'annotation' && !p.peek().text.includes('...')) p.next();
    if (p.peek().text !== '|') break;
    p.next();
  }
  const text = p.source(start, last);
  return { kind: 'int', value, num: intArgNumber(value), column: start, text };
}

const I52 = 2n ** 52n;
/** An IntArg's `num`: the value when a number holds it exactly, else NaN. */
export function intArgNumber(value: bigint): number {
  return value < I52 && value > -I52 ? Number(value) : NaN;
}

function flagValue(t: Token, families: readonly FlagFamily[], fail: Fail): bigint | undefined {
  if (t.text === 'NULL') return 0n;
  for (const family of families) {
    const v = FLAG_VALUES[family][t.text];
    if (v !== undefined) return BigInt(v);
  }
  const home = familyOf(t.text);
  if (home) {
    const wanted = families.length
      ? families.map((f) => `${f}_*`).join(' or ') + ' flags'
      : 'a number';
    fail(t.column, `${t.text} is not allowed here (expected ${wanted})`, t.text);
    return undefined;
  }
  const hint = suggestFlag(t.text, families.length ? families : []);
  const what = families.length ? 'flag' : 'value';
  fail(t.column, `unknown ${what} ${t.text}${hint ? ` (did you mean ${hint}?)` : ''}`, t.text);
  return undefined;
}

function parseExpectation(p: TokenCursor, fail: Fail): Expectation | null | undefined {
  const t = p.next();
  if (t.text === '?') return { kind: 'unknown', text: '?' };
  if (t.kind === 'ident' && SIGNALS.has(t.text)) {
    return { kind: 'signal', signal: t.text as 'SIGSEGV' | 'SIGBUS', text: t.text };
  }
  if (t.kind === 'number' && t.value === -1n && p.peek().kind === 'ident') {
    const errno = p.next();
    if (!ERRNO_NAME.test(errno.text)) {
      fail(errno.column, `expected an errno name like ENOMEM, found ${errno.text}`, errno.text);
      return undefined;
    }
    if (p.peek().text === '(') skipParenthesised(p);
    return { kind: 'errno', errno: errno.text, text: `-1 ${errno.text}` };
  }
  if (t.kind === 'number') {
    // strace adds a note after some results, such as `= 0 (Timeout)`.
    if (p.peek().text === '(') skipParenthesised(p);
    return { kind: 'value', value: t.value ?? 0n, text: t.text };
  }
  if (t.kind === 'invalid' && t.problem) fail(t.column, t.problem, t.text);
  else fail(t.column, `expected a result after '=', found ${describe(t)}`, t.text);
  return undefined;
}

function skipParenthesised(p: TokenCursor): void {
  let depth = 0;
  while (p.peek().kind !== 'end') {
    const t = p.next();
    if (t.text === '(') depth++;
    if (t.text === ')' && --depth === 0) return;
  }
}

function describe(t: Token): string {
  if (t.kind === 'end') return 'the end of the line';
  if (t.kind === 'invalid') return t.problem ?? `'${t.text}'`;
  return `'${t.text}'`;
}

class TokenCursor {
  private i = 0;
  constructor(
    private readonly tokens: Token[],
    readonly line: string,
  ) {}
  peek(): Token {
    return this.tokens[this.i];
  }
  next(): Token {
    const t = this.tokens[this.i];
    if (this.i < this.tokens.length - 1) this.i++;
    return t;
  }
  prev(): Token {
    return this.tokens[Math.max(0, this.i - 1)];
  }
  /** The line as written from column `from` to the end of token `last`. */
  source(from: number, last: Token): string {
    return this.line.slice(from - 1, last.column - 1 + last.text.length);
  }
}
