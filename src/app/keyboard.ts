// SPDX-License-Identifier: GPL-2.0-or-later
// Keyboard stepping: ←/→ by internal step, Shift+←/→ by system call, Space
// to play or pause, Home/End to the first or last step. Keys typed into a
// text box, a list box or a button stay theirs, and so does a key a widget
// answered itself (the VMAs' arrows, the Steps list's ↑/↓/Home/End): ←/→
// step through time wherever the focus is not in a widget that uses them.
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';

const TYPING = new Set(['TEXTAREA', 'INPUT', 'SELECT']);

export function bindKeyboard(store: StoreApi<AppState>, target: Window = window): () => void {
  const onKey = (e: KeyboardEvent) => {
    // A widget that uses the key itself (the VMAs, the Steps list) has answered it.
    if (e.defaultPrevented) return;
    const el = e.target as HTMLElement | null;
    if (el && (TYPING.has(el.tagName) || el.isContentEditable)) return;
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const s = store.getState();
    const level = e.shiftKey ? 'call' : 'step';
    switch (e.key) {
      case 'ArrowLeft':
        s.back(level);
        break;
      case 'ArrowRight':
        s.forward(level);
        break;
      case 'Home':
        s.first();
        break;
      case 'End':
        s.last();
        break;
      case ' ':
        // A focused button answers Space itself.
        if (el?.tagName === 'BUTTON') return;
        if (s.playing) s.pause();
        else s.play();
        break;
      default:
        return;
    }
    e.preventDefault();
  };
  target.addEventListener('keydown', onKey);
  return () => target.removeEventListener('keydown', onKey);
}
