// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import {
  checkpointStep,
  formatDiagnostic,
  parseLesson,
  stepFn,
  type Lesson,
  type TimelineMeta,
} from '../engine';
import type { AppState } from './app-store';

/** How many of a bad lesson's diagnostics the message names. */
const NAMED_PROBLEMS = 5;

export interface LessonSlice {
  /** The guided lesson open (docs/lesson-format.md), or null. */
  lesson: Lesson | null;
  /** The file it came from, as its diagnostics name it. */
  lessonFile: string | null;
  /** The index of the checkpoint shown. */
  checkpoint: number;
  /** Whether the reader finished the lesson (Finish at its last checkpoint). */
  lessonDone: boolean;
  /** Why the last lesson could not be opened or followed, with line and column; null if it could. */
  lessonProblem: string | null;
  /**
   * Opens a lesson from its text: its scenario replaces the editor's (the
   * text on screen is kept as a draft), runs, and the first checkpoint's
   * step is shown. A lesson that does not read leaves everything as it was.
   */
  openLesson(file: string, text: string): Promise<void>;
  /** Shows checkpoint `index`: the timeline moves to its step and the views follow. */
  goToCheckpoint(index: number): void;
  /** Runs the lesson's scenario again (after the editor's text changed) at the checkpoint shown. */
  restartLesson(): Promise<void>;
  finishLesson(): void;
  closeLesson(): void;
}

/** The step of the lesson's checkpoint `index` in `timeline`, or null when the run has none. */
export function lessonStep(timeline: TimelineMeta, lesson: Lesson, index: number): number | null {
  const cp = lesson.checkpoints[index];
  if (!cp) return null;
  return checkpointStep(cp, {
    calls: timeline.calls,
    stepCall: (s) => timeline.steps.call[s],
    stepFn: (s) => stepFn(timeline, s),
  });
}

/** Whether the run on screen is the lesson's scenario, whose steps its checkpoints name. */
export function lessonOnScreen(s: Pick<AppState, 'lesson' | 'timelineText'>): boolean {
  return s.lesson !== null && s.timelineText === s.lesson.scenario;
}

export const createLessonSlice: StateCreator<AppState, [], [], LessonSlice> = (set, get) => ({
  lesson: null,
  lessonFile: null,
  checkpoint: 0,
  lessonDone: false,
  lessonProblem: null,
  async openLesson(file, text) {
    const read = parseLesson(text, file);
    if (!read.ok) {
      const named = read.diagnostics.slice(0, NAMED_PROBLEMS).map(formatDiagnostic);
      const more = read.diagnostics.length - named.length;
      set({ lessonProblem: [...named, ...(more > 0 ? [`and ${more} more`] : [])].join('\n') });
      return;
    }
    const lesson = read.lesson;
    set({ lesson, lessonFile: file, checkpoint: 0, lessonDone: false, lessonProblem: null });
    await get().runDocument({ text: lesson.scenario, startMaps: '' });
    if (lessonOnScreen(get())) get().goToCheckpoint(0);
  },
  goToCheckpoint(index) {
    const { lesson, timeline, lessonFile } = get();
    if (!lesson || !timeline || !lessonOnScreen(get())) return;
    const cp = lesson.checkpoints[index];
    if (!cp) return;
    const step = lessonStep(timeline, lesson, index);
    if (step === null) {
      // The tests hold every shipped lesson to its steps; a lesson opened from elsewhere may miss.
      const missing =
        cp.step === null
          ? `the run has no call on line ${cp.line}`
          : `the call on line ${cp.line} has no ${cp.step} step`;
      set({ lessonProblem: `${lessonFile}:${cp.fileLine}:1: ${missing}` });
      return;
    }
    set({ checkpoint: index, lessonDone: false, lessonProblem: null });
    get().goTo(step);
  },
  async restartLesson() {
    const lesson = get().lesson;
    if (!lesson) return;
    await get().runDocument({ text: lesson.scenario, startMaps: '' });
    get().goToCheckpoint(get().checkpoint);
  },
  finishLesson() {
    set({ lessonDone: true });
  },
  closeLesson() {
    set({ lesson: null, lessonFile: null, checkpoint: 0, lessonDone: false, lessonProblem: null });
  },
});
