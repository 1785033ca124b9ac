// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { Diagnostic } from '../engine';
import type { AppState } from './app-store';

export interface ScenarioSlice {
  /** What the user typed. */
  text: string;
  /** A /proc/PID/maps or smaps dump to start from; empty for an empty address space. */
  startMaps: string;
  setStartMaps(text: string): void;
  /** Problems with the last text that was run; the timeline stays as it was. */
  diagnostics: Diagnostic[];
  setText(text: string): void;
  /**
   * Of a strace log with several processes, the one to replay, `all` (the
   * threads of one process), or null for the default (the most calls).
   */
  pid: number | 'all' | null;
  setPid(pid: number | 'all' | null): void;
  /**
   * Replaces the text (or, for a dump, the starting maps) with a file's, as
   * a new document: the one on screen is kept as a draft, never lost. A
   * field left out stays as it is.
   */
  openDocument(doc: { text?: string; startMaps?: string }): void;
  /**
   * Opens a scenario of the app's own (a lesson's, a generated quiz's) as
   * a new document and runs it: a recording held is of another scenario,
   * and goes.
   */
  runDocument(doc: { text: string; startMaps: string }): Promise<void>;
  /** The example last opened and its text: named on screen while the scenario is that text. */
  example: { file: string; text: string } | null;
  setExample(example: { file: string; text: string } | null): void;
}

/** A fresh document id, as the session makes them (src/app/documents.ts). */
const newId = () => `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

export const createScenarioSlice: StateCreator<AppState, [], [], ScenarioSlice> = (set, get) => ({
  text: '',
  startMaps: '',
  diagnostics: [],
  pid: null,
  example: null,
  setExample: (example) => set({ example }),
  setText: (text) => set({ text }),
  setStartMaps: (startMaps) => set({ startMaps }),
  setPid: (pid) => set({ pid }),
  async runDocument(doc) {
    await get().clearRecording();
    get().openDocument(doc);
    await get().run();
  },
  openDocument(doc) {
    const { documentId, keptDrafts, text: was, startMaps: wasMaps } = get();
    const text = doc.text ?? was;
    const startMaps = doc.startMaps ?? wasMaps;
    if (text === was && startMaps === wasMaps) return set({ pid: null });
    const kept =
      documentId !== '' && (was.trim() !== '' || wasMaps.trim() !== '')
        ? [{ id: documentId, text: was, startMaps: wasMaps, savedAt: Date.now() }, ...keptDrafts]
        : keptDrafts;
    // A new id: the session writes the document it replaces to the drafts
    // database at once (persistSession), and lists it under Drafts.
    set({
      documentId: documentId === '' ? '' : newId(),
      keptDrafts: kept,
      text,
      startMaps,
      pid: null,
    });
  },
});
