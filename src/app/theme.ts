// SPDX-License-Identifier: GPL-2.0-or-later
// The light or dark theme: the store holds the choice, the document root's
// data-theme attribute applies it (app.css keys every colour on it), and the
// browser remembers an explicit choice.
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import type { Theme } from '../store/view-settings-slice';

const KEY = 'vma-explorer.theme';

function remembered(): Theme | null {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : null;
  } catch {
    return null;
  }
}

/** Starts from the remembered or system theme and keeps the page in step with the store. */
export function bindTheme(store: StoreApi<AppState>, root = document.documentElement): () => void {
  const system: Theme = matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
  const initial = remembered() ?? system;
  root.dataset.theme = initial;
  store.getState().setTheme(initial);
  return store.subscribe((s, prev) => {
    if (s.theme === prev.theme) return;
    root.dataset.theme = s.theme;
    try {
      localStorage.setItem(KEY, s.theme);
    } catch {
      // Storage may be off (private windows): the choice lasts this visit.
    }
  });
}
