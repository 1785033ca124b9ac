// SPDX-License-Identifier: GPL-2.0-or-later
// Highlighting for the scenario language, from the engine's own lexer: the
// editor colours a line the way the parser reads it, so a name coloured as a
// flag is one the parser knows. CodeMirror's StreamLanguage asks for one
// token at a time; the first ask of a line reads the whole line into spans.
import { HighlightStyle, StreamLanguage, syntaxHighlighting } from '@codemirror/language';
import { Tag, tags } from '@lezer/highlight';
import { CALLS, familyOf, STRACE_PREFIX, tokenize, type Token } from '../../engine';

/** What a span of a scenario line is, for its colour. */
export type SpanKind =
  | 'comment'
  | 'prefix'
  | 'call'
  | 'pseudoCall'
  | 'unknownCall'
  | 'flag'
  | 'name'
  | 'number'
  | 'string'
  | 'operator'
  | 'punctuation'
  | 'annotation'
  | 'result'
  | 'invalid';

/** A coloured part of a line: `[from, to)` in UTF-16 units. */
export interface Span {
  from: number;
  to: number;
  kind: SpanKind;
}

/** The token's extent in the line: a truncated string carries strace's `...`. */
const tokenEnd = (t: Token) => t.column - 1 + t.text.length + (t.truncated ? 3 : 0);

/** How one token of a call's arguments reads. */
function argumentKind(t: Token): SpanKind {
  switch (t.kind) {
    case 'number':
      return 'number';
    case 'string':
      return 'string';
    case 'annotation':
      return 'annotation';
    case 'invalid':
      return 'invalid';
    case 'ident':
      return t.text === 'NULL' || familyOf(t.text) ? 'flag' : 'name';
    default:
      return t.text === '|' || t.text === '=' ? 'operator' : 'punctuation';
  }
}

/**
 * The spans of one line: a `#` comment, strace's pid and time, the call's
 * name, its arguments, and `= RESULT` as one span. Gaps (blanks, strace's
 * `/* ... *\/` notes) are comments when not blank.
 */
export function lineSpans(line: string): Span[] {
  if (/^\s*#/.test(line)) return [{ from: line.search(/#/), to: line.length, kind: 'comment' }];
  const spans: Span[] = [];
  const prefix = STRACE_PREFIX.exec(line)?.[0] ?? '';
  if (prefix.trim() !== '') spans.push({ from: 0, to: prefix.length, kind: 'prefix' });
  const tokens = tokenize(line, prefix.length);
  let depth = 0;
  let named = false;
  for (let i = 0; i < tokens.length && tokens[i].kind !== 'end'; i++) {
    const t = tokens[i];
    const from = t.column - 1;
    const last = spans[spans.length - 1];
    const gap = line.slice(last?.to ?? 0, from);
    if (gap.trim() !== '') spans.push({ from: from - gap.length, to: from, kind: 'comment' });
    if (!named && t.kind === 'ident') {
      named = true;
      const kind = !(t.text in CALLS)
        ? 'unknownCall'
        : t.text.startsWith('@')
          ? 'pseudoCall'
          : 'call';
      spans.push({ from, to: tokenEnd(t), kind });
      continue;
    }
    if (t.text === '(') depth++;
    if (t.text === ')') depth--;
    if (t.text === '=' && depth === 0 && named) {
      spans.push({ from, to: line.trimEnd().length, kind: 'result' });
      break;
    }
    spans.push({ from, to: tokenEnd(t), kind: argumentKind(t) });
  }
  return spans;
}

/** The highlight tag of each span kind. */
const TAGS: Readonly<Record<SpanKind, Tag>> = {
  comment: tags.lineComment,
  prefix: tags.meta,
  call: tags.function(tags.variableName),
  pseudoCall: tags.macroName,
  unknownCall: tags.variableName,
  flag: tags.constant(tags.name),
  name: tags.name,
  number: tags.number,
  string: tags.string,
  operator: tags.operator,
  punctuation: tags.punctuation,
  annotation: tags.annotation,
  result: tags.special(tags.string),
  invalid: tags.invalid,
};

interface LineState {
  spans: readonly Span[];
  next: number;
}

/** The scenario language: StreamLanguage over lineSpans(). */
export const scenarioLanguage = StreamLanguage.define<LineState>({
  name: 'scenario',
  startState: () => ({ spans: [], next: 0 }),
  copyState: (s) => ({ spans: s.spans, next: s.next }),
  token(stream, state) {
    if (stream.sol()) {
      state.spans = lineSpans(stream.string);
      state.next = 0;
    }
    while (state.next < state.spans.length && state.spans[state.next].to <= stream.pos)
      state.next++;
    const span = state.spans[state.next];
    if (!span) {
      stream.skipToEnd();
      return null;
    }
    if (span.from > stream.pos) {
      stream.pos = span.from;
      return null;
    }
    stream.pos = span.to;
    state.next++;
    return span.kind;
  },
  tokenTable: TAGS,
  languageData: { commentTokens: { line: '#' } },
});

/** Colours from variables (scenario.css sets them for each theme). */
const scenarioStyle = HighlightStyle.define([
  { tag: tags.lineComment, color: 'var(--muted)', fontStyle: 'italic' },
  { tag: tags.meta, color: 'var(--muted)' },
  { tag: tags.function(tags.variableName), color: 'var(--syntax-call)', fontWeight: '600' },
  { tag: tags.macroName, color: 'var(--syntax-pseudo)', fontWeight: '600' },
  { tag: tags.constant(tags.name), color: 'var(--syntax-flag)' },
  { tag: tags.number, color: 'var(--syntax-number)' },
  { tag: tags.string, color: 'var(--syntax-string)' },
  { tag: tags.special(tags.string), color: 'var(--muted)' },
  { tag: tags.annotation, color: 'var(--muted)' },
  { tag: tags.invalid, textDecoration: 'underline wavy' },
]);

/** Highlighting for a scenario editor. */
export const scenarioHighlighting = [scenarioLanguage, syntaxHighlighting(scenarioStyle)];
