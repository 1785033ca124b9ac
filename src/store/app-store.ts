// SPDX-License-Identifier: GPL-2.0-or-later
// One bound store made of slices (zustand's own guidance).
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EngineApi } from '../engine';
import { createCompareSlice, type CompareSlice } from './compare-slice';
import { createDraftsSlice, type DraftsSlice } from './drafts-slice';
import { createKernelSlice, type KernelSlice } from './kernel-slice';
import { createLessonSlice, type LessonSlice } from './lesson-slice';
import { createLoadingSlice, type LoadingSlice } from './loading-slice';
import { createNoticeSlice, type NoticeSlice } from './notice-slice';
import { createOverlaySlice, type OverlaySlice } from './overlay-slice';
import { createPlaybackSlice, type PlaybackSlice } from './playback-slice';
import { createQuizSlice, type QuizSlice } from './quiz-slice';
import { createRecordingSlice, type RecordingSlice } from './recording-slice';
import { createScenarioSlice, type ScenarioSlice } from './scenario-slice';
import { createSelectionSlice, type SelectionSlice } from './selection-slice';
import { createTimelineSlice, type TimelineSlice } from './timeline-slice';
import { createViewSettingsSlice, type ViewSettingsSlice } from './view-settings-slice';

export type AppState = ScenarioSlice &
  TimelineSlice &
  PlaybackSlice &
  SelectionSlice &
  ViewSettingsSlice &
  KernelSlice &
  NoticeSlice &
  DraftsSlice &
  RecordingSlice &
  CompareSlice &
  LoadingSlice &
  OverlaySlice &
  QuizSlice &
  LessonSlice;

/**
 * What the store needs of the engine: the worker client in the app, the
 * engine itself in tests. A request rejects with an error whose `reason` is
 * `cancelled`, `crashed` or `silent` (no heartbeat) when the worker stops before answering.
 */
export interface EnginePort extends EngineApi {
  cancel(): void;
}

export function createAppStore(engine: EnginePort): StoreApi<AppState> {
  return createStore<AppState>()((...a) => ({
    ...createScenarioSlice(...a),
    ...createTimelineSlice(engine)(...a),
    ...createPlaybackSlice(...a),
    ...createSelectionSlice(...a),
    ...createViewSettingsSlice(...a),
    ...createKernelSlice(...a),
    ...createNoticeSlice(...a),
    ...createDraftsSlice(...a),
    ...createRecordingSlice(engine)(...a),
    ...createCompareSlice(engine)(...a),
    ...createLoadingSlice(...a),
    ...createOverlaySlice(...a),
    ...createQuizSlice(engine)(...a),
    ...createLessonSlice(...a),
  }));
}
