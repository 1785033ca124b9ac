// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it, vi } from 'vitest';
import { LINUX_6_18, kernelProfileJson, type KernelProfile, createEngineSession } from '../engine';
import { createAppStore, type EnginePort } from '../store/app-store';
import { memoryDrafts } from './drafts';
import { DOCUMENT_KEY, type DraftPlaces } from './documents';
import { AUTOSAVE_KEY, persistSession, restoreSession } from './session';
import { encodeUrlState } from './url-state';

const HOST: KernelProfile = { ...LINUX_6_18, name: 'host', zeroPage: false };
const TEXT = 'mmap(0x200000000000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';

/** The hash of a link to TEXT at its first step, under `kernel`. */
const linkTo = (kernel: KernelProfile) =>
  encodeUrlState({ text: TEXT, cursor: 1, startMaps: '', kernel, pid: null });
const store = () => createAppStore({ ...createEngineSession(), cancel() {} } as EnginePort);
const at = (hash: string) => ({ hash }) as Location;
/** A drafts database and a tab of their own; `reloaded`: a tab that had a document. */
function places(drafts = memoryDrafts(), reloaded = false): DraftPlaces {
  const tab = new Map<string, string>(reloaded ? [[DOCUMENT_KEY, 'doc-a']] : []);
  return {
    drafts,
    tab: { getItem: (k) => tab.get(k) ?? null, setItem: (k, v) => void tab.set(k, v) },
  };
}
function storage(saved: unknown = null): Storage {
  const items = new Map<string, string>();
  if (typeof saved === 'string') items.set(AUTOSAVE_KEY, saved);
  else if (saved) items.set(AUTOSAVE_KEY, JSON.stringify(saved));
  return {
    getItem: (k: string) => items.get(k) ?? null,
    setItem: (k: string, v: string) => void items.set(k, v),
  } as Storage;
}

describe('opening a session: the process of a strace log', () => {
  const LOG = [
    '100 brk(NULL) = 0x555555559000',
    '101 brk(NULL) = 0x555555600000',
    '101 brk(0x555555621000) = 0x555555621000',
  ].join('\n');

  it('replays the pid a link names, and the pid the autosave kept', async () => {
    const linked = store();
    const hash = await encodeUrlState({
      text: LOG,
      cursor: 1,
      startMaps: '',
      kernel: LINUX_6_18,
      pid: 100,
    });
    await restoreSession(linked, at(`#${hash}`), storage(), places());
    expect(linked.getState()).toMatchObject({ timelinePid: 100 });

    const saved = store();
    const autosave = {
      text: LOG,
      shown: LOG,
      cursor: 0,
      hash: '',
      kernel: kernelProfileJson(LINUX_6_18),
      loadedKernels: [],
      pid: 'all',
    };
    await restoreSession(saved, at(''), storage(autosave), places());
    expect(saved.getState()).toMatchObject({ timelinePid: 'all' });
  });
});

describe('opening a session: the kernel profile', () => {
  it('opens a link under the profile it carries', async () => {
    const s = store();
    const hash = await linkTo(HOST);
    await restoreSession(s, at(`#${hash}`), storage(), places());
    expect(s.getState()).toMatchObject({ kernel: HOST, timelineKernel: HOST, cursor: 1 });
    expect(s.getState().kernelMessage).toBeNull();
  });

  it('runs a link whose profile is damaged on linux-6.18, and says so', async () => {
    const s = store();
    const hash = await linkTo(HOST);
    await restoreSession(s, at(`#${hash.replace(/kp=[\w-]+/, 'kp=AAAA')}`), storage(), places());
    expect(s.getState()).toMatchObject({ kernel: LINUX_6_18, timelineText: TEXT });
    expect(s.getState().kernelMessage).toMatch(/^Could not use the kernel profile in this link: /);
  });

  it('reopens the autosave under the profile chosen, with the loaded ones on offer', async () => {
    const s = store();
    const other = { ...HOST, name: 'other', pku: true };
    const saved = {
      text: TEXT,
      startMaps: '',
      shown: TEXT,
      cursor: 1,
      hash: '',
      kernel: kernelProfileJson(HOST),
      loadedKernels: [kernelProfileJson(HOST), kernelProfileJson(other), 'not a profile'],
    };
    await restoreSession(s, at(''), storage(saved), places());
    expect(s.getState()).toMatchObject({ kernel: HOST, timelineKernel: HOST });
    expect(s.getState().loadedKernels).toEqual([HOST, other]);
  });
});

describe('opening a session: damage is reported, never silently replaced', () => {
  const draft = { text: TEXT, startMaps: '', shown: TEXT, cursor: 0, hash: '#old' };

  it('reports a damaged link, opens the draft behind it and keeps the link', async () => {
    const s = store();
    const opened = await restoreSession(s, at('#s=AAAA'), storage(draft), places());
    expect(opened).toEqual({ keepLink: true });
    expect(s.getState().text).toBe(TEXT);
    expect(s.getState().sessionMessages).toEqual([
      'This link could not be opened: its scenario (s=) is damaged (cut short or altered). ' +
        "It stays in the address bar (#s=AAAA) until you run or step; the draft below is this browser's.",
    ]);
  });

  it('opens a good link with nothing to report', async () => {
    const s = store();
    const hash = await linkTo(LINUX_6_18);
    expect(await restoreSession(s, at(`#${hash}`), storage(draft), places())).toEqual({
      keepLink: false,
    });
    expect(s.getState().sessionMessages).toEqual([]);
  });

  it("opens another engine's link as it is, with a notice, not an error", async () => {
    const s = store();
    const hash = await linkTo(HOST);
    const older = hash.replace(/&e=[^&]+/, '&e=0.0.9');
    expect(await restoreSession(s, at(`#${older}`), storage(), places())).toEqual({
      keepLink: false,
    });
    expect(s.getState()).toMatchObject({ timelineText: TEXT, timelineKernel: HOST, cursor: 1 });
    expect(s.getState().kernelMessage).toBeNull();
    expect(s.getState().sessionMessages).toEqual([
      expect.stringMatching(/^This link was made by VMA Explorer 0\.0\.9; this is /),
    ]);
  });

  it('reports an autosave it cannot read, and keeps it aside', async () => {
    const s = store();
    const kept = storage('{"text": "mmap(');
    const hash = await linkTo(LINUX_6_18);
    await restoreSession(s, at(`#${hash}`), kept, places());
    expect(s.getState().sessionMessages).toEqual([
      'The autosaved draft could not be read: it is not JSON (damaged).',
    ]);
    expect(kept.getItem(`${AUTOSAVE_KEY}:damaged`)).toBe('{"text": "mmap(');
  });
});

const settle = () => new Promise((r) => setTimeout(r, 400));
/** A location whose hash history.replaceState changes, as a browser's does. */
function browser(hash: string) {
  const location = { hash } as Location;
  const replaced: string[] = [];
  const history = {
    replaceState: (_: unknown, __: string, url: string) => {
      replaced.push(url);
      location.hash = url;
    },
  } as unknown as History;
  return { location, history, replaced };
}

describe('keeping a session: drafts are not lost', () => {
  it('writes nothing after the page starts to go away: a reload finds its own link', async () => {
    const s = store();
    s.getState().setText(TEXT);
    await s.getState().run();
    s.getState().setText(`${TEXT}\n# typed just before the reload`);
    const { location, history, replaced } = browser('#old');
    const kept = storage();
    const page = new EventTarget();
    const stop = persistSession(s, location, history, kept, { keepLink: false }, page);
    // The URL write (compressing) is under way when the user reloads.
    page.dispatchEvent(new Event('pagehide'));
    await settle();
    stop();
    expect(replaced).toEqual([]);
    const saved = JSON.parse(kept.getItem(AUTOSAVE_KEY)!);
    expect(saved).toMatchObject({ hash: '#old', shown: TEXT, text: s.getState().text });
    // And the reload opens that autosave: the draft, not the old link.
    const reloaded = store();
    await restoreSession(reloaded, at('#old'), kept, places(memoryDrafts(), true));
    expect(reloaded.getState().text).toBe(`${TEXT}\n# typed just before the reload`);
  });

  it('takes a reload that loads the link before the last URL write for a reload', async () => {
    // The user reloaded, then the newer link was written: the reload loads the older one.
    const older = await encodeUrlState({
      text: 'brk(NULL)',
      cursor: 0,
      startMaps: '',
      kernel: LINUX_6_18,
      pid: null,
    });
    const newer = await linkTo(LINUX_6_18);
    const saved = {
      text: `${TEXT}\n# the draft`,
      startMaps: '',
      shown: TEXT,
      cursor: 1,
      hash: `#${newer}`,
      previousHash: `#${older}`,
    };
    const s = store();
    await restoreSession(s, at(`#${older}`), storage(saved), places(memoryDrafts(), true));
    expect(s.getState()).toMatchObject({ text: `${TEXT}\n# the draft`, timelineText: TEXT });
  });

  it('says so when the draft cannot be saved', async () => {
    const s = store();
    s.getState().setText(TEXT);
    await s.getState().run();
    const full = {
      getItem: () => null,
      setItem: () => {
        throw new DOMException('the quota has been exceeded', 'QuotaExceededError');
      },
    } as unknown as Storage;
    const { location, history } = browser('');
    const page = new EventTarget();
    const stop = persistSession(s, location, history, full, { keepLink: false }, page);
    page.dispatchEvent(new Event('pagehide'));
    stop();
    expect(s.getState().sessionMessages).toEqual([
      'Could not save the draft in this browser (storage is full): copy the text before you leave.',
    ]);
  });
});

describe('drafts: one per document, never overwritten by a link', () => {
  it('keeps the draft a link opens over, lists it, and opens it again', async () => {
    const drafts = memoryDrafts();
    const typed = {
      text: '# typed in a tab since closed',
      startMaps: '',
      shown: TEXT,
      cursor: 0,
      hash: '#other',
      documentId: 'doc-a',
      savedAt: 1000,
    };
    const s = store();
    const hash = await linkTo(LINUX_6_18);
    await restoreSession(s, at(`#${hash}`), storage(typed), places(drafts));
    expect(s.getState().text).toBe(TEXT);
    expect(s.getState().documentId).not.toBe('doc-a');
    expect(await drafts.list()).toMatchObject([{ id: 'doc-a', text: typed.text }]);
    expect(s.getState().keptDrafts).toMatchObject([{ id: 'doc-a', text: typed.text }]);
    expect(s.getState().sessionMessages).toEqual([
      'The link opened as a new document; the draft that was here is kept under Drafts.',
    ]);
    const linkDocument = s.getState().documentId;
    s.getState().openKeptDraft('doc-a');
    expect(s.getState()).toMatchObject({ documentId: 'doc-a', text: typed.text });
    expect(s.getState().keptDrafts).toMatchObject([{ id: linkDocument, text: TEXT }]);
  });

  it('brings back a draft too large for the autosave from the drafts database', async () => {
    const drafts = memoryDrafts();
    const big = `${TEXT}\n${'# a long draft\n'.repeat(1000)}`;
    await drafts.put({ id: 'doc-a', text: big, startMaps: '', savedAt: 2000 });
    const stale = {
      text: TEXT,
      startMaps: '',
      shown: TEXT,
      cursor: 0,
      hash: '',
      documentId: 'doc-a',
      savedAt: 1000,
    };
    const s = store();
    await restoreSession(s, at(''), storage(stale), places(drafts));
    expect(s.getState().text).toBe(big);
    expect(s.getState().documentId).toBe('doc-a');
  });
});

describe('a link pasted into an open tab (only the hash changes)', () => {
  const OTHER =
    'mmap(0x300000000000, 16K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
  const TYPED = `${TEXT}\n# typed, not run`;

  /** A tab open on TEXT with a draft typed over it, kept by persistSession. */
  async function openTab() {
    const drafts = memoryDrafts();
    const tab = places(drafts);
    const kept = storage();
    const s = store();
    const { location, history } = browser(`#${await linkTo(LINUX_6_18)}`);
    await restoreSession(s, location, kept, tab);
    s.getState().setText(TYPED);
    const page = new EventTarget();
    const stop = persistSession(s, location, history, kept, { keepLink: false }, page, tab);
    await settle();
    const pasted = `#${await encodeUrlState({
      text: OTHER,
      cursor: 2,
      startMaps: '',
      kernel: HOST,
      pid: null,
    })}`;
    const paste = () => {
      location.hash = pasted;
      page.dispatchEvent(new Event('hashchange'));
    };
    return { s, drafts, tab, kept, page, stop, paste, location };
  }

  it('opens it as a new document, and keeps the one it replaces as a draft', async () => {
    const { s, drafts, stop, paste } = await openTab();
    const before = s.getState().documentId;
    paste();
    await vi.waitFor(() => expect(s.getState().timelineText).toBe(OTHER));
    await settle();
    stop();
    expect(s.getState()).toMatchObject({ text: OTHER, cursor: 2, timelineKernel: HOST });
    expect(s.getState().documentId).not.toBe(before);
    expect(await drafts.list()).toContainEqual(
      expect.objectContaining({ id: before, text: TYPED }),
    );
    expect(s.getState().keptDrafts).toMatchObject([{ id: before, text: TYPED }]);
    expect(s.getState().sessionMessages).toEqual([
      'The link opened as a new document; the draft that was here is kept under Drafts.',
    ]);
  });

  it('is what a reload after it opens, not the autosave from before it', async () => {
    const { s, tab, kept, stop, paste, location } = await openTab();
    paste();
    await vi.waitFor(() => expect(s.getState().timelineText).toBe(OTHER));
    await settle();
    stop();
    const reloaded = store();
    await restoreSession(reloaded, at(location.hash), kept, tab);
    expect(reloaded.getState()).toMatchObject({
      timelineText: OTHER,
      text: OTHER,
      cursor: 2,
      timelineKernel: HOST,
    });
  });

  it('still opens on a reload that comes before it has opened', async () => {
    const { tab, kept, page, stop, paste, location } = await openTab();
    paste();
    page.dispatchEvent(new Event('pagehide'));
    await settle();
    stop();
    expect(JSON.parse(kept.getItem(AUTOSAVE_KEY)!)).not.toMatchObject({ hash: location.hash });
    const reloaded = store();
    await restoreSession(reloaded, at(location.hash), kept, tab);
    expect(reloaded.getState()).toMatchObject({ timelineText: OTHER, cursor: 2 });
  });

  it('reports a damaged link pasted, and leaves the document on screen', async () => {
    const { s, page, stop, location } = await openTab();
    location.hash = '#s=AAAA';
    page.dispatchEvent(new Event('hashchange'));
    await vi.waitFor(() => expect(s.getState().sessionMessages).toHaveLength(1));
    stop();
    expect(s.getState().sessionMessages[0]).toBe(
      'This link could not be opened: its scenario (s=) is damaged (cut short or altered). ' +
        'It stays in the address bar (#s=AAAA) until you run or step; ' +
        'the document on screen is unchanged.',
    );
    expect(s.getState()).toMatchObject({ text: TYPED, timelineText: TEXT });
  });
});
