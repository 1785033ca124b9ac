// SPDX-License-Identifier: GPL-2.0-or-later
// A quiz from a kept run, "predict the next state" (issue 15): it stops on
// the step before each merge decision, split and refusal, asks what the
// kernel does next, and the step after shows the answer with the reasons
// the model gives for it. Plain data: the questions cross the worker
// boundary as they are.
import { hex, PAGE_SIZE, type Vma } from '../kernel/mm/mm_types';
import { vmaList } from '../kernel/mm/mm-snapshot';
import type { PredicateResult, VmgView } from '../kernel/trace/events';
import { vmaName } from '../kernel/mm/vmg-trace';
import { mapsExcerpts } from './quiz-maps';
import type { RunOutput, Step } from './run';

/** What a question asks about. */
export type QuizKind = 'merge' | 'survivor' | 'maps' | 'split' | 'refusal';

/** One answer offered. */
export interface QuizChoice {
  id: string;
  label: string;
  /** The label is maps lines, shown as preformatted text. */
  code?: boolean;
}

export interface QuizQuestion {
  kind: QuizKind;
  /** The step the quiz stops on: the state before the answer. */
  stop: number;
  /** The step that shows the answer. */
  reveal: number;
  /** The system call asked about, as the scenario writes it. */
  call: string;
  prompt: string;
  choices: QuizChoice[];
  /** The id of the right choice. */
  answer: string;
  /** Why, in the model's words: the step's message, each merge check, the call's result. */
  reasons: string[];
}

/** A long run would ask for ever: its first this many questions. */
export const MAX_QUESTIONS = 60;

/** The steps that decide a merge and carry the vma_merge_struct they decided with. */
const MERGE_DECISIONS = new Set(['vma_merge_new_range', 'vma_merge_existing_range']);

/** Wrong errnos offered beside the right one, the commonest first. */
const ERRNOS = ['EINVAL', 'ENOMEM', 'EPERM', 'EACCES', 'EFAULT'];

type Run = Extract<RunOutput, { ok: true }>;

/** A merge check as the Reasons view words it: ✓/✗, the kernel function, its VMA, why. */
function checkWords(p: PredicateResult): string {
  return `${p.pass ? '✓' : '✗'} ${p.fn}${p.vma ? ` (${p.vma})` : ''}: ${p.reason}`;
}

/**
 * A new range no VMA touches: vma_merge_new_range() had nothing to weigh
 * (can_vma_merge_left() and _right() saw no neighbour at its edges), so
 * there is nothing to predict.
 */
function alone(s: Step): boolean {
  const edgeOnly = (p: PredicateResult) =>
    !p.pass && (p.fn === 'can_vma_merge_left' || p.fn === 'can_vma_merge_right');
  return (
    s.fn === 'vma_merge_new_range' &&
    s.vmg?.state !== 'VMA_MERGE_SUCCESS' &&
    (s.predicates ?? []).every(edgeOnly)
  );
}

const rotate = <T>(xs: T[], by: number): T[] => {
  const k = by % xs.length;
  return [...xs.slice(k), ...xs.slice(0, k)];
};

const rangeWords = (v: Vma): string => `[${hex(v.vm_start)}, ${hex(v.vm_end)})`;

/**
 * "Does it merge?", then, when it merges and more than one VMA could have
 * taken the range, "Which VMA survives?" (vmg->target: the one that grows;
 * the others are deleted or shrink). Both stop on the step before.
 */
function mergeQuestions(steps: Step[], d: number, call: string): QuizQuestion[] {
  const s = steps[d];
  const vmg = s.vmg as VmgView;
  const merges = vmg.state === 'VMA_MERGE_SUCCESS';
  const checks = (s.predicates ?? []).map(checkWords);
  const said = `${s.fn}: ${s.message}`;
  const names = [
    vmg.prev,
    vmg.middle,
    vmg.next,
    vmg.target,
    ...(s.predicates ?? []).map((p) => p.vma),
  ];
  const candidates = merges ? [...new Set(names.filter((n): n is string => n !== null))] : [];
  const asksSurvivor = candidates.length >= 2;
  const questions: QuizQuestion[] = [
    {
      kind: 'merge',
      stop: d - 1,
      reveal: d,
      call,
      prompt: `${call}: does ${s.fn} merge the range with a neighbouring VMA?`,
      choices: [
        { id: 'yes', label: 'Yes, it merges' },
        { id: 'no', label: 'No, no merge' },
      ],
      answer: merges ? 'yes' : 'no',
      // The decision's words name the survivor: kept for the question that asks it.
      reasons: asksSurvivor ? checks : [said, ...checks],
    },
  ];
  if (!asksSurvivor) return questions;
  const before = vmaList(steps[d - 1].mm);
  const found = candidates.map((name) => ({
    name,
    vma: before.find((v) => vmaName(v) === name),
  }));
  found.sort((a, b) => (a.vma?.vm_start ?? Infinity) - (b.vma?.vm_start ?? Infinity));
  questions.push({
    kind: 'survivor',
    stop: d - 1,
    reveal: d,
    call,
    prompt: `${s.fn} merges: which VMA survives, grown over the range?`,
    choices: found.map(({ name, vma }) => ({
      id: name,
      label: vma ? `${name} ${rangeWords(vma)}` : name,
    })),
    answer: vmg.target as string,
    reasons: [said, ...checks],
  });
  return questions;
}

/**
 * "Where does the VMA split?": __split_vma() cuts where the call's range
 * begins or ends inside a VMA. Offered: the address, and the other page
 * boundaries a reader might guess (a page in from either end, the middle).
 */
function splitQuestion(steps: Step[], i: number, call: string): QuizQuestion | null {
  const before = vmaList(steps[i - 1].mm);
  const known = new Set(before.map((v) => v.id));
  const created = vmaList(steps[i].mm).find((v) => !known.has(v.id));
  if (!created) return null;
  const old = before.find((v) => v.vm_start <= created.vm_start && created.vm_end <= v.vm_end);
  if (!old) return null;
  const at = created.vm_start === old.vm_start ? created.vm_end : created.vm_start;
  const half = old.vm_start + Math.floor((old.vm_end - old.vm_start) / 2 / PAGE_SIZE) * PAGE_SIZE;
  const guesses = [at, old.vm_start + PAGE_SIZE, old.vm_end - PAGE_SIZE, half];
  const offered = [...new Set(guesses)]
    .filter((a) => a > old.vm_start && a < old.vm_end)
    .sort((a, b) => a - b);
  if (offered.length < 2) return null;
  return {
    kind: 'split',
    stop: i - 1,
    reveal: i,
    call,
    prompt: `${call}: where does __split_vma split vma${old.id} ${rangeWords(old)}?`,
    choices: offered.map((a) => ({ id: hex(a), label: hex(a) })),
    answer: hex(at),
    reasons: [
      `__split_vma: ${steps[i].message}`,
      `The call's range begins or ends at ${hex(at)}, inside vma${old.id}: a VMA is one range with one set of attributes, so the kernel cuts it there.`,
    ],
  };
}

/** "What does the call return?" at the step that refuses it (Ctx.refuse(): the check and its errno). */
function refusalQuestion(steps: Step[], i: number, call: string, ret: string): QuizQuestion {
  const s = steps[i];
  const failed = ret.startsWith('-1 ');
  const answer = failed ? ret.slice(3) : 'ok';
  const wrong = ERRNOS.filter((e) => e !== answer).slice(0, 2);
  const errnos = [...new Set([...wrong, ...(failed ? [answer] : [])])].sort();
  return {
    kind: 'refusal',
    stop: i - 1,
    reveal: i,
    call,
    prompt: `What does ${call} return?`,
    choices: [
      { id: 'ok', label: failed ? 'It succeeds' : `It succeeds (${ret})` },
      ...errnos.map((e) => ({ id: e, label: `-1 ${e}` })),
    ],
    answer,
    reasons: [`${s.fn}: ${s.message}`, `${call} = ${ret}`],
  };
}

/**
 * "Which maps lines follow this call?", asked with the call's last merge
 * decision: the real excerpt, the lines before the call and those of the
 * other outcome, in an order that changes from question to question.
 */
function mapsQuestion(run: Run, c: number, begin: number, d: number): QuizQuestion | null {
  const { steps, calls } = run;
  const { call, ret, lastStep } = calls[c];
  const excerpts = mapsExcerpts(steps[begin - 1].mm, steps[lastStep].mm, steps[d].vmg ?? null);
  if (excerpts === null) return null;
  const text = (lines: string[]): string =>
    lines.length ? lines.join('\n') : '(nothing mapped here)';
  const right = text(excerpts.after);
  const labels = [right, text(excerpts.before)];
  if (excerpts.opposite !== null) labels.push(text(excerpts.opposite));
  const offered = rotate([...new Set(labels)], d);
  if (offered.length < 2) return null;
  const choices = offered.map((label, k) => ({ id: `lines-${k + 1}`, label, code: true }));
  return {
    kind: 'maps',
    stop: d - 1,
    reveal: lastStep,
    call,
    prompt: `Which maps lines follow ${call}?`,
    choices,
    answer: choices[offered.indexOf(right)].id,
    reasons: [`${steps[d].fn}: ${steps[d].message}`, `${call} = ${ret}`],
  };
}

/** The questions of one call, in the order of the steps they stop on. */
function callQuestions(run: Run, c: number, begin: number): QuizQuestion[] {
  const { steps, calls } = run;
  const { call, ret, lastStep } = calls[c];
  const questions: QuizQuestion[] = [];
  let refused = false;
  /** The last merge decision and how many questions there were once it was asked. */
  let decision: { step: number; asked: number } | null = null;
  for (let i = Math.max(begin, 1); i <= lastStep; i++) {
    const s = steps[i];
    if (s.errno !== undefined) {
      if (!refused) questions.push(refusalQuestion(steps, i, call, ret));
      refused = true;
    } else if (MERGE_DECISIONS.has(s.fn) && s.vmg !== undefined && !alone(s)) {
      questions.push(...mergeQuestions(steps, i, call));
      decision = { step: i, asked: questions.length };
    } else if (s.fn === '__split_vma') {
      const q = splitQuestion(steps, i, call);
      if (q !== null) questions.push(q);
    }
  }
  // Asked with the decision only when nothing later in the call is asked:
  // its answer shows the whole call's end.
  if (decision !== null && decision.asked === questions.length) {
    const q = mapsQuestion(run, c, begin, decision.step);
    if (q !== null) questions.push(q);
  }
  return questions;
}

/** The questions of a run, in the order its steps reach them; at most MAX_QUESTIONS. */
export function quizOf(run: Run): QuizQuestion[] {
  const out: QuizQuestion[] = [];
  let begin = run.steps.findIndex((s) => s.call >= 0);
  for (let c = 0; c < run.calls.length && out.length < MAX_QUESTIONS && begin > 0; c++) {
    out.push(...callQuestions(run, c, begin));
    begin = run.calls[c].lastStep + 1;
  }
  return out.slice(0, MAX_QUESTIONS);
}
