// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mapsLines, parseLesson, runScenario, type Lesson } from '../engine';
import { createAppStore } from './app-store';
import { lessonOnScreen, lessonStep } from './lesson-slice';
import { sessionPort } from './session-port.fixture';
import { stepShown } from './step-shown.fixture';

const FILE = '03-splits.lesson';
const TEXT = readFileSync(join(process.cwd(), 'public', 'lessons', FILE), 'utf8');
const read = parseLesson(TEXT, FILE);
if (!read.ok) throw new Error(`${FILE} does not read`);
const LESSON: Lesson = read.lesson;

function store() {
  const app = createAppStore(sessionPort());
  return Object.assign(app.getState, { stepShown: () => stepShown(app) });
}

/** The maps at the step on screen, as the lesson writes them. */
function mapsShown(s: ReturnType<typeof store>): string[] {
  const out = runScenario(LESSON.scenario);
  if (!out.ok) throw new Error('the lesson does not run');
  return mapsLines(out.steps[s().cursor].mm).map((l) => l.trimEnd());
}

describe('lesson slice', () => {
  it('opens a lesson: its scenario runs, the old text is a draft, the first checkpoint is shown', async () => {
    const s = store();
    s().setDocumentId('doc-1');
    s().setText('munmap(0x200000000000, 4K)');
    await s().openLesson(FILE, TEXT);
    expect(s()).toMatchObject({
      lesson: LESSON,
      lessonFile: FILE,
      checkpoint: 0,
      lessonProblem: null,
    });
    expect(s().text).toBe(LESSON.scenario);
    expect(s().keptDrafts.map((d) => d.text)).toEqual(['munmap(0x200000000000, 4K)']);
    expect(lessonOnScreen(s())).toBe(true);
    const first = LESSON.checkpoints[0];
    expect(s().cursor).toBe(s().timeline!.calls.find((c) => c.line === first.line)!.lastStep);
    await s.stepShown();
    expect(mapsShown(s)).toEqual(first.maps);
  });

  it('moves the timeline to each checkpoint in turn, named steps included', async () => {
    const s = store();
    await s().openLesson(FILE, TEXT);
    const steps: number[] = [];
    for (let i = 0; i < LESSON.checkpoints.length; i++) {
      s().goToCheckpoint(i);
      expect(s().checkpoint).toBe(i);
      steps.push(s().cursor);
      const cp = LESSON.checkpoints[i];
      if (cp.maps) expect(mapsShown(s), `checkpoint ${i + 1}`).toEqual(cp.maps);
    }
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(new Set(steps).size).toBe(steps.length);
    expect(steps).toEqual(LESSON.checkpoints.map((_, i) => lessonStep(s().timeline!, LESSON, i)));
    s().finishLesson();
    expect(s().lessonDone).toBe(true);
    s().goToCheckpoint(0);
    expect(s().lessonDone).toBe(false);
  });

  it('refuses a lesson that does not read, naming line and column, and keeps what was open', async () => {
    const s = store();
    await s().openLesson(FILE, TEXT);
    const cursor = s().cursor;
    await s().openLesson('bad.lesson', TEXT.replace('[checkpoint line 2]', '[checkpoint line 1]'));
    expect(s().lessonProblem).toBe('bad.lesson:11:18: line 1 of the scenario holds no call');
    expect(s()).toMatchObject({ lesson: LESSON, lessonFile: FILE, cursor, text: LESSON.scenario });
  });

  it('stops following while the run is another text, and restarts at the same checkpoint', async () => {
    const s = store();
    await s().openLesson(FILE, TEXT);
    s().goToCheckpoint(3);
    const at = s().cursor;
    s().setText('mmap(0x200000000000, 4K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)');
    await s().run();
    expect(lessonOnScreen(s())).toBe(false);
    s().goToCheckpoint(4);
    expect(s().checkpoint).toBe(3);
    await s().restartLesson();
    expect(s()).toMatchObject({ text: LESSON.scenario, checkpoint: 3, cursor: at });
  });

  it('names the checkpoint whose step a run lacks', async () => {
    const s = store();
    await s().openLesson(FILE, TEXT.replace('step __split_vma]', 'step vma_expand]'));
    s().goToCheckpoint(2);
    expect(s().lessonProblem).toBe(`${FILE}:25:1: the call on line 3 has no vma_expand step`);
    expect(s().checkpoint).toBe(0);
  });

  it('closes', async () => {
    const s = store();
    await s().openLesson(FILE, TEXT);
    s().closeLesson();
    expect(s()).toMatchObject({ lesson: null, lessonFile: null, lessonDone: false });
  });
});
