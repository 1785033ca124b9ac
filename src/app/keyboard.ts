// SPDX-License-Identifier: GPL-2.0-or-later
// The window's keys, bound from the table in src/store/keys.ts that the Keys
// overlay lists. Keys typed into a text box, a list box, a slider or a
// button stay theirs, and so does a key a widget answered itself (the VMAs'
// arrows, the Steps list's ↑/↓/Home/End): ←/→ step through time wherever
// the focus is not in a widget that uses them.
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import { bindingFor } from '../store/keys';

const TYPING = new Set(['TEXTAREA', 'INPUT', 'SELECT']);

export function bindKeyboard(store: StoreApi<AppState>, target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    // A widget that uses the key itself (the VMAs, the Steps list) has answered it.
    if (e.defaultPrevented) return;
    const el = e.target as HTMLElement | null;
    if (el && (TYPING.has(el.tagName) || el.isContentEditable)) return;
    // A dialog (the Keys overlay) keeps its keys.
    if (el?.closest?.('dialog')) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const binding = bindingFor(e);
    if (!binding) return;
    // A focused button answers Space itself.
    if (e.key === ' ' && el?.tagName === 'BUTTON') return;
    binding.run(store.getState());
    e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
