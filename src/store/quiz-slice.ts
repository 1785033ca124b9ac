// SPDX-License-Identifier: GPL-2.0-or-later
// Quiz mode (issue 15, "predict the next state"): the run's questions, the
// one asked, the answers given. The timeline stops on the step before each
// question's answer and, once it is checked, shows the step that reveals it.
import type { StateCreator } from 'zustand';
import { generateScenario, type QuizQuestion, type TimelineMeta } from '../engine';
import type { AppState, EnginePort } from './app-store';

/** Calls in a generated quiz's scenario: some twenty questions, a class's worth. */
export const QUIZ_CALLS = 24;

export interface QuizSlice {
  /** Quiz mode is on: the timeline stops before each answer. */
  quizOn: boolean;
  /** The run the questions are (being) fetched for; null before. */
  quizFor: TimelineMeta | null;
  /** The questions of `quizFor`, in the order its steps reach them; null while fetched. */
  quizQuestions: QuizQuestion[] | null;
  /** Why the questions could not be fetched, or null. */
  quizProblem: string | null;
  /** The question asked: an index into `quizQuestions`, their number once all are done. */
  quizAt: number;
  /** Whether each question answered was answered right, by index. */
  quizAnswers: Readonly<Record<number, boolean>>;
  /** A step (or play) would have passed the question asked: the timeline stopped at it. */
  quizHeld: boolean;
  /** Turns quiz mode on (from the first question of the run on screen) or off. */
  setQuizOn(on: boolean): Promise<void>;
  /** Fetches the questions of the run on screen and goes to the first; nothing if they are this run's. */
  startQuiz(): Promise<void>;
  /** Records the answer to the question asked and, unless the next asks at the same step, shows its answer's step. */
  answerQuiz(right: boolean): void;
  /** Goes on to the next question, at the step it stops on. */
  nextQuestion(): void;
  /**
   * A quiz on a scenario the seeded generator makes: the scenario replaces
   * the text (kept as a draft, as a file opened is), runs, and the quiz starts.
   */
  generatedQuiz(seed: number): Promise<void>;
  /**
   * Where a move of the timeline from `from` to `to` may go: to the step
   * of the question asked, if it has not been answered and the move would
   * pass it (and then quizHeld says so, and playing stops); else `to`.
   */
  quizHold(from: number, to: number): number;
}

/** The question the quiz is asking of the run on screen and not answered yet, or null. */
export function quizAsking(
  s: Pick<AppState, 'quizOn' | 'quizQuestions' | 'quizAt' | 'quizAnswers' | 'quizFor' | 'timeline'>,
): QuizQuestion | null {
  const asked = s.quizQuestions?.[s.quizAt];
  if (!s.quizOn || !asked || s.quizAt in s.quizAnswers || s.quizFor !== s.timeline) return null;
  return asked;
}

const REST = {
  quizFor: null,
  quizQuestions: null,
  quizProblem: null,
  quizAt: 0,
  quizAnswers: {},
  quizHeld: false,
} as const;

export const createQuizSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], QuizSlice> =>
  (set, get) => ({
    quizOn: false,
    ...REST,
    async setQuizOn(on) {
      set({ quizOn: on, ...REST });
      if (on) await get().startQuiz();
    },
    async startQuiz() {
      const { timeline, quizFor, quizOn } = get();
      if (!quizOn || timeline === null || quizFor === timeline) return;
      set({ ...REST, quizFor: timeline });
      let questions: QuizQuestion[];
      try {
        questions = await engine.quiz();
      } catch (e) {
        // The worker stopped (it is restarted and replays the run): ask again.
        if (get().quizFor === timeline) {
          set({ quizFor: null, quizProblem: `The questions did not come: ${String(e)}` });
        }
        return;
      }
      // Another run, or quiz mode off, while they came: they are not wanted.
      if (get().quizFor !== timeline || get().timeline !== timeline) return;
      set({ quizQuestions: questions });
      if (questions.length > 0) get().goTo(questions[0].stop);
    },
    answerQuiz(right) {
      const { quizQuestions, quizAt, quizAnswers } = get();
      const asked = quizQuestions?.[quizAt];
      if (!asked || quizAt in quizAnswers) return;
      set({ quizAnswers: { ...quizAnswers, [quizAt]: right }, quizHeld: false });
      const next = quizQuestions[quizAt + 1];
      // A question on the same step comes first: this answer's step would tell it.
      if (next?.stop !== asked.stop) get().goTo(asked.reveal);
    },
    nextQuestion() {
      const { quizQuestions, quizAt } = get();
      if (!quizQuestions || quizAt >= quizQuestions.length) return;
      set({ quizAt: quizAt + 1, quizHeld: false });
      const next = quizQuestions[quizAt + 1];
      if (next) get().goTo(next.stop);
    },
    async generatedQuiz(seed) {
      const text = generateScenario(seed, QUIZ_CALLS);
      set({ quizOn: true, ...REST });
      await get().runDocument({ text, startMaps: '' });
      if (get().timelineText === text) await get().startQuiz();
    },
    quizHold(from, to) {
      const asked = quizAsking(get());
      if (!asked || from > asked.stop || to <= asked.stop) return to;
      set({ quizHeld: true, playing: false });
      return asked.stop;
    },
  });
