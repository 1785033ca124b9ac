// SPDX-License-Identifier: GPL-2.0-or-later
import { createContext, useContext, type ReactNode } from 'react';
import { useStore, type StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';

const StoreContext = createContext<StoreApi<AppState> | null>(null);

export function StoreProvider({
  store,
  children,
}: {
  store: StoreApi<AppState>;
  children: ReactNode;
}) {
  return <StoreContext.Provider value={store}>{children}</StoreContext.Provider>;
}

/** Selects one value from the app store; the component re-renders only when it changes. */
export function useApp<T>(selector: (state: AppState) => T): T {
  const store = useContext(StoreContext);
  if (!store) throw new Error('useApp outside StoreProvider');
  return useStore(store, selector);
}

/**
 * The trace event of the step on screen (null before the first run): the
 * cursor's, or the one before while the cursor's loads, like the drawing.
 */
export const selectCurrentStep = (s: AppState) => s.stepData?.event ?? null;

/** Whether the address space on screen is still the previous step's, while the cursor's loads. */
export const selectStepLoading = (s: AppState) =>
  s.timeline !== null && s.stepData?.step !== s.cursor;
