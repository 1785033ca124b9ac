// SPDX-License-Identifier: GPL-2.0-or-later
// Documents and their drafts: each tab edits one document (its id kept in
// sessionStorage, so a reload keeps it and a new tab starts another), whose
// draft is written to the drafts database (IndexedDB) before anything
// replaces it on screen.
import type { StoreApi } from 'zustand';
import type { AppState } from '../store/app-store';
import { indexedDbDrafts, memoryDrafts, type DraftStore } from './drafts';

/** In sessionStorage: the document this tab edits, kept across its reloads. */
export const DOCUMENT_KEY = 'vma-explorer:document';

/** Where drafts and the tab's document are kept; the browser's own by default. */
export interface DraftPlaces {
  drafts: DraftStore;
  tab: Pick<Storage, 'getItem' | 'setItem'>;
}

export function browserDraftPlaces(): DraftPlaces {
  return {
    drafts: typeof indexedDB === 'undefined' ? memoryDrafts() : indexedDbDrafts(),
    tab: window.sessionStorage,
  };
}

export const newDocumentId = () =>
  `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;

/** Writes a draft to the drafts database; a failure is reported, never silent. */
export async function keepDraft(
  store: StoreApi<AppState>,
  drafts: DraftStore,
  draft: { id: string; text: string; startMaps: string; savedAt: number },
): Promise<void> {
  try {
    await drafts.put(draft);
  } catch (e) {
    store.getState().reportSession(`Could not keep the draft in this browser's database: ${e}.`);
  }
}

/**
 * Makes `id` (this tab's document, else `fallback`, else a new one) the
 * document on screen, lists the other drafts kept, and returns this
 * document's own kept draft, if any.
 */
export async function openDocument(
  store: StoreApi<AppState>,
  { drafts, tab }: DraftPlaces,
  fallback: string | undefined,
  fresh = false,
): Promise<{ text: string; startMaps: string; savedAt: number } | undefined> {
  const id = fresh ? newDocumentId() : (tab.getItem(DOCUMENT_KEY) ?? fallback ?? newDocumentId());
  tab.setItem(DOCUMENT_KEY, id);
  store.getState().setDocumentId(id);
  let all: Awaited<ReturnType<DraftStore['list']>> = [];
  try {
    all = await drafts.list();
  } catch (e) {
    store.getState().reportSession(`Could not read the drafts kept in this browser: ${e}.`);
  }
  store.getState().setKeptDrafts(all.filter((d) => d.id !== id && d.text.trim() !== ''));
  return all.find((d) => d.id === id);
}
