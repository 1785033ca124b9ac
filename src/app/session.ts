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
import { memoryDrafts, type DraftStore } from './drafts';
import {
  DOCUMENT_KEY,
  browserDraftPlaces,
  keepDraft,
  openDocument,
  type DraftPlaces,
} from './documents';
import { encodeUrlState, linkNotice, linkPrefix, readLink, readPid } from './url-state';

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
  const show = async (
    text: string,
    startMaps: string,
    cursor: number | null,
    draft: string,
    kernel: KernelProfile,
    pid: number | 'all' | null,
  ) => {
    s().setText(text);
    s().setStartMaps(startMaps);
    s().setPid(pid);
    await s().setKernel(kernel);
    await s().run({ cursor: cursor ?? undefined });
    s().setText(draft);
  };
  // A draft too large for the autosave is whole in the drafts database.
  const fromDrafts = (own: Awaited<ReturnType<typeof openDocument>>, a: Autosave) => {
    if (own && (a.textInDrafts || own.savedAt > (a.savedAt ?? 0))) {
      s().setText(own.text);
      s().setStartMaps(own.startMaps);
    }
  };
  const fromAutosave = (a: Autosave) =>
    show(
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
      `This link could not be opened: ${link.problem}. It stays in the address bar ` +
        `(${linkPrefix(location.hash)}) until you run or step; the draft below is this browser's.`,
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
    const shared = link.state;
    // The draft the link replaces on screen is kept first, and the link is a new document.
    if (saved && saved.text !== shared.text) {
      await keepDraft(store, places.drafts, {
        id: saved.documentId ?? `autosave-${saved.savedAt ?? Date.now()}`,
        text: saved.text,
        startMaps: saved.startMaps,
        savedAt: saved.savedAt ?? Date.now(),
      });
      s().reportSession(
        'The link opened as a new document; the draft that was here is kept under Drafts.',
      );
    }
    await openDocument(store, places, undefined, true);
    await show(
      shared.text,
      shared.startMaps,
      shared.cursor,
      shared.text,
      shared.kernel,
      shared.pid,
    );
    // A link whose profile cannot be used runs on linux-6.18, and says so.
    if (shared.kernelProblem) s().refuseKernel(`in this link: ${shared.kernelProblem}`);
    // One made by another engine opens all the same, with a word on why its steps may differ.
    const notice = linkNotice(shared);
    if (notice) s().reportSession(notice);
    return { keepLink };
  }
  const own = await openDocument(store, places, saved?.documentId);
  if (saved) {
    await fromAutosave(saved);
    fromDrafts(own, saved);
  } else {
    const example = await fetchExample(DEFAULT_EXAMPLE);
    await show(example, '', null, example, LINUX_6_18, null);
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
 */
export function persistSession(
  store: StoreApi<AppState>,
  location: Location = window.location,
  history: History = window.history,
  storage: Storage = window.localStorage,
  opened: Opened = { keepLink: false },
  page: EventTarget = window,
  drafts: DraftStore = memoryDrafts(),
): () => void {
  let urlTimer: ReturnType<typeof setTimeout> | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let written = 0;
  let leaving = false;
  let previousHash: string | undefined;

  const writeUrl = () => {
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
      save();
    });
  };
  const save = () => {
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
      hash: location.hash,
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
  page.addEventListener('pagehide', flush);
  page.addEventListener('pageshow', back);
  return () => {
    unsubscribe();
    clearTimeout(urlTimer);
    clearTimeout(saveTimer);
    page.removeEventListener('pagehide', flush);
    page.removeEventListener('pageshow', back);
  };
}
