// SPDX-License-Identifier: GPL-2.0-or-later
// Opening a file replaces the document on screen, which is kept as a draft;
// the pid chosen for a strace log goes with the run.
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine';
import { createAppStore, type EnginePort } from './app-store';

const engine = (): EnginePort => ({ ...createEngineSession(), cancel() {} });
const LOG = [
  '10 12:00:00.000001 brk(NULL) = 0x555555559000',
  '11 12:00:00.000002 brk(NULL) = 0x666666669000',
  '11 12:00:00.000003 brk(0x66666668a000) = 0x66666668a000',
].join('\n');

describe('opening a document', () => {
  it('keeps the text it replaces as a draft of another document', () => {
    const store = createAppStore(engine());
    store.setState({ documentId: 'doc1' });
    store.getState().setText('munmap(0x200000000000, 4096)');
    store.getState().openDocument({ text: LOG, startMaps: '' });
    const s = store.getState();
    expect(s.text).toBe(LOG);
    expect(s.documentId).not.toBe('doc1');
    expect(s.keptDrafts[0]).toMatchObject({ id: 'doc1', text: 'munmap(0x200000000000, 4096)' });
  });

  it('replaces only the starting maps for a dump', () => {
    const store = createAppStore(engine());
    store.getState().setText('munmap(0x200000000000, 4096)');
    store.getState().openDocument({ startMaps: '7f0000000000-7f0000001000 r--p 0 00:00 0' });
    expect(store.getState().text).toBe('munmap(0x200000000000, 4096)');
    expect(store.getState().startMaps).toMatch(/^7f0000000000/);
  });

  it('replays the process picked, and by default the one with most calls', async () => {
    const store = createAppStore(engine());
    store.getState().openDocument({ text: LOG, startMaps: '' });
    await store.getState().run();
    expect(store.getState().timeline?.log).toMatchObject({ pid: 11 });
    store.getState().setPid(10);
    await store.getState().run();
    expect(store.getState().timeline?.log).toMatchObject({ pid: 10 });
    expect(store.getState().timelinePid).toBe(10);
    expect(store.getState().timeline?.calls.every((c) => c.match)).toBe(true);
  });
});
