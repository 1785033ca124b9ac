// SPDX-License-Identifier: GPL-2.0-or-later
// Waits for the store, not the clock: resolves once the step under the
// cursor has arrived from the engine, however many fetches that takes.
import type { StoreApi } from 'zustand';
import type { AppState } from './app-store';

export function stepShown(store: StoreApi<AppState>): Promise<void> {
  return new Promise((resolve) => {
    const shown = () => {
      const { stepData, cursor } = store.getState();
      return stepData !== null && stepData.step === cursor;
    };
    if (shown()) return resolve();
    const stop = store.subscribe(() => {
      if (!shown()) return;
      stop();
      resolve();
    });
  });
}
