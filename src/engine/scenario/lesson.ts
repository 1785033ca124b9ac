// SPDX-License-Identifier: GPL-2.0-or-later
// The lesson reader: a guided lesson's text in, the lesson or diagnostics
// out, never an exception. The format is docs/lesson-format.md: a title,
// a [scenario] section in the scenario format, then [checkpoint line N]
// sections of prose, an optional `maps:` fact and an optional question.
import { codePointColumn, withoutBom, type Diagnostic } from './diagnostic';
import { parseScenario } from './parse';

/** A multiple-choice question of a checkpoint. */
export interface LessonQuestion {
  prompt: string;
  /** Each choice as written; `code` when the whole choice is one `code span` (a maps line). */
  choices: Array<{ text: string; code: boolean }>;
  /** Index into `choices` of the right one (written with `*`). */
  answer: number;
  /** Why the answer is right, shown once the reader has checked. */
  explanation: string;
}

/** A stop of the lesson: a step of the run, and what to say there. */
export interface Checkpoint {
  /** The line of the scenario (1 = its first line, as the editor numbers it) of the call. */
  line: number;
  /**
   * A kernel function of that call to stop at (its first step by that
   * function), or null for the state after the whole call.
   */
  step: string | null;
  /** Paragraphs of prose; `code` is marked with backquotes. */
  prose: string[];
  /**
   * The /proc/PID/maps lines the lesson states at this step, trailing
   * spaces dropped; null when it states none. Tests confirm them on the
   * engine and on the kernel.
   */
  maps: string[] | null;
  question: LessonQuestion | null;
  /** Where the checkpoint's header is in the lesson file (1-based). */
  fileLine: number;
}

export interface Lesson {
  title: string;
  /** The scenario as the editor will hold it. */
  scenario: string;
  /** The lesson file's line of the scenario's first line. */
  scenarioFileLine: number;
  checkpoints: Checkpoint[];
}

export type LessonParse = { ok: true; lesson: Lesson } | { ok: false; diagnostics: Diagnostic[] };

const TITLE = /^title:\s*(.*)$/;
const SECTION = /^\[(.*)\]\s*$/;
const CHECKPOINT = /^checkpoint line (\S+)(?: step (\S+))?$/;
/** The start of a maps line: range, then permissions (fs/proc/task_mmu.c: show_map_vma()). */
const MAPS_LINE = /^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] /;

/** Reads a lesson. `file` names it in diagnostics. */
export function parseLesson(text: string, file = 'lesson'): LessonParse {
  const lines = withoutBom(text)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const diagnostics: Diagnostic[] = [];
  const fail = (line: number, column: number, message: string): void => {
    const raw = lines[line - 1] ?? '';
    diagnostics.push({
      file,
      line,
      column: codePointColumn(raw, column),
      message,
      text: raw.slice(column - 1).trim(),
    });
  };

  let at = 0;
  while (at < lines.length && lines[at].trim() === '') at++;
  const title = TITLE.exec(lines[at] ?? '');
  if (!title || title[1].trim() === '') {
    // An empty text has no title line: its last line is blamed.
    fail(
      Math.min(at + 1, lines.length),
      1,
      'a lesson starts with its title: `title: What a VMA is`',
    );
    return { ok: false, diagnostics };
  }
  at++;

  // The sections, each from its header to the next.
  const sections: Array<{ header: string; line: number; body: number[] }> = [];
  for (; at < lines.length; at++) {
    const s = SECTION.exec(lines[at]);
    if (s) sections.push({ header: s[1].trim(), line: at + 1, body: [] });
    else if (sections.length > 0) sections[sections.length - 1].body.push(at + 1);
    else if (lines[at].trim() !== '') fail(at + 1, 1, 'expected [scenario] after the title');
  }
  const first = sections[0];
  if (!first || first.header !== 'scenario') {
    fail(first?.line ?? lines.length, first ? 2 : 1, 'a lesson has a [scenario] after its title');
    return { ok: false, diagnostics };
  }

  // The scenario, verbatim, without the blank lines that end it.
  const body = first.body.map((n) => lines[n - 1]);
  while (body.length > 0 && body[body.length - 1].trim() === '') body.pop();
  const scenario = body.join('\n');
  const offset = first.line;
  const parsed = parseScenario(scenario, file);
  for (const d of parsed.diagnostics) diagnostics.push({ ...d, line: d.line + offset });
  for (const c of parsed.calls) {
    // A lesson teaches what the kernel does: each call says what it returned.
    if (c.name !== '@note' && c.expect === null) {
      fail(c.line + offset, c.column, `${c.name}: a lesson's call states its result (= RESULT)`);
    }
  }

  const checkpoints: Checkpoint[] = [];
  // A call the scenario reader refused is not among its calls: anchor checks wait for it.
  const calls = parsed.diagnostics.length === 0 ? new Set(parsed.calls.map((c) => c.line)) : null;
  for (const section of sections.slice(1)) {
    const cp = readCheckpoint(section, lines, calls, fail);
    if (!cp) continue;
    const previous = checkpoints[checkpoints.length - 1];
    if (previous && cp.line < previous.line) {
      fail(
        section.line,
        2,
        `checkpoints go in the scenario's order: line ${cp.line} comes after line ${previous.line}`,
      );
    }
    checkpoints.push(cp);
  }
  if (sections.length === 1) {
    fail(first.line, 2, 'a lesson has at least one [checkpoint line N] after its scenario');
  }
  if (diagnostics.length > 0) {
    diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
    return { ok: false, diagnostics };
  }
  return {
    ok: true,
    lesson: { title: title[1].trim(), scenario, scenarioFileLine: offset + 1, checkpoints },
  };
}

type Fail = (line: number, column: number, message: string) => void;

/** One [checkpoint line N] section: its anchor, prose, maps and question. */
function readCheckpoint(
  section: { header: string; line: number; body: number[] },
  lines: readonly string[],
  /** The scenario's lines that hold a call (null: unknown, the scenario did not read). */
  calls: ReadonlySet<number> | null,
  fail: Fail,
): Checkpoint | null {
  const head = CHECKPOINT.exec(section.header);
  if (!head) {
    fail(section.line, 2, `unknown section [${section.header}]; expected [checkpoint line N]`);
    return null;
  }
  // The number's column: after `[checkpoint line ` in the header as written.
  const column = lines[section.line - 1].indexOf(' line ') + 7;
  const line = Number(head[1]);
  if (!/^[1-9]\d*$/.test(head[1])) {
    fail(section.line, column, `${head[1]} is not a line number`);
    return null;
  }
  if (calls && !calls.has(line)) {
    fail(section.line, column, `line ${line} of the scenario holds no call`);
    return null;
  }
  const cp: Checkpoint = {
    line,
    step: head[2] ?? null,
    prose: [],
    maps: null,
    question: null,
    fileLine: section.line,
  };
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) cp.prose.push(paragraph.join(' '));
    paragraph = [];
  };
  const body = section.body;
  for (let i = 0; i < body.length; i++) {
    const n = body[i];
    const text = lines[n - 1];
    if (text.trim() === '') {
      endParagraph();
    } else if (/^maps:\s*$/.test(text)) {
      endParagraph();
      if (cp.maps !== null) fail(n, 1, 'a checkpoint states its maps once');
      if (cp.step !== null) {
        fail(n, 1, 'maps are stated after a whole call: the kernel shows no state inside one');
      }
      const maps: string[] = [];
      for (; i + 1 < body.length && /^\s+\S/.test(lines[body[i + 1] - 1]); i++) {
        const raw = lines[body[i + 1] - 1];
        const entry = raw.trim();
        if (!MAPS_LINE.test(entry)) {
          fail(body[i + 1], raw.length - raw.trimStart().length + 1, 'not a maps line');
        }
        maps.push(entry);
      }
      cp.maps = maps;
    } else if (text.startsWith('question:')) {
      endParagraph();
      if (cp.question !== null) fail(n, 1, 'a checkpoint asks one question');
      const taken = readQuestion(body.slice(i), lines, fail);
      cp.question = taken.question;
      i += taken.used - 1;
    } else {
      if (/^\s/.test(text)) fail(n, 1, 'an indented line belongs in a `maps:` block');
      paragraph.push(text.trim());
    }
  }
  endParagraph();
  if (cp.prose.length === 0) fail(section.line, 1, 'a checkpoint says something: add its prose');
  return cp;
}

/**
 * A question from its `question:` line: choices (`- wrong`, `* right`),
 * then `why:` and the explanation, which runs to a blank line.
 */
function readQuestion(
  body: readonly number[],
  lines: readonly string[],
  fail: Fail,
): { question: LessonQuestion | null; used: number } {
  const start = body[0];
  const prompt = lines[start - 1].slice('question:'.length).trim();
  const choices: LessonQuestion['choices'] = [];
  const right: number[] = [];
  let why: string[] | null = null;
  let used = 1;
  for (; used < body.length; used++) {
    const text = lines[body[used] - 1];
    if (text.trim() === '') break;
    const choice = /^([-*]) (.*)$/.exec(text);
    if (why !== null) {
      why.push(text.trim());
    } else if (choice) {
      if (choice[1] === '*') right.push(choices.length);
      const t = choice[2].trim();
      const code = /^`[^`]+`$/.test(t);
      choices.push({ text: code ? t.slice(1, -1) : t, code });
    } else if (text.startsWith('why:')) {
      why = [text.slice('why:'.length).trim()];
    } else {
      fail(body[used], 1, 'expected a choice (`- ` or `* `) or `why:`');
    }
  }
  if (prompt === '') fail(start, 10, 'a question has its prompt after `question:`');
  if (choices.length < 2) fail(start, 1, 'a question has at least two choices');
  if (right.length !== 1) fail(start, 1, 'a question marks exactly one choice right with `*`');
  if (why === null || why.join('') === '') {
    fail(start, 1, 'a question explains its answer with `why:`');
  }
  const explanation = why?.join(' ') ?? '';
  const ok = prompt !== '' && choices.length >= 2 && right.length === 1 && explanation !== '';
  return { question: ok ? { prompt, choices, answer: right[0], explanation } : null, used };
}

/** What checkpointStep() needs of a run: its calls and, per step, its call and function. */
export interface RunOutline {
  calls: ReadonlyArray<{ line: number; lastStep: number }>;
  stepCall(step: number): number;
  stepFn(step: number): string;
}

/**
 * The step a checkpoint stops at: the last step of the call on its line
 * (the state after the call), or the call's first step made by its `step`
 * function. Null when the run has no such call or step.
 */
export function checkpointStep(cp: Checkpoint, run: RunOutline): number | null {
  const call = run.calls.findIndex((c) => c.line === cp.line);
  if (call < 0) return null;
  const last = run.calls[call].lastStep;
  if (cp.step === null) return last;
  const from = call > 0 ? run.calls[call - 1].lastStep + 1 : 0;
  for (let s = from; s <= last; s++) {
    if (run.stepCall(s) === call && run.stepFn(s) === cp.step) return s;
  }
  return null;
}
