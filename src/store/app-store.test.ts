// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { buildTimeline } from '../engine';
import { createAppStore } from './app-store';

const engine = { run: async (text: string) => buildTimeline(text), cancel() {} };
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

  it('steps by whole system calls, forwards and back', async () => {
    const store = createAppStore(engine);
    const s = store.getState;
    s().setText(
      [MMAP('0x200000000000'), MMAP('0x200000002000'), 'munmap(0x200000001000, 4K)'].join('\n'),
    );
    await s().run({ cursor: 0 });
    const ends = s().timeline!.calls.map((c) => c.lastStep);
    expect(s().cursor).toBe(0);
    s().forward('call');
    expect(s().cursor).toBe(ends[0]);
    s().forward('call');
    expect(s().cursor).toBe(ends[1]);
    s().forward();
    expect(s().cursor).toBe(ends[1] + 1);
    s().back('call');
    expect(s().cursor).toBe(ends[1]);
    s().back('call');
    s().back('call');
    expect(s().cursor).toBe(0);
    s().forward('call');
    s().forward('call');
    s().forward('call');
    s().forward('call');
    expect(s().cursor).toBe(s().timeline!.steps.length - 1);
  });
});

describe('app store when the engine stops', () => {
  const stopped = (reason: string) => Object.assign(new Error(reason), { reason });

  it('keeps the timeline when a run is cancelled or the worker crashes', async () => {
    let next: 'ok' | 'cancelled' | 'crashed' | 'model' = 'ok';
    const flaky = {
      run: async (text: string) => {
        if (next === 'ok') return buildTimeline(text);
        if (next === 'model') return { ok: false as const, crash: 'VM_WARN_ON' };
        throw stopped(next);
      },
      cancel() {},
    };
    const store = createAppStore(flaky);
    const s = store.getState;
    s().setText(MMAP('0x200000000000'));
    await s().run();
    const before = s().timeline;
    for (const kind of ['cancelled', 'crashed', 'model'] as const) {
      next = kind;
      s().setText(MMAP('0x200000004000'));
      await s().run();
      expect(s().timeline).toBe(before);
      expect(s().status).toBe('idle');
      expect(s().engineMessage).toMatch(/cancelled|crashed|VM_WARN_ON/);
    }
  });

  it('replays the shown scenario to the same step after a crash', async () => {
    const store = createAppStore(engine);
    const s = store.getState;
    s().setText([MMAP('0x200000000000'), MMAP('0x200000004000')].join('\n'));
    await s().run({ cursor: 2 });
    s().setText('typed but not run');
    await s().recover();
    expect(s().cursor).toBe(2);
    expect(s().text).toBe('typed but not run');
    const fresh = buildTimeline([MMAP('0x200000000000'), MMAP('0x200000004000')].join('\n'));
    expect(fresh.ok && s().timeline!.steps.length === fresh.timeline.steps.length).toBe(true);
    expect(s().engineMessage).toMatch(/restarted and replayed/);
  });
});
