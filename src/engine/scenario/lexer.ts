// SPDX-License-Identifier: GPL-2.0-or-later
// Splits one line of a scenario into tokens. Never throws: a character it
// cannot read becomes an `invalid` token that the parser reports.

export type TokenKind = 'ident' | 'number' | 'string' | 'punct' | 'annotation' | 'invalid' | 'end';

export interface Token {
  kind: TokenKind;
  /** The text as written (for strings, with quotes and escapes). */
  text: string;
  /** 1-based column of the first character in the original line. */
  column: number;
  /** For `number`: the value. For `string`: the unescaped text in `str`. */
  value?: bigint;
  str?: string;
  /** A string followed by strace's truncation marker `...`. */
  truncated?: boolean;
  /** Why an `invalid` token is invalid. */
  problem?: string;
}

const SUFFIX: Readonly<Record<string, bigint>> = { K: 1n << 10n, M: 1n << 20n, G: 1n << 30n };
/** What a number may be: a signed or an unsigned 64-bit value. */
const MIN_64 = -(1n << 63n);
const MAX_64 = (1n << 64n) - 1n;
const ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  t: '\t',
  r: '\r',
  v: '\v',
  f: '\f',
  a: '\x07',
  b: '\b',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '?': '?',
};

// Sticky (`y`): each matches at lastIndex only, as `^` did on a slice of
// the line from there, without making the slice.
/**
 * A number: a K/M/G suffix belongs to decimal numbers only; a leading 0
 * means octal (strace prints file modes as 0644), so 8 and 9 cannot follow it.
 */
const NUMBER = /-?(0[xX][0-9a-fA-F]+|0[0-7]*(?![0-9])|[1-9][0-9]*([KMG])?)/y;
/** Letters or digits that run on after a number, making it a bad one. */
const WORD = /[A-Za-z0-9_]+/y;
const IDENT = /[A-Za-z_@][A-Za-z0-9_]*/y;

/** Whether line[i] is 0-9 (false past the end). */
function isDigit(line: string, i: number): boolean {
  const k = line.charCodeAt(i);
  return k >= 0x30 && k <= 0x39;
}

/** Whether character code `k` starts an identifier: A-Z, a-z, `_` or `@`. */
function isIdentStart(k: number): boolean {
  return (k >= 0x41 && k <= 0x5a) || (k >= 0x61 && k <= 0x7a) || k === 0x5f || k === 0x40;
}

/**
 * Tokenises `line` from character `start` (0-based). Columns in the tokens
 * are those of the original line, so prefixes that were skipped still count.
 */
export function tokenize(line: string, start = 0): Token[] {
  const tokens: Token[] = [];
  let i = start;
  while (i < line.length) {
    const c = line[i];
    if (c === ' ' || c === '\t') {
      i++;
    } else if (c === '/' && line[i + 1] === '*') {
      // strace annotates unknown bits as `0x80 /* MAP_??? */`: a comment.
      const close = line.indexOf('*/', i + 2);
      i = close < 0 ? line.length : close + 2;
    } else if (c === '"') {
      const tok = readString(line, i);
      tokens.push(tok);
      i += tok.text.length + (tok.truncated ? 3 : 0);
    } else if (c === '<') {
      // strace's `<unfinished ...>`, `<... mmap resumed>` or `<0.000010>`.
      const close = line.indexOf('>', i);
      const end = close < 0 ? line.length : close + 1;
      tokens.push({ kind: 'annotation', text: line.slice(i, end), column: i + 1 });
      i = end;
    } else if (isDigit(line, i) || (c === '-' && isDigit(line, i + 1))) {
      NUMBER.lastIndex = i;
      const m = NUMBER.exec(line);
      const text = m ? m[0] : c;
      WORD.lastIndex = i + text.length;
      const rest = WORD.exec(line);
      if (!m || rest) {
        const bad = text + (rest ? rest[0] : '');
        tokens.push({ kind: 'invalid', text: bad, column: i + 1, problem: `bad number ${bad}` });
        i += bad.length;
      } else {
        const digits = m[2] ? m[1].slice(0, -1) : m[1];
        const value = numberValue(digits, m[2], text);
        if (value < MIN_64 || value > MAX_64) {
          // A system call argument is one 64-bit register: -1 and 2^64 - 1 are the same.
          const problem = `number ${text} does not fit in 64 bits`;
          tokens.push({ kind: 'invalid', text, column: i + 1, problem });
        } else {
          tokens.push({ kind: 'number', text, column: i + 1, value });
        }
        i += text.length;
      }
    } else if (isIdentStart(line.charCodeAt(i))) {
      IDENT.lastIndex = i;
      const m = IDENT.exec(line);
      const text = m ? m[0] : c;
      tokens.push({ kind: 'ident', text, column: i + 1 });
      i += text.length;
    } else if ('(),|=?[]{}'.includes(c)) {
      tokens.push({ kind: 'punct', text: c, column: i + 1 });
      i++;
    } else {
      // A whole code point: an emoji is one character, not two halves.
      const ch = String.fromCodePoint(line.codePointAt(i) ?? 0);
      tokens.push({
        kind: 'invalid',
        text: ch,
        column: i + 1,
        problem: `unexpected character ${JSON.stringify(ch)}`,
      });
      i += ch.length;
    }
  }
  tokens.push({ kind: 'end', text: '', column: line.length + 1 });
  return tokens;
}

function numberValue(digits: string, suffix: string | undefined, text: string): bigint {
  const negative = text.startsWith('-');
  // A leading 0 means octal, as in C and in strace's file modes (0644):
  // NUMBER let only octal digits follow it, unless an x made it hex.
  const octal = digits.length > 1 && digits[0] === '0' && digits[1] !== 'x' && digits[1] !== 'X';
  const magnitude = octal ? BigInt('0o' + digits.slice(1)) : BigInt(digits);
  const scaled = magnitude * (suffix ? SUFFIX[suffix] : 1n);
  return negative ? -scaled : scaled;
}

function readString(line: string, at: number): Token {
  let out = '';
  let i = at + 1;
  while (i < line.length && line[i] !== '"') {
    if (line[i] === '\\' && i + 1 < line.length) {
      const e = line[i + 1];
      const octal = /^[0-7]{1,3}/.exec(line.slice(i + 1));
      const hex = /^x[0-9a-fA-F]{1,2}/.exec(line.slice(i + 1));
      if (octal) {
        out += String.fromCharCode(parseInt(octal[0], 8));
        i += 1 + octal[0].length;
      } else if (hex) {
        out += String.fromCharCode(parseInt(hex[0].slice(1), 16));
        i += 1 + hex[0].length;
      } else if (e in ESCAPES) {
        out += ESCAPES[e];
        i += 2;
      } else {
        return {
          kind: 'invalid',
          text: line.slice(at, i + 2),
          column: at + 1,
          problem: `unknown escape \\${e} in string`,
        };
      }
    } else {
      out += line[i];
      i++;
    }
  }
  if (i >= line.length) {
    return {
      kind: 'invalid',
      text: line.slice(at),
      column: at + 1,
      problem: 'unterminated string',
    };
  }
  const text = line.slice(at, i + 1);
  const truncated = line.startsWith('...', i + 1);
  return { kind: 'string', text, column: at + 1, str: out, truncated };
}
