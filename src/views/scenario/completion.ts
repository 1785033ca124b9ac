// SPDX-License-Identifier: GPL-2.0-or-later
// Completion of call names and flag names from the contract the parser
// reads (the engine's CALLS and FLAG_VALUES): at the start of a line the
// calls, inside a call's arguments the flags its argument there accepts.
import {
  autocompletion,
  type Completion,
  type CompletionContext,
  type CompletionResult,
} from '@codemirror/autocomplete';
import {
  CALLS,
  FLAG_VALUES,
  STRACE_PREFIX,
  type CallSignature,
  type FlagFamily,
  type ParamKind,
} from '../../engine';

/** How an argument reads in a call's completion detail. */
function paramText(p: ParamKind): string {
  if (p.kind === 'flags') return p.families.map((f) => `${f}_*`).join('|');
  return p.kind === 'string' ? '"…"' : 'n';
}

/** `(n, n, PROT_*[, n])`: the shape of a call's arguments. */
export function signatureText(s: CallSignature): string {
  const required = s.params.slice(0, s.required).map(paramText).join(', ');
  const optional = s.params.slice(s.required).map(paramText);
  const rest = optional.map((p, i) => `${i === 0 && s.required === 0 ? '' : ', '}${p}`);
  return `(${required}${rest.length ? `[${rest.join('')}]` : ''})`;
}

const CALL_OPTIONS: readonly Completion[] = Object.entries(CALLS).map(([name, s]) => ({
  label: name,
  type: name.startsWith('@') ? 'keyword' : 'function',
  detail: signatureText(s),
}));

const flagOptions = (families: readonly FlagFamily[]): Completion[] =>
  families.flatMap((family) =>
    Object.entries(FLAG_VALUES[family]).map(([name, value]) => ({
      label: name,
      type: 'constant',
      detail: value < 0 ? String(value) : `0x${value.toString(16)}`,
    })),
  );

const ALL_FLAGS = flagOptions(Object.keys(FLAG_VALUES) as FlagFamily[]);
const NULL_OPTION: Completion = { label: 'NULL', type: 'constant', detail: '0' };

/**
 * Where the cursor is in a call: the call's name and the index of the
 * argument (commas outside strings and brackets counted), or null before
 * the opening bracket.
 */
export function argumentAt(before: string): { call: string; index: number } | null {
  const m = /^([@A-Za-z_][A-Za-z0-9_]*)\s*\(/.exec(before);
  if (!m) return null;
  let index = 0;
  let depth = 1;
  let quoted = false;
  for (let i = m[0].length; i < before.length; i++) {
    const c = before[i];
    if (quoted) {
      if (c === '\\') i++;
      else if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if ('([{'.includes(c)) depth++;
    else if (')]}'.includes(c)) depth--;
    else if (c === ',' && depth === 1) index++;
  }
  return depth >= 1 ? { call: m[1], index } : null;
}

/** The names that fit the word ending at the end of `before` (a line up to the cursor). */
export function namesAt(before: string): readonly Completion[] {
  const head = before.slice(STRACE_PREFIX.exec(before)?.[0].length ?? 0);
  const word = /[@A-Za-z_][A-Za-z0-9_]*$/.exec(head)?.[0] ?? '';
  const ahead = head.slice(0, head.length - word.length);
  if (ahead.trim() === '') return head.trimStart().startsWith('#') ? [] : CALL_OPTIONS;
  const at = argumentAt(ahead.trimStart());
  if (!at) return [];
  const signature = CALLS[at.call] as CallSignature | undefined;
  if (!signature) return ALL_FLAGS;
  const param = signature.params[at.index];
  if (!param || param.kind === 'string') return [];
  return param.kind === 'flags' ? flagOptions(param.families) : [NULL_OPTION];
}

/** CodeMirror's completion source for the scenario language. */
export function scenarioCompletions(context: CompletionContext): CompletionResult | null {
  const word = context.matchBefore(/[@A-Za-z_][A-Za-z0-9_]*/);
  if (!word && !context.explicit) return null;
  const line = context.state.doc.lineAt(context.pos);
  const options = namesAt(line.text.slice(0, context.pos - line.from));
  if (options.length === 0) return null;
  return { from: word?.from ?? context.pos, options, validFor: /^[@A-Za-z_][A-Za-z0-9_]*$/ };
}

/** Completion for a scenario editor. */
export const scenarioCompletion = autocompletion({ override: [scenarioCompletions] });
