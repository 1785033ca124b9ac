// SPDX-License-Identifier: GPL-2.0-or-later
// A recording held against a run: refused when it is another scenario's,
// and compared call by call with the model's events (hand-made here, on
// both sides, so the test does not depend on what the model emits).
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { createEngineSession } from './engine-session';
import { HeldRecording, callEvents } from './recording-session';
import { runScenario, type Step } from './run';

const MMAP = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
const SCENARIO = [MMAP('0x200000000000'), '@note("one VMA")', MMAP('0x200000002000')].join('\n');

const alloc = (call: number, id: string): KernelEvent => ({
  kind: 'alloc',
  call,
  cache: 'vm_area_struct',
  id,
  site: 'vm_area_alloc',
});
/** A store of the range 0x200000000000-0x200000001fff into a node spanning the whole tree. */
const RANGE = { min: '0x0', max: '0xffffffffffffffff', index: '0x200000000000', piv: '0x0' };
const write = (call: number, node: string, entry: string, fn: string): KernelEvent => ({
  ...RANGE,
  kind: 'ma_write',
  last: '0x200000001fff',
  call,
  fn,
  node,
  entry,
});

/** The kernel's side: the first call allocates and stores vma1, the third grows it in place. */
const KERNEL: KernelEvent[][] = [
  [alloc(0, 'vma1'), write(0, 'node?1', 'vma1', 'mas_store_prealloc')],
  [],
  [write(2, 'node?1', 'vma1', 'mas_wr_slot_store')],
];

function recordingText(events = KERNEL, calls?: string[]): string {
  const texts = calls ?? SCENARIO.split('\n');
  return JSON.stringify({
    results: texts.map((call, i) => ({
      line: i + 1,
      call,
      ret: '0',
      expected: null,
      match: true,
      events: events[i] ?? [],
    })),
    kernel: { release: '6.18.0' },
  });
}

/** A run whose steps carry only the given events, on their calls' first steps. */
function runWith(model: KernelEvent[][]) {
  const out = runScenario(SCENARIO, 'scn', { kernelEvents: false });
  if (!out.ok) throw new Error('did not run');
  out.calls.forEach((_, i) => {
    const first = i === 0 ? 1 : out.calls[i - 1].lastStep + 1;
    (out.steps[first] as Step & { kernelEvents?: KernelEvent[] }).kernelEvents = model[i];
  });
  return out;
}

const held = (text = recordingText()) => {
  const h = HeldRecording.parse(text, 'rec.json');
  if (!(h instanceof HeldRecording)) throw new Error(h.message);
  return h;
};

describe('a recording held against a run', () => {
  it('confirms the calls whose events agree, binding names across calls', () => {
    const out = runWith([
      [alloc(0, 'vma3'), write(0, 'node 1', 'vma3', 'mas_store_prealloc')],
      [],
      [write(2, 'node 1', 'vma3', 'mas_wr_slot_store')],
    ]);
    const h = held();
    expect(h.compare(out.calls, out.steps)).toBeNull();
    expect(h.summary(out.calls)).toEqual({
      name: 'rec.json',
      release: '6.18.0',
      covered: 3,
      mismatch: null,
      calls: ['confirmed', null, 'confirmed'],
      confirmed: 2,
      different: 0,
      program: null,
    });
    const first = callEvents(out.calls, out.steps, 1, h);
    expect(first).toMatchObject({ call: 0, line: 1, stepFrom: 0, stepTo: 2 });
    expect(first?.recorded).toMatchObject({ status: 'confirmed', differences: [] });
  });

  it('names each difference, and holds an object to the name it was bound to', () => {
    const out = runWith([
      [alloc(0, 'vma3'), write(0, 'node 1', 'vma3', 'mas_store_prealloc')],
      [],
      // Another fn, and vma4 where the kernel stores the vma1 it bound to vma3.
      [write(2, 'node 1', 'vma4', 'mas_wr_node_store')],
    ]);
    const h = held();
    h.compare(out.calls, out.steps);
    expect(h.summary(out.calls).calls).toEqual(['confirmed', null, 'different']);
    const last = out.calls[2].lastStep;
    const data = callEvents(out.calls, out.steps, last, h);
    expect(data?.recorded?.differences.map((d) => d.text)).toEqual([
      'ma_write #1: fn mas_wr_node_store (model), mas_wr_slot_store (kernel)',
      'ma_write #1: entry vma4 (model), vma1 (kernel)',
    ]);
    // The call's last step (its own) emitted none of them.
    expect(data).toMatchObject({ stepFrom: 1, stepTo: 1 });
  });

  it('leaves the kinds it does not compare out of the events of a call, and their count', () => {
    const node: KernelEvent = {
      kind: 'alloc',
      call: 0,
      cache: 'maple_node',
      id: 'node1',
      site: 'mas_alloc_nodes',
    };
    const fault: KernelEvent = { kind: 'fault', call: 0, address: '0x200000000000', errorCode: 6 };
    const out = runWith([
      [node, alloc(0, 'vma3'), fault, write(0, 'node 1', 'vma3', 'mas_store_prealloc')],
      [],
      [write(2, 'node 1', 'vma3', 'mas_wr_slot_store')],
    ]);
    const h = held();
    h.compare(out.calls, out.steps);
    expect(h.summary(out.calls).calls).toEqual(['confirmed', null, 'confirmed']);
    const data = callEvents(out.calls, out.steps, 1, h);
    expect(data?.model.map((e) => e.kind)).toEqual(['alloc', 'ma_write']);
    expect(data).toMatchObject({ stepFrom: 0, stepTo: 2 });
  });

  it('shows every call as different while the model emits no events', () => {
    const out = runScenario(SCENARIO);
    if (!out.ok) throw new Error('did not run');
    const h = held();
    h.compare(out.calls, out.steps);
    expect(h.summary(out.calls).calls).toEqual(['different', null, 'different']);
  });

  it('covers the calls it recorded, and no more', () => {
    const out = runWith([[], [], []]);
    const h = held(recordingText([[], []], SCENARIO.split('\n').slice(0, 2)));
    expect(h.compare(out.calls, out.steps)).toBeNull();
    expect(h.summary(out.calls)).toMatchObject({ covered: 2, calls: ['confirmed', null, null] });
    expect(h.recorded(2)).toBeNull();
  });
});

describe('the engine session with a recording', () => {
  it('refuses another scenario’s recording, naming the line, and keeps the one held', async () => {
    const session = createEngineSession();
    await session.run({ text: SCENARIO });
    const good = await session.loadRecording(recordingText(), 'good.json');
    expect(good).toMatchObject({ ok: true, summary: { name: 'good.json', covered: 3 } });
    const other = SCENARIO.split('\n');
    other[2] = MMAP('0x200000004000');
    const refused = await session.loadRecording(recordingText(KERNEL, other), 'other.json');
    expect(refused).toMatchObject({ ok: false, diagnostics: [{ file: 'other.json', line: 1 }] });
    if (refused.ok) return;
    expect(refused.diagnostics[0].message).toBe(
      `it is a recording of another scenario: at line 3 the scenario has ${MMAP('0x200000002000')}, ` +
        `the recording (line 3) ${MMAP('0x200000004000')}`,
    );
    const step = await session.step(1);
    expect(step?.callEvents?.recorded?.recording).toBe('good.json');
  });

  it('reports a damaged recording by line and column, and never throws', async () => {
    const session = createEngineSession();
    const bad = await session.loadRecording('{"results": [\n  {"line": 1,}]}', 'bad.json');
    expect(bad).toMatchObject({ ok: false, diagnostics: [{ file: 'bad.json', line: 2 }] });
    const noEvents = await session.loadRecording('{"results":[{"line":1,"call":"x"}]}', 'n.json');
    expect(noEvents).toMatchObject({ ok: false });
    if (!noEvents.ok) expect(noEvents.diagnostics[0].message).toMatch(/record with --events/);
  });

  it('compares each later run, and says when the run is not the recording’s', async () => {
    const session = createEngineSession();
    expect(await session.loadRecording(recordingText(), 'r.json')).toMatchObject({ ok: true });
    const same = await session.run({ text: SCENARIO });
    expect(same).toMatchObject({ ok: true, recording: { covered: 3, mismatch: null } });
    const other = await session.run({ text: MMAP('0x200000008000') });
    expect(other).toMatchObject({ ok: true, recording: { covered: 0, calls: [null] } });
    if (other.ok) expect(other.recording?.mismatch).toMatch(/^it is a recording of another/);
    expect((await session.step(1))?.callEvents?.recorded).toBeNull();
    await session.clearRecording();
    expect(await session.run({ text: SCENARIO })).toMatchObject({ ok: true, recording: null });
  });
});
