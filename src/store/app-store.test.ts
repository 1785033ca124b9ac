// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../engine';
import { createAppStore } from './app-store';

const engine = { run: async (text: string) => buildTimeline(text) };
const MMAP = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

describe('app store', () => {
  it('runs a scenario and lands on its last step', async () => {
    const store = createAppStore(engine);
    store.getState().setText(MMAP('0x200000000000'));
    await store.getState().run();
    const { timeline, cursor, status } = store.getState();
    expect(status).toBe('idle');
    expect(cursor).toBe(timeline!.steps.length - 1);
    expect(timeline!.steps[cursor].vmas.map((v) => v.maps)).toEqual([
      '200000000000-200000002000 rw-p 00000000 00:00 0 ',
    ]);
  });

  it('keeps the previous timeline when the new text does not parse', async () => {
    const store = createAppStore(engine);
    store.getState().setText(MMAP('0x200000000000'));
    await store.getState().run();
    const before = store.getState().timeline;
    store
      .getState()
      .setText('mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVAT, -1, 0)');
    await store.getState().run();
    expect(store.getState().timeline).toBe(before);
    expect(store.getState().diagnostics[0]).toMatchObject({ line: 1, column: 52 });
  });

  it('steps within bounds and plays to the end', async () => {
    const store = createAppStore(engine);
    store.getState().setText([MMAP('0x200000000000'), MMAP('0x200000002000')].join('\n'));
    await store.getState().run();
    const s = store.getState;
    const n = s().timeline!.steps.length;
    s().first();
    s().back();
    expect(s().cursor).toBe(0);
    s().forward();
    expect(s().cursor).toBe(1);
    s().last();
    s().forward();
    expect(s().cursor).toBe(n - 1);
    s().play();
    expect(s()).toMatchObject({ playing: true, cursor: 0 });
    for (let i = 0; i < n; i++) s().tick();
    expect(s()).toMatchObject({ playing: false, cursor: n - 1 });
  });
});
