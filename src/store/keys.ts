// SPDX-License-Identifier: GPL-2.0-or-later
// The window's keys and the store actions they call: one table that
// src/app/keyboard.ts binds and the Keys overlay lists, so the two cannot drift.
import type { AppState } from './app-store';

export interface KeyBinding {
  /** `KeyboardEvent.key`. */
  key: string;
  /** Whether Shift must be down (true), up (false), or either (absent). */
  shift?: boolean;
  /** The key as the Keys overlay writes it. */
  label: string;
  /** What it does, in the overlay's words. */
  does: string;
  run(state: AppState): void;
}

export const KEYS: readonly KeyBinding[] = [
  { key: 'ArrowLeft', shift: false, label: '←', does: 'Back one step', run: (s) => s.back('step') },
  {
    key: 'ArrowRight',
    shift: false,
    label: '→',
    does: 'Forward one step',
    run: (s) => s.forward('step'),
  },
  {
    key: 'ArrowLeft',
    shift: true,
    label: 'Shift+←',
    does: 'Back one system call',
    run: (s) => s.back('call'),
  },
  {
    key: 'ArrowRight',
    shift: true,
    label: 'Shift+→',
    does: 'Forward one system call',
    run: (s) => s.forward('call'),
  },
  { key: 'Home', label: 'Home', does: 'First step', run: (s) => s.first() },
  { key: 'End', label: 'End', does: 'Last step', run: (s) => s.last() },
  {
    key: ' ',
    label: 'Space',
    does: 'Play or pause',
    run: (s) => (s.playing ? s.pause() : s.play()),
  },
  { key: '?', label: '?', does: 'Show these keys', run: (s) => s.showKeys(true) },
];

/** The binding for a key press, or undefined. */
export function bindingFor(e: Pick<KeyboardEvent, 'key' | 'shiftKey'>): KeyBinding | undefined {
  return KEYS.find((k) => k.key === e.key && (k.shift === undefined || k.shift === e.shiftKey));
}
