// SPDX-License-Identifier: GPL-2.0-or-later
// Drafts kept in this browser, one per document (a tab's editing session),
// in IndexedDB: far more room than the autosave's one localStorage slot,
// and a draft typed in one tab is not overwritten by another tab or by a
// link opened later.

/** A document's text as last typed. */
export interface Draft {
  /** The document: one per tab, kept across its reloads. */
  id: string;
  text: string;
  startMaps: string;
  /** When it was last written (ms since the epoch). */
  savedAt: number;
}

export interface DraftStore {
  put(draft: Draft): Promise<void>;
  /** Every draft, newest first. */
  list(): Promise<Draft[]>;
}

/** Drafts in memory, for tests and for browsers without IndexedDB. */
export function memoryDrafts(): DraftStore {
  const drafts = new Map<string, Draft>();
  return {
    async put(draft) {
      drafts.set(draft.id, { ...draft });
      for (const id of draftsToDrop([...drafts.values()], draft.id)) drafts.delete(id);
    },
    async list() {
      return [...drafts.values()].sort((a, b) => b.savedAt - a.savedAt);
    },
  };
}

/** At most this many drafts are kept: every new tab or link starts a document. */
export const MAX_DRAFTS = 50;
/** And at most this many characters in all; the oldest go first. */
export const MAX_DRAFT_CHARS = 64 << 20;

/**
 * The drafts to delete so that what is kept stays bounded: the oldest first,
 * never the one just written (`keep`), however large it is.
 */
export function draftsToDrop(all: readonly Draft[], keep: string): string[] {
  const size = (d: Draft): number => d.text.length + d.startMaps.length;
  const mine = all.find((d) => d.id === keep);
  let kept = mine ? 1 : 0;
  let chars = mine ? size(mine) : 0;
  const drop: string[] = [];
  for (const d of [...all].sort((a, b) => b.savedAt - a.savedAt)) {
    if (d.id === keep) continue;
    if (kept < MAX_DRAFTS && chars + size(d) <= MAX_DRAFT_CHARS) {
      kept++;
      chars += size(d);
    } else {
      drop.push(d.id);
    }
  }
  return drop;
}

const STORE = 'drafts';

const done = <T>(request: IDBRequest<T>): Promise<T> =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

/** Drafts in the browser's IndexedDB database `name`. */
export function indexedDbDrafts(name = 'vma-explorer'): DraftStore {
  let db: Promise<IDBDatabase> | null = null;
  const open = () => {
    if (!db) {
      const request = indexedDB.open(name, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: 'id' });
      db = done(request);
    }
    return db;
  };
  const store = async (mode: IDBTransactionMode) =>
    (await open()).transaction(STORE, mode).objectStore(STORE);
  return {
    async put(draft) {
      const objects = await store('readwrite');
      await done(objects.put(draft));
      const all = (await done(objects.getAll())) as Draft[];
      for (const id of draftsToDrop(all, draft.id)) await done(objects.delete(id));
    },
    async list() {
      const all = (await done((await store('readonly')).getAll())) as Draft[];
      return all.sort((a, b) => b.savedAt - a.savedAt);
    },
  };
}
