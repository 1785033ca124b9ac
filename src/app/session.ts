// SPDX-License-Identifier: GPL-2.0-or-later
// Where the app's scenario comes from when it opens, and where it is kept:
// a shared link (the URL) first, then what this browser autosaved, then the
// default example. The autosave is written synchronously when the page goes
// away, so a reload finds the newest state even when the URL (written a
// moment later, after compressing) has not caught up; a draft typed but not
// run is kept too, and so are the kernel profile chosen and those loaded.
import type { StoreApi } from 'zustand';
import { LINUX_6_18, kernelProfileJson, parseKernelProfile, type KernelProfile } from '../engine';
import type { AppState } from '../store/app-store';
import { DEFAULT_EXAMPLE, fetchExample } from '../views/examples/examples';
import { memoryDrafts } from './drafts';
import {
  DOCUMENT_KEY,
  browserDraftPlaces,
  keepDraft,
  openDocument,
  type DraftPlaces,
} from './documents';
import { encodeUrlState, readLink, readPid } from './url-state';
import { damagedLink, openShared, show } from './open-link';

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
  /**
   * The hash before the last URL write. A reload started just before that
   * write loads this one (the browser took the URL when the user asked),
   * and is still a reload of this tab.
   */
  previousHash?: string;
  /** The kernel profile chosen, and those loaded from files. */
  kernel: KernelProfile;
  loadedKernels: KernelProfile[];
  /** The pid replayed of the strace log on screen (absent in older autosaves). */
  pid?: number | 'all' | null;
  /** The document the text is a draft of, and when it was saved (absent in older autosaves). */
  documentId?: string;
  savedAt?: number;
  /** The text did not fit: it is in the drafts database only (and `text` is empty). */
  textInDrafts?: boolean;
}

/** As kept in storage: the profiles as their documents, read back through parseKernelProfile. */
type StoredAutosave = Omit<Autosave, 'kernel' | 'loadedKernels'> & {
  kernel: string;
  loadedKernels: string[];
};

/** A saved profile document, or null for anything else. */
function savedKernel(doc: unknown): KernelProfile | null {
  if (typeof doc !== 'string') return null;
  const parsed = parseKernelProfile(doc);
  return parsed.ok ? parsed.profile : null;
}

/** The autosave read back: none, a value, or a value that cannot be read (and why). */
type AutosaveRead = { saved: Autosave | null; problem: string | null };

function readAutosave(storage: Storage): AutosaveRead {
  let raw: string | null;
  try {
    raw = storage.getItem(AUTOSAVE_KEY);
  } catch {
    return { saved: null, problem: 'this browser does not let the page read its storage' };
  }
  if (raw === null) return { saved: null, problem: null };
  let v: Partial<StoredAutosave> | null;
  try {
    v = JSON.parse(raw) as Partial<StoredAutosave> | null;
  } catch {
    return { saved: null, problem: 'it is not JSON (damaged)' };
  }
  if (!v || typeof v !== 'object' || typeof v.text !== 'string' || typeof v.hash !== 'string') {
    return { saved: null, problem: 'it has no text or no link' };
  }
  const kernel = v.kernel === undefined ? LINUX_6_18 : savedKernel(v.kernel);
  return {
    saved: {
      text: v.text,
      startMaps: typeof v.startMaps === 'string' ? v.startMaps : '',
      shown: typeof v.shown === 'string' ? v.shown : null,
      cursor: Number.isInteger(v.cursor) ? (v.cursor as number) : 0,
      hash: v.hash,
      previousHash: typeof v.previousHash === 'string' ? v.previousHash : undefined,
      kernel: kernel ?? LINUX_6_18,
      pid: readPid(typeof v.pid === 'number' ? String(v.pid) : (v.pid ?? null)) ?? null,
      loadedKernels: Array.isArray(v.loadedKernels)
        ? v.loadedKernels.map(savedKernel).filter((k) => k !== null)
        : [],
      documentId: typeof v.documentId === 'string' ? v.documentId : undefined,
      savedAt: typeof v.savedAt === 'number' ? v.savedAt : undefined,
      textInDrafts: v.textInDrafts === true,
    },
    problem: kernel === null ? 'its kernel profile is damaged; linux-6.18 is used' : null,
  };
}

/** A tab's own storage kept in memory, for a session outside a browser. */
function memoryTab(): DraftPlaces['tab'] {
  const items = new Map<string, string>();
  return { getItem: (k) => items.get(k) ?? null, setItem: (k, v) => void items.set(k, v) };
}

/** How the session opened: `keepLink` when the address bar holds a link that could not be opened. */
export interface Opened {
  keepLink: boolean;
}

/**
 * Opens what the app shows first. A damaged or oversized link is reported
 * and kept in the address bar; the draft behind it opens instead.
 */
export async function restoreSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  storage: Storage = window.localStorage,
  places: DraftPlaces = browserDraftPlaces(),
): Promise<Opened> {
  const s = store.getState;
  const { saved, problem } = readAutosave(storage);
  if (problem) {
    // Kept aside, so the next save does not destroy what may still be recovered by hand.
    try {
      storage.setItem(`${AUTOSAVE_KEY}:damaged`, storage.getItem(AUTOSAVE_KEY) ?? '');
    } catch {
      // Nowhere to keep it; the message still says what happened.
    }
    s().reportSession(`The autosaved draft could not be read: ${problem}.`);
  }
  // The profiles this browser loaded stay on offer, whatever opens.
  for (const k of saved?.loadedKernels ?? []) s().addKernel(k);
  // A draft too large for the autosave is whole in the drafts database.
  const fromDrafts = (own: Awaited<ReturnType<typeof openDocument>>, a: Autosave) => {
    if (own && (a.textInDrafts || own.savedAt > (a.savedAt ?? 0))) {
      s().setText(own.text);
      s().setStartMaps(own.startMaps);
    }
  };
  const fromAutosave = (a: Autosave) =>
    show(
      store,
      a.shown ?? a.text,
      a.startMaps,
      a.shown === null ? null : a.cursor,
      a.text,
      a.kernel,
      a.pid ?? null,
    );
  const link = await readLink(location.hash, location.search ?? '');
  const keepLink = link.kind === 'damaged';
  if (keepLink) {
    // Reported, and left in the address bar to copy: never silently replaced.
    s().reportSession(
      damagedLink(link.problem, location.hash, "the draft below is this browser's"),
    );
  }
  // A reload of this tab: the autosave is at least as new as the URL.
  // This tab has a document (sessionStorage outlives a reload, not a new tab), and the
  // address is the autosave's: a reload. A new tab on the same link opens the link.
  const reload =
    saved !== null &&
    places.tab.getItem(DOCUMENT_KEY) !== null &&
    (saved.hash === location.hash || saved.previousHash === location.hash);
  if (saved && reload && (saved.shown !== null || location.hash === '')) {
    const own = await openDocument(store, places, saved.documentId);
    await fromAutosave(saved);
    fromDrafts(own, saved);
    return { keepLink };
  }
  if (link.kind === 'shared') {
    // The draft the link replaces on screen is kept first, and the link is a new document.
    const replaced = saved && {
      id: saved.documentId ?? `autosave-${saved.savedAt ?? Date.now()}`,
      text: saved.text,
      startMaps: saved.startMaps,
      savedAt: saved.savedAt ?? Date.now(),
    };
    await openShared(store, places, link.state, replaced);
    return { keepLink };
  }
  const own = await openDocument(store, places, saved?.documentId);
  if (saved) {
    await fromAutosave(saved);
    fromDrafts(own, saved);
  } else {
    const example = await fetchExample(DEFAULT_EXAMPLE);
    await show(store, example, '', null, example, LINUX_6_18, null);
    store.getState().setExample({ file: DEFAULT_EXAMPLE, text: example });
  }
  return { keepLink };
}

/**
 * Keeps the URL and the autosave up to date; returns a function that stops it.
 * Once the page is going away (pagehide) nothing more is written until it is
 * shown again: the autosave written then names the URL the reload will load,
 * and a URL write finishing late must not make it name a newer one (the
 * reload would then take the old link for a different one and open it over
 * the draft).
 *
 * A link pasted into this tab changes only the hash (`hashchange`; nothing
 * reloads): it opens as a link opens at start, as a new document, the one on
 * screen kept under Drafts. While it opens nothing is written, so the
 * autosave still names the hash before it and a reload then opens the link,
 * not that older autosave; once it is shown, the URL and autosave are its.
 */
export function persistSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  history: History = window.history,
  storage: Storage = window.localStorage,
  opened: Opened = { keepLink: false },
  page: EventTarget = window,
  places: DraftPlaces = { drafts: memoryDrafts(), tab: memoryTab() },
): () => void {
  const { drafts } = places;
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let written = 0;
  let leaving = false;
  let previousHash: string | undefined;
  /**
   * The hash the state on screen was opened from or written to: the address
   * bar's, except while a link pasted there has not been opened yet.
   */
  let shownHash = location.hash;
  /** A link pasted into this tab is being opened: nothing is written meanwhile. */
  let following = false;
  let follows: Promise<void> = Promise.resolve();

  const writeUrl = () => {
    if (following) return;
    const { timelineText, timelineStartMaps, timelineKernel, timelinePid, cursor } =
      store.getState();
    if (timelineText === null) return;
    const ticket = ++written;
    void encodeUrlState({
      text: timelineText,
      cursor,
      startMaps: timelineStartMaps,
      kernel: timelineKernel,
      pid: timelinePid,
    }).then((hash) => {
      // A later write may have finished first; only the newest counts.
      if (ticket !== written || leaving) return;
      if (location.hash !== `#${hash}`) previousHash = location.hash;
      history.replaceState(null, '', `#${hash}`);
      shownHash = location.hash;
      save();
    });
  };
  const save = () => {
    if (following) return;
    const {
      text,
      startMaps,
      timelineText,
      timelinePid,
      cursor,
      kernel,
      loadedKernels,
      documentId,
    } = store.getState();
    const savedAt = Date.now();
    // The draft first, in the database with room for it; then the autosave.
    if (documentId !== '')
      void keepDraft(store, drafts, { id: documentId, text, startMaps, savedAt });
    const value: StoredAutosave = {
      documentId,
      savedAt,
      text,
      startMaps,
      shown: timelineText,
      cursor,
      hash: shownHash,
      previousHash,
      kernel: kernelProfileJson(kernel),
      loadedKernels: loadedKernels.map(kernelProfileJson),
      pid: timelinePid,
    };
    try {
      try {
        storage.setItem(AUTOSAVE_KEY, JSON.stringify(value));
      } catch {
        // Too large for this slot: the text goes to the drafts database alone.
        const small: StoredAutosave = { ...value, text: '', textInDrafts: true };
        storage.setItem(AUTOSAVE_KEY, JSON.stringify(small));
      }
    } catch (e) {
      // Storage full or disabled: say so, while the text is still on screen to copy.
      const why =
        e instanceof Error && e.name === 'QuotaExceededError' ? 'storage is full' : String(e);
      store
        .getState()
        .reportSession(
          `Could not save the draft in this browser (${why}): copy the text before you leave.`,
        );
    }
  };

  const unsubscribe = store.subscribe((state, prev) => {
    if (
      state.timelineText !== prev.timelineText ||
      state.timelineStartMaps !== prev.timelineStartMaps ||
      state.timelineKernel !== prev.timelineKernel ||
      state.timelinePid !== prev.timelinePid ||
      state.cursor !== prev.cursor
    ) {
      clearTimeout(urlTimer);
      if (!leaving) urlTimer = setTimeout(writeUrl, DELAY_MS);
    }
    // Another document opened in the editor: the one it replaces is kept at once.
    if (state.documentId !== prev.documentId && prev.documentId !== '') {
      void keepDraft(store, drafts, {
        id: prev.documentId,
        text: prev.text,
        startMaps: prev.startMaps,
        savedAt: Date.now(),
      });
    }
    if (state !== prev && !leaving) {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(save, DELAY_MS);
    }
  });
  // A link that could not be opened stays for the user to copy, until they run or step.
  if (!opened.keepLink) writeUrl();
  const flush = () => {
    if (leaving) return;
    save();
    leaving = true;
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
  };
  // Back from the back/forward cache: the page is live again.
  const back = () => {
    leaving = false;
  };
  // A link pasted into the address bar of this tab: one at a time, in order.
  const follow = async (hash: string) => {
    const link = await readLink(hash, location.search ?? '');
    if (link.kind === 'none') return;
    if (link.kind === 'damaged') {
      store
        .getState()
        .reportSession(damagedLink(link.problem, hash, 'the document on screen is unchanged'));
      return;
    }
    const { documentId, text, startMaps } = store.getState();
    following = true;
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
    try {
      const replaced = documentId === '' ? null : { id: documentId, text, startMaps };
      await openShared(store, places, link.state, replaced && { ...replaced, savedAt: Date.now() });
    } finally {
      following = false;
    }
    // The link is on screen: the autosave names it at once, so a reload keeps it.
    shownHash = hash;
    if (leaving) return;
    save();
    writeUrl();
  };
  const hashChanged = () => {
    const hash = location.hash;
    follows = follows
      .then(() => follow(hash))
      .catch((e: unknown) => {
        store.getState().reportSession(`This link could not be opened: ${String(e)}.`);
      });
  };
  page.addEventListener('pagehide', flush);
  page.addEventListener('pageshow', back);
  page.addEventListener('hashchange', hashChanged);
  return () => {
    unsubscribe();
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
    page.removeEventListener('pagehide', flush);
    page.removeEventListener('pageshow', back);
    page.removeEventListener('hashchange', hashChanged);
  };
}
