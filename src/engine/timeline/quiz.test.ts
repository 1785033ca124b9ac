// SPDX-License-Identifier: GPL-2.0-or-later
// The quiz asks at the right steps and knows the right answers: on examples
// whose behaviour their notes state (a merge with prev, a split in three and
// a remerge, sealed VMAs refusing), and, for its shape, on every example and
// on generated scenarios.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { generateScenario } from '../scenario/generate';
import { createEngineSession } from './engine-session';
import { quizOf, MAX_QUESTIONS, type QuizQuestion } from './quiz';
import { mapsLines, runScenario, type RunOutput } from './run';

const DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../public/scenarios');

type Run = Extract<RunOutput, { ok: true }>;

function runOf(text: string, file: string): Run {
  const out = runScenario(text, file);
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

const example = (file: string): Run => runOf(readFileSync(join(DIR, file), 'utf8'), file);

const answerOf = (q: QuizQuestion): string => q.choices.find((c) => c.id === q.answer)?.label ?? '';

describe('quizOf on examples', () => {
  it('merge-with-previous: asks whether the second mmap merges, and the maps after it', () => {
    const run = example('merge-with-previous.scn');
    const quiz = quizOf(run);
    expect(quiz.map((q) => q.kind)).toEqual(['merge', 'maps']);
    const [merge, maps] = quiz;
    const decision = run.steps[merge.reveal];
    expect(decision.fn).toBe('vma_merge_new_range');
    expect(merge.stop).toBe(merge.reveal - 1);
    expect(merge.call).toBe(run.calls[decision.call].call);
    expect(merge.answer).toBe('yes');
    expect(merge.reasons[0]).toBe(`vma_merge_new_range: ${decision.message}`);
    expect(merge.reasons).toContain('✓ can_vma_merge_after (vma1): offsets continue');

    // Asked with the decision, answered by the call's end: one VMA of 32K.
    expect(maps.stop).toBe(merge.stop);
    expect(maps.reveal).toBe(run.calls[decision.call].lastStep);
    expect(answerOf(maps)).toBe(mapsLines(run.steps[maps.reveal].mm).join('\n'));
    expect(answerOf(maps)).toBe('200000000000-200000008000 rw-p 00000000 00:00 0 ');
    // The wrong ones: the lines before the call, and the range as a VMA of its own.
    const wrong = maps.choices.filter((c) => c.id !== maps.answer).map((c) => c.label);
    expect(wrong).toHaveLength(2);
    expect(wrong).toContain(mapsLines(run.steps[maps.stop].mm).join('\n'));
    expect(wrong).toContain(
      '200000000000-200000004000 rw-p 00000000 00:00 0 \n200000004000-200000008000 rw-p 00000000 00:00 0 ',
    );
    expect(maps.choices.every((c) => c.code)).toBe(true);
  });

  it('mprotect-split-and-remerge: no merge and a split, then a merge vma2 survives', () => {
    const run = example('mprotect-split-and-remerge.scn');
    const quiz = quizOf(run);
    expect(quiz.map((q) => q.kind)).toEqual(['merge', 'split', 'merge', 'survivor', 'maps']);
    const [noMerge, split, merge, survivor, maps] = quiz;

    expect(noMerge.answer).toBe('no');
    expect(run.steps[noMerge.reveal].message).toContain('touches neither end');

    // The first split is at the start of the range; the second (a VMA of
    // two pages left, one place to cut) is not asked.
    expect(run.steps[split.reveal].fn).toBe('__split_vma');
    expect(split.stop).toBe(noMerge.reveal);
    expect(split.answer).toBe('0x200000001000');
    expect(split.choices.map((c) => c.id)).toEqual(['0x200000001000', '0x200000002000']);

    expect(merge.answer).toBe('yes');
    expect(run.steps[merge.reveal].fn).toBe('vma_merge_existing_range');
    // The words naming the survivor wait for the question that asks it.
    expect(merge.reasons.join('\n')).not.toContain('grows over');
    expect(survivor.stop).toBe(merge.stop);
    expect(survivor.choices.map((c) => c.id)).toEqual(['vma2', 'vma1', 'vma3']);
    expect(survivor.answer).toBe('vma2');
    expect(survivor.reasons[0]).toContain('vma2 grows over vma1 and vma3');

    expect(maps.stop).toBe(merge.stop);
    expect(answerOf(maps)).toBe('200000000000-200000003000 rw-p 00000000 00:00 0 ');
    // The other outcome: three VMAs of the same protection, not merged.
    expect(maps.choices.map((c) => c.label)).toContain(
      [
        '200000000000-200000001000 rw-p 00000000 00:00 0 ',
        '200000001000-200000002000 rw-p 00000000 00:00 0 ',
        '200000002000-200000003000 rw-p 00000000 00:00 0 ',
      ].join('\n'),
    );
  });

  it('mseal: each refused call is asked at the step that refuses it, answered EPERM', () => {
    const run = example('mseal.scn');
    const refusals = quizOf(run).filter((q) => q.kind === 'refusal');
    const refused = run.calls.filter((c) => c.ret.startsWith('-1'));
    expect(refusals.map((q) => q.call)).toEqual(refused.map((c) => c.call));
    for (const q of refusals) {
      const step = run.steps[q.reveal];
      expect(step.errno).toBe('EPERM');
      expect(q.stop).toBe(q.reveal - 1);
      expect(q.answer).toBe('EPERM');
      expect(q.choices.map((c) => c.id)).toEqual(['ok', 'EINVAL', 'ENOMEM', 'EPERM']);
      expect(q.reasons).toEqual([`${step.fn}: ${step.message}`, `${q.call} = -1 EPERM`]);
    }
  });

  it('a mapping no VMA touches is not asked about', () => {
    const run = runOf(
      'mmap(0x200000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)\n' +
        'mmap(0x200000008000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)\n',
      'apart.scn',
    );
    expect(run.steps.some((s) => s.fn === 'vma_merge_new_range')).toBe(true);
    expect(quizOf(run)).toEqual([]);
  });
});

/** What holds of every quiz: the app steps through it in order. */
function checkShape(quiz: QuizQuestion[], run: Run, name: string): void {
  expect(quiz.length, name).toBeLessThanOrEqual(MAX_QUESTIONS);
  quiz.forEach((q, i) => {
    const where = `${name} question ${i + 1}`;
    expect(q.stop, where).toBeGreaterThanOrEqual(0);
    expect(q.reveal, where).toBeGreaterThan(q.stop);
    expect(q.reveal, where).toBeLessThan(run.steps.length);
    expect(
      q.choices.map((c) => c.id),
      where,
    ).toContain(q.answer);
    expect(new Set(q.choices.map((c) => c.id)).size, where).toBe(q.choices.length);
    expect(new Set(q.choices.map((c) => c.label)).size, where).toBe(q.choices.length);
    expect(q.choices.length, where).toBeGreaterThanOrEqual(2);
    expect(q.reasons.length, where).toBeGreaterThan(0);
    const next = quiz[i + 1];
    // Questions on one step share it; else the answer shows before the next stop.
    if (next && next.stop !== q.stop) expect(q.reveal, where).toBeLessThanOrEqual(next.stop);
  });
}

describe('quizOf: every quiz can be stepped through', () => {
  const files = (JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[])
    .map((e) => e.file)
    .filter((f) => f.endsWith('.scn'));
  it('on every example', () => {
    for (const file of files) checkShape(quizOf(example(file)), example(file), file);
  });

  it('on generated scenarios, which each ask something', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const run = runOf(generateScenario(seed, 24), `seed-${seed}`);
      const quiz = quizOf(run);
      expect(quiz.length, `seed ${seed}`).toBeGreaterThan(0);
      checkShape(quiz, run, `seed ${seed}`);
    }
  });

  it('asks at most MAX_QUESTIONS', () => {
    const run = runOf(generateScenario(7, 600), 'seed-7');
    expect(quizOf(run)).toHaveLength(MAX_QUESTIONS);
  });
});

describe('the engine session', () => {
  it('answers the quiz of the run it keeps, as plain data, and none before a run', async () => {
    const session = createEngineSession();
    expect(await session.quiz()).toEqual([]);
    const text = readFileSync(join(DIR, 'mprotect-split-and-remerge.scn'), 'utf8');
    const reply = await session.run({ text });
    expect(reply.ok).toBe(true);
    const quiz = await session.quiz();
    expect(quiz).toEqual(quizOf(runOf(text, 'scenario')));
    // What crosses the worker boundary survives a structured clone unchanged.
    expect(structuredClone(quiz)).toEqual(quiz);
  });
});
