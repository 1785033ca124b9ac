// SPDX-License-Identifier: GPL-2.0-or-later
// A CodeMirror 6 editor as a React component. A native textarea takes seconds
// to accept a pasted strace log of a few thousand lines; CodeMirror keeps its
// own document and draws only the lines on screen. Its content element is the
// accessible text box, named by `label`.
import { defaultKeymap, history, historyKeymap } from '@codemirror/commands';
import {
  linter,
  setDiagnostics,
  lintGutter,
  type Diagnostic as CmDiagnostic,
} from '@codemirror/lint';
import { EditorState, StateEffect, StateField, type Extension } from '@codemirror/state';
import {
  Decoration,
  EditorView,
  keymap,
  lineNumbers,
  placeholder as placeholderText,
  type DecorationSet,
} from '@codemirror/view';
import { useEffect, useImperativeHandle, useRef, type Ref } from 'react';
import { utf16Column } from '../../engine';

/**
 * A problem to underline: 1-based line and column as the engine reports them
 * (the column in code points: an emoji is one), `length` in UTF-16 units.
 */
export interface EditorProblem {
  line: number;
  column: number;
  length: number;
  message: string;
}

/** What a parent may do to the editor. */
export interface CodeEditorHandle {
  /** Puts the caret at a 1-based line and code-point column, scrolls to it and focuses the editor. */
  goTo(line: number, column: number): void;
}

/** How long typing must pause before the text is checked. */
export const CHECK_DELAY_MS = 300;

export interface CodeEditorProps {
  /** The accessible name of the text box. */
  label: string;
  value: string;
  onChange(value: string): void;
  /** Ctrl+Enter (or Cmd+Enter). */
  onSubmit?(): void;
  problems?: readonly EditorProblem[];
  placeholder?: string;
  className?: string;
  /**
   * Checks the text as it is typed (a pause of CHECK_DELAY_MS after the last
   * change): the problems are underlined in place of `problems`.
   */
  check?(text: string): readonly EditorProblem[] | Promise<readonly EditorProblem[]>;
  /** Moves the caret, from outside (a diagnostic's position). */
  handle?: Ref<CodeEditorHandle>;
  /** The 1-based line to mark as the one on screen elsewhere (`aria-current="step"`), or null. */
  markedLine?: number | null;
  /**
   * A click on a line's number, or Alt+Enter on a line. (A click in the
   * text only places the caret: it is where one edits.)
   */
  onLineClick?(line: number): void;
  /** What the text's language adds (highlighting, completion); read once, when the editor is made. */
  extensions?: readonly Extension[];
}

/** Where a problem lies in the document: CodeMirror counts UTF-16 units, the engine code points. */
export function problemRange(
  line: { from: number; to: number; text: string },
  p: EditorProblem,
): { from: number; to: number } {
  const from = Math.min(line.to, line.from + Math.max(0, utf16Column(line.text, p.column) - 1));
  const to = Math.min(line.to, from + Math.max(1, p.length));
  return { from, to: Math.max(to, from) };
}

const markLine = StateEffect.define<number | null>();
const MARK = Decoration.line({ attributes: { 'aria-current': 'step' } });

/** The marked line: set by markLine, carried through edits. */
const markedLineField = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    for (const e of tr.effects) {
      if (!e.is(markLine)) continue;
      const n = e.value;
      const doc = tr.state.doc;
      return n === null || n < 1 || n > doc.lines
        ? Decoration.none
        : Decoration.set([MARK.range(doc.line(n).from)]);
    }
    return marks.map(tr.changes);
  },
  provide: (f) => EditorView.decorations.from(f),
});

function toCm(view: EditorView, problems: readonly EditorProblem[]): CmDiagnostic[] {
  const doc = view.state.doc;
  return problems
    .filter((p) => p.line >= 1 && p.line <= doc.lines)
    .map((p) => ({ ...problemRange(doc.line(p.line), p), severity: 'error', message: p.message }));
}

export function CodeEditor({
  label,
  value,
  onChange,
  onSubmit,
  problems = [],
  placeholder,
  className,
  check,
  handle,
  markedLine = null,
  onLineClick,
  extensions = [],
}: CodeEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  // The latest callbacks, read by the editor's listeners, which are made once.
  const callbacks = useRef({ onChange, onSubmit, check, onLineClick });
  useEffect(() => {
    callbacks.current = { onChange, onSubmit, check, onLineClick };
  });
  // Whether the editor checks its own text (then `problems` is not used).
  const checks = check !== undefined;

  useImperativeHandle(
    handle,
    () => ({
      goTo(line, column) {
        const v = view.current;
        if (!v || line < 1 || line > v.state.doc.lines) return;
        const { from } = problemRange(v.state.doc.line(line), {
          line,
          column,
          length: 0,
          message: '',
        });
        v.dispatch({ selection: { anchor: from }, scrollIntoView: true });
        v.focus();
      },
    }),
    [],
  );

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc: value,
        extensions: [
          lineNumbers({
            domEventHandlers: {
              mousedown(v, block) {
                callbacks.current.onLineClick?.(v.state.doc.lineAt(block.from).number);
                return false;
              },
            },
          }),
          markedLineField,
          history(),
          lintGutter(),
          keymap.of([
            {
              key: 'Mod-Enter',
              run: () => {
                callbacks.current.onSubmit?.();
                return true;
              },
            },
            {
              key: 'Alt-Enter',
              run: (v) => {
                const { onLineClick: go } = callbacks.current;
                go?.(v.state.doc.lineAt(v.state.selection.main.head).number);
                return go !== undefined;
              },
            },
            ...defaultKeymap,
            ...historyKeymap,
          ]),
          // A long line (or one with a problem) wraps: the editor never scrolls sideways.
          EditorView.lineWrapping,
          EditorView.contentAttributes.of({ 'aria-label': label, spellcheck: 'false' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) callbacks.current.onChange(u.state.doc.toString());
          }),
          ...(placeholder ? [placeholderText(placeholder)] : []),
          ...(checks
            ? [
                linter(
                  async (v) =>
                    toCm(v, (await callbacks.current.check?.(v.state.doc.toString())) ?? []),
                  {
                    delay: CHECK_DELAY_MS,
                  },
                ),
              ]
            : []),
          ...extensions,
        ],
      }),
    });
    view.current = v;
    return () => {
      v.destroy();
      view.current = null;
    };
    // The editor is made once; `value` and `problems` are synced below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  // A value set from outside (an example, a restored session) replaces the text.
  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  // The marked line follows the step on screen and, when it moves from
  // one line to another (stepping), is scrolled to. A mark that appears
  // (a run ends) leaves the view where the reader put it.
  const shownMark = useRef<number | null>(null);
  useEffect(() => {
    const v = view.current;
    // While one types, the mark is gone: nothing to do at each key.
    if (!v || (markedLine === null && shownMark.current === null)) return;
    const moved = shownMark.current !== null && markedLine !== shownMark.current;
    shownMark.current = markedLine;
    const effects: StateEffect<unknown>[] = [markLine.of(markedLine)];
    if (moved && markedLine !== null && markedLine <= v.state.doc.lines) {
      effects.push(EditorView.scrollIntoView(v.state.doc.line(markedLine).from, { y: 'nearest' }));
    }
    v.dispatch({ effects });
  }, [markedLine, value]);

  useEffect(() => {
    const v = view.current;
    if (v && !checks) v.dispatch(setDiagnostics(v.state, toCm(v, problems)));
  }, [problems, value, checks]);

  return <div ref={host} className={className} />;
}
