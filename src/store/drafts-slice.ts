// SPDX-License-Identifier: GPL-2.0-or-later
import type { StateCreator } from 'zustand';
import type { AppState } from './app-store';

/** A draft of another document kept in this browser. */
export interface KeptDraft {
  id: string;
  text: string;
  startMaps: string;
  savedAt: number;
}

export interface DraftsSlice {
  /** The document the editor's text belongs to: its draft's id ('' until the session opens). */
  documentId: string;
  setDocumentId(id: string): void;
  /** Drafts of other documents kept in this browser, newest first. */
  keptDrafts: KeptDraft[];
  setKeptDrafts(drafts: KeptDraft[]): void;
  /** Opens a kept draft in the editor; the document on screen joins the kept ones. */
  openKeptDraft(id: string): void;
}

export const createDraftsSlice: StateCreator<AppState, [], [], DraftsSlice> = (set, get) => ({
  documentId: '',
  setDocumentId: (documentId) => set({ documentId }),
  keptDrafts: [],
  setKeptDrafts: (keptDrafts) => set({ keptDrafts }),
  openKeptDraft(id) {
    const { keptDrafts, documentId, text, startMaps } = get();
    const draft = keptDrafts.find((d) => d.id === id);
    if (!draft) return;
    const current: KeptDraft = { id: documentId, text, startMaps, savedAt: Date.now() };
    set({
      documentId: id,
      text: draft.text,
      startMaps: draft.startMaps,
      keptDrafts: [current, ...keptDrafts.filter((d) => d.id !== id)],
    });
  },
});
