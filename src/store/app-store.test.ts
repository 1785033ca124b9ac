// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { type EngineApi, createEngineSession } from '../engine';
import { createAppStore, type EnginePort } from './app-store';
import { stepShown } from './step-shown.fixture';

const engine = (): EnginePort => ({ ...createEngineSession(), cancel() {} });
const MMAP = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
const TWO = [MMAP('0x200000000000'), MMAP('0x200000004000')].join('\n');

describe('app store', () => {
  it('runs a scenario and lands on its first step, address space and all', async () => {
    const store = createAppStore(engine());
    store.getState().setText(MMAP('0x200000000000'));
    await store.getState().run();
    expect(store.getState()).toMatchObject({ status: 'idle', cursor: 0 });
    expect(store.getState().stepData!.step).toBe(0);
    store.getState().last();
    const { timeline, cursor } = store.getState();
    expect(cursor).toBe(timeline!.steps.length - 1);
    await stepShown(store);
    const { stepData } = store.getState();
    expect(stepData!.step).toBe(cursor);
    expect(stepData!.rows.map((v) => v.maps)).toEqual([
      '200000000000-200000002000 rw-p 00000000 00:00 0 ',
    ]);
    expect([...stepData!.summary.starts]).toEqual([0x200000000000]);
  });

  it('keeps the previous timeline when the new text does not parse', async () => {
    const store = createAppStore(engine());
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

  it('fetches the address space of each step the cursor visits, newest first', async () => {
    const store = createAppStore(engine());
    const s = store.getState;
    s().setText(TWO);
    await s().run();
    s().first();
    s().forward();
    s().forward();
    s().back();
    await stepShown(store);
    expect(s().stepData!.step).toBe(s().cursor);
    s().first();
    await stepShown(store);
    expect(s().stepData).toMatchObject({ step: 0, rows: [] });
    s().last();
    await stepShown(store);
    expect(s().stepData!.rows).toHaveLength(2);
    expect(s().stepData!.diff).toEqual({ added: [], removed: [], changed: [] });
  });

  it('steps within bounds and plays to the end', async () => {
    const store = createAppStore(engine());
    store.getState().setText(TWO);
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
    const store = createAppStore(engine());
    const s = store.getState;
    s().setText([TWO, 'munmap(0x200000001000, 4K)'].join('\n'));
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
    for (let i = 0; i < 4; i++) s().forward('call');
    expect(s().cursor).toBe(s().timeline!.steps.length - 1);
  });
});

describe('app store selection, settings and speed', () => {
  it('hovers and toggles a selected VMA, shows smaps on request, bounds the speed', () => {
    const s = createAppStore(engine()).getState;
    s().hoverVma(3);
    s().toggleVma(3);
    expect(s()).toMatchObject({ hoveredVma: 3, selectedVma: 3 });
    s().toggleVma(3);
    s().hoverVma(null);
    expect(s()).toMatchObject({ hoveredVma: null, selectedVma: null });
    s().setShowSmaps(true);
    expect(s().showSmaps).toBe(true);
    s().setSpeed(1000);
    expect(s().speed).toBe(60);
    s().setSpeed(0);
    expect(s().speed).toBe(0.25);
  });
});

describe('app store progress', () => {
  it('shows how far a run has come, then clears it', async () => {
    const store = createAppStore(engine());
    const seen: number[] = [];
    store.subscribe((s, prev) => {
      if (s.progress && s.progress !== prev.progress) seen.push(s.progress.done);
    });
    store
      .getState()
      .setText(Array.from({ length: 1200 }, () => 'munmap(0x200000000000, 4K)').join('\n'));
    await store.getState().run();
    expect(seen).toEqual([0, 500, 1000, 1200]);
    expect(store.getState().progress).toBeNull();
  });
});

describe('app store when the engine stops', () => {
  const stopped = (reason: string) => Object.assign(new Error(reason), { reason });

  it('keeps the timeline when a run is cancelled, the worker crashes or goes silent, or the model fails', async () => {
    const real = createEngineSession();
    let next: 'ok' | 'cancelled' | 'crashed' | 'silent' | 'model' = 'ok';
    const flaky: EnginePort = {
      ...real,
      run: async (request) => {
        if (next === 'ok') return real.run(request);
        if (next === 'model') return { ok: false, crash: 'VM_WARN_ON' };
        throw stopped(next);
      },
      cancel() {},
    };
    const store = createAppStore(flaky);
    const s = store.getState;
    s().setText(MMAP('0x200000000000'));
    await s().run();
    const before = s().timeline;
    for (const kind of ['cancelled', 'crashed', 'silent', 'model'] as const) {
      next = kind;
      s().setText(MMAP('0x200000004000'));
      await s().run();
      expect(s().timeline).toBe(before);
      expect(s().status).toBe('idle');
      expect(s().engineMessage).toMatch(/cancelled|crashed|stopped answering|VM_WARN_ON/);
      next = 'ok';
    }
  });

  it('replays the shown scenario to the same step after a crash', async () => {
    let session: EngineApi = createEngineSession();
    const port: EnginePort = {
      run: (request) => session.run(request),
      check: (t, i) => session.check(t, i),
      step: (i) => session.step(i),
      rows: (i, f, c) => session.rows(i, f, c),
      diff: (a, b) => session.diff(a, b),
      traceJson: () => session.traceJson(),
      quiz: () => session.quiz(),
      stepTexts: (f, c) => session.stepTexts(f, c),
      loadRecording: (t, n) => session.loadRecording(t, n),
      clearRecording: () => session.clearRecording(),
      compareRecordings: (a, b) => session.compareRecordings(a, b),
      cancel() {},
    };
    const store = createAppStore(port);
    const s = store.getState;
    s().setText(TWO);
    await s().run({ cursor: 2 });
    const shown = s().stepData;
    // The worker died: a new one knows nothing of the run.
    session = createEngineSession();
    s().setText('typed but not run');
    await s().recover();
    expect(s()).toMatchObject({ cursor: 2, text: 'typed but not run' });
    expect(s().stepData!.rows).toEqual(shown!.rows);
    expect(s().engineMessage).toMatch(/restarted and replayed/);
  });
});

describe('app store exports', () => {
  it('gives the run as a trace document, and nothing before a run', async () => {
    const store = createAppStore(engine());
    const s = store.getState;
    expect(await s().traceJson()).toBeNull();
    s().setText(TWO);
    await s().run();
    const trace = JSON.parse((await s().traceJson()) ?? 'null') as { steps: unknown[] };
    expect(trace.steps.length).toBe(s().timeline!.steps.length);
  });

  it("shows a whole call's change after a step by system call", async () => {
    const store = createAppStore(engine());
    const s = store.getState;
    s().setText(TWO);
    await s().run();
    const [first, second] = s().timeline!.calls.map((c) => c.lastStep);
    // The call's own step changes nothing after its last internal step...
    s().goTo(first);
    await stepShown(store);
    expect(s().stepData!.diff.added).toEqual([]);
    // ...but stepped to by whole calls, it shows what the call did.
    s().forward('call');
    expect(s().cursor).toBe(second);
    await stepShown(store);
    expect(s().stepData!.diff.added).toHaveLength(1);
    s().back('call');
    await stepShown(store);
    expect(s().stepData!.diff.added).toHaveLength(1);
    s().back('step');
    await stepShown(store);
    s().forward('step');
    await stepShown(store);
    expect(s().stepData!.diff.added).toEqual([]);
  });
});
