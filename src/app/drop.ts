// SPDX-License-Identifier: GPL-2.0-or-later
// A kernel recording dropped anywhere on the page is compared with the run
// on screen. Only JSON files are taken (the editor keeps other drops, and
// inserts their text); the store refuses one too large, or one that is not
// a recording, and says why.
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import { isRecordingFile } from '../store/recording-slice';

/** Takes JSON files dropped on the page as recordings; returns a function that stops. */
export function bindDrop(store: StoreApi<AppState>, target: EventTarget = window): () => void {
  const jsonFile = (e: DragEvent): File | null => {
    const file = e.dataTransfer?.files[0];
    return file && isRecordingFile(file) ? file : null;
  };
  const over = (e: Event) => {
    const types = (e as DragEvent).dataTransfer?.types;
    if (!types || !Array.from(types).includes('Files')) return;
    // Allows the drop (a page refuses drops by default).
    e.preventDefault();
  };
  const drop = (e: Event) => {
    const file = jsonFile(e as DragEvent);
    if (!file) return;
    // Before the editor (this listens in the capture phase), and not opened as a page.
    e.preventDefault();
    e.stopPropagation();
    void store.getState().openRecordingFile(file);
  };
  target.addEventListener('dragover', over, true);
  target.addEventListener('drop', drop, true);
  return () => {
    target.removeEventListener('dragover', over, true);
    target.removeEventListener('drop', drop, true);
  };
}
