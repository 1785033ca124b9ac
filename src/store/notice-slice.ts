// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/**
 * What went wrong opening or keeping the session (a damaged link, an
 * unreadable autosave, a failed save), shown until dismissed.
 */
export interface NoticeSlice {
  sessionMessages: string[];
  reportSession(message: string): void;
  dismissSessionMessages(): void;
}

export const createNoticeSlice: StateCreator<AppState, [], [], NoticeSlice> = (set, get) => ({
  sessionMessages: [],
  reportSession(message) {
    if (get().sessionMessages.includes(message)) return;
    set({ sessionMessages: [...get().sessionMessages, message] });
  },
  dismissSessionMessages: () => set({ sessionMessages: [] }),
});
