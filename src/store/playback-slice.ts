// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

export interface PlaybackSlice {
  playing: boolean;
  /** Steps per second while playing. */
  speed: number;
  play(): void;
  pause(): void;
  setSpeed(stepsPerSecond: number): void;
  /** One tick of playback: a step forward, or a stop at the end. */
  tick(): void;
}

export const createPlaybackSlice: StateCreator<AppState, [], [], PlaybackSlice> = (set, get) => ({
  playing: false,
  speed: 2,
  setSpeed: (speed) => set({ speed: Math.max(0.25, Math.min(60, speed)) }),
  play() {
    const { timeline, cursor } = get();
    if (!timeline) return;
    // Playing from the last step starts again from the first.
    if (cursor >= timeline.steps.length - 1) get().goTo(0);
    set({ playing: true });
  },
  pause: () => set({ playing: false }),
  tick() {
    const { timeline, cursor } = get();
    if (!timeline || cursor >= timeline.steps.length - 1) set({ playing: false });
    else get().goTo(cursor + 1);
  },
});
