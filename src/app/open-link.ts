// SPDX-License-Identifier: GPL-2.0-or-later
// Opening a scenario as the session does, at start or when a link is pasted
// into the tab: run to its step under its kernel, and for a shared link a
// new document, the one it replaces kept under Drafts first.
import type { StoreApi } from 'zustand';
import type { KernelProfile } from '../engine';
import type { AppState } from '../store/app-store';
import { keepDraft, openDocument, type DraftPlaces } from './documents';
import { linkNotice, linkPrefix, type SharedState } from './url-state';

/** Runs `text` to `cursor` under `kernel`, then leaves `draft` in the editor. */
export async function show(
  store: StoreApi<AppState>,
  text: string,
  startMaps: string,
  cursor: number | null,
  draft: string,
  kernel: KernelProfile,
  pid: number | 'all' | null,
): Promise<void> {
  const s = store.getState;
  s().setText(text);
  s().setStartMaps(startMaps);
  s().setPid(pid);
  await s().setKernel(kernel);
  await s().run({ cursor: cursor ?? undefined });
  s().setText(draft);
}

/** A draft kept in the drafts database. */
type Draft = Parameters<typeof keepDraft>[2];

/**
 * Opens a shared link as a new document. The document it replaces on
 * screen (`replaced`) is kept under Drafts first, and said so when its text
 * differs from the link's.
 */
export async function openShared(
  store: StoreApi<AppState>,
  places: DraftPlaces,
  shared: SharedState,
  replaced: Draft | null,
): Promise<void> {
  const s = store.getState;
  if (replaced && replaced.text !== shared.text) {
    await keepDraft(store, places.drafts, replaced);
    s().reportSession(
      'The link opened as a new document; the draft that was here is kept under Drafts.',
    );
  }
  await openDocument(store, places, undefined, true);
  await show(
    store,
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
}

/** What a link that cannot be opened is reported with; `behind` says what is shown instead. */
export const damagedLink = (problem: string, hash: string, behind: string) =>
  `This link could not be opened: ${problem}. It stays in the address bar ` +
  `(${linkPrefix(hash)}) until you run or step; ${behind}.`;
