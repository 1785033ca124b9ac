// SPDX-License-Identifier: GPL-2.0-or-later
// Where the app's scenario comes from when it opens, and where it is kept:
// a shared link (the URL) first, then what this browser autosaved, then the
// default example. The autosave is written synchronously when the page goes
// away, so a reload finds the newest state even when the URL (written a
// moment later, after compressing) has not caught up; a draft typed but not
// run is kept too.
import type { StoreApi } from 'zustand';
import type { AppState } from '../../store/app-store';
import { DEFAULT_EXAMPLE, fetchExample } from '../examples/examples';
import { decodeUrlState, encodeUrlState } from './url-state';

export const AUTOSAVE_KEY = 'vma-explorer:autosave';
const DELAY_MS = 250;

interface Autosave {
  /** The editor's text, run or not, and the starting maps. */
  text: string;
  startMaps: string;
  /** The scenario on screen and its step. */
  shown: string | null;
  cursor: number;
  /** The location hash when this was saved: equal on a reload of this tab. */
  hash: string;
}

function readAutosave(storage: Storage): Autosave | null {
  try {
    const v = JSON.parse(storage.getItem(AUTOSAVE_KEY) ?? 'null') as Partial<Autosave> | null;
    if (!v || typeof v.text !== 'string' || typeof v.hash !== 'string') return null;
    return {
      text: v.text,
      startMaps: typeof v.startMaps === 'string' ? v.startMaps : '',
      shown: typeof v.shown === 'string' ? v.shown : null,
      cursor: Number.isInteger(v.cursor) ? (v.cursor as number) : 0,
      hash: v.hash,
    };
  } catch {
    return null;
  }
}

export async function restoreSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  storage: Storage = window.localStorage,
): Promise<void> {
  const s = store.getState;
  const saved = readAutosave(storage);
  const show = async (text: string, startMaps: string, cursor: number | null, draft: string) => {
    s().setText(text);
    s().setStartMaps(startMaps);
    await s().run({ cursor: cursor ?? undefined });
    s().setText(draft);
  };
  const fromAutosave = (a: Autosave) =>
    show(a.shown ?? a.text, a.startMaps, a.shown === null ? null : a.cursor, a.text);
  // A reload of this tab: the autosave is at least as new as the URL.
  if (saved && saved.hash === location.hash && (saved.shown !== null || location.hash === '')) {
    return fromAutosave(saved);
  }
  const shared = await decodeUrlState(location.hash);
  if (shared) return show(shared.text, shared.startMaps, shared.cursor, shared.text);
  if (saved) return fromAutosave(saved);
  const example = await fetchExample(DEFAULT_EXAMPLE);
  return show(example, '', null, example);
}

/** Keeps the URL and the autosave up to date; returns a function that stops it. */
export function persistSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  history: History = window.history,
  storage: Storage = window.localStorage,
): () => void {
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let written = 0;

  const writeUrl = () => {
    const { timelineText, timelineStartMaps, cursor } = store.getState();
    if (timelineText === null) return;
    const ticket = ++written;
    void encodeUrlState({ text: timelineText, cursor, startMaps: timelineStartMaps }).then(
      (hash) => {
        // A later write may have finished first; only the newest counts.
        if (ticket !== written) return;
        history.replaceState(null, '', `#${hash}`);
        save();
      },
    );
  };
  const save = () => {
    const { text, startMaps, timelineText, cursor } = store.getState();
    const value: Autosave = { text, startMaps, shown: timelineText, cursor, hash: location.hash };
    try {
      storage.setItem(AUTOSAVE_KEY, JSON.stringify(value));
    } catch {
      // Storage full or disabled: the URL still keeps the scenario on screen.
    }
  };

  const unsubscribe = store.subscribe((state, prev) => {
    if (
      state.timelineText !== prev.timelineText ||
      state.timelineStartMaps !== prev.timelineStartMaps ||
      state.cursor !== prev.cursor
    ) {
      clearTimeout(urlTimer);
      urlTimer = setTimeout(writeUrl, DELAY_MS);
    }
    if (state !== prev) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, DELAY_MS);
    }
  });
  writeUrl();
  const flush = () => save();
  window.addEventListener('pagehide', flush);
  return () => {
    unsubscribe();
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
    window.removeEventListener('pagehide', flush);
  };
}
