// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/**
 * What the app is fetching or reading besides a run (an example's files),
 * so that the status never reads idle while something is still on its way.
 */
export interface LoadingSlice {
  /** What is loading, in the words the status uses ("example"), oldest first. */
  loading: string[];
  /** Runs `work` with `what` shown as loading until it settles. */
  whileLoading<T>(what: string, work: () => Promise<T>): Promise<T>;
}

export const createLoadingSlice: StateCreator<AppState, [], [], LoadingSlice> = (set, get) => ({
  loading: [],
  async whileLoading(what, work) {
    set({ loading: [...get().loading, what] });
    try {
      return await work();
    } finally {
      const loading = [...get().loading];
      loading.splice(loading.indexOf(what), 1);
      set({ loading });
    }
  },
});
