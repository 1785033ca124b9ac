// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario, type KernelEvent } from '../engine';
import { createAppStore } from './app-store';
import { MAX_RECORDING_BYTES, looksLikeRecording } from './recording-slice';
import { sessionPort } from './session-port.fixture';

const CALLS = [
  'mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'munmap(0x200000000000, 4K)',
];

/**
 * A recording of `calls` as the judge writes it, whose events are the
 * model's own (so every call agrees): what a kernel that behaves as modelled
 * would have recorded.
 */
function recordingOf(calls: string[]): string {
  const out = runScenario(calls.join('\n'));
  if (!out.ok) throw new Error('the scenario did not run');
  const events: KernelEvent[][] = calls.map(() => []);
  for (const step of out.steps)
    if (step.call >= 0) events[step.call].push(...(step.kernelEvents ?? []));
  expect(events[0].length).toBeGreaterThan(0);
  return JSON.stringify({
    results: calls.map((call, i) => ({ line: i + 1, call, ret: '0', events: events[i] })),
  });
}

async function shown(engine = sessionPort()) {
  const store = createAppStore(engine);
  const s = store.getState;
  s().setText(CALLS.join('\n'));
  await s().run({ cursor: 1 });
  return s;
}

describe('app store recording', () => {
  it('compares the run with a recording, and the step on screen gains the kernel’s side', async () => {
    const s = await shown();
    expect(s().stepData?.callEvents?.recorded).toBeNull();
    expect(await s().loadRecording('rec.json', recordingOf(CALLS))).toBe(true);
    // The kernel did what the model says.
    expect(s().recording).toMatchObject({ name: 'rec.json', covered: 2, confirmed: 2 });
    expect(s().stepData?.callEvents?.recorded).toMatchObject({
      status: 'confirmed',
      recording: 'rec.json',
    });
    await s().clearRecording();
    expect(s().recording).toBeNull();
    expect(s().stepData?.callEvents?.recorded).toBeNull();
  });

  it('refuses another scenario’s recording by line and column, keeping the one held', async () => {
    const s = await shown();
    await s().loadRecording('rec.json', recordingOf(CALLS));
    expect(await s().loadRecording('other.json', recordingOf([CALLS[0], 'munmap(0, 4K)']))).toBe(
      false,
    );
    expect(s().recordingMessage).toMatch(
      /^Could not use the recording other\.json:1:1: it is a recording of another scenario: at line 2 .* Still comparing with rec\.json\.$/,
    );
    expect(s().recording?.name).toBe('rec.json');
    await s().loadRecording('bad.json', '{\n "results": 3 }');
    expect(s().recordingMessage).toMatch(/^Could not use the recording bad\.json:1:1: /);
    s().dismissRecordingMessage();
    expect(s().recordingMessage).toBeNull();
  });

  it('gives a restarted worker the recording again', async () => {
    const engine = sessionPort();
    const s = await shown(engine);
    await s().loadRecording('rec.json', recordingOf(CALLS));
    engine.crash();
    await s().recover();
    expect(s().recording).toMatchObject({ name: 'rec.json', confirmed: 2 });
    expect(s().stepData?.callEvents?.recorded?.recording).toBe('rec.json');
  });

  it('says so when the worker stops before reading it', async () => {
    const engine = sessionPort();
    const s = await shown({
      ...engine,
      loadRecording: () =>
        Promise.reject(Object.assign(new Error('crashed'), { reason: 'crashed' })),
    });
    expect(await s().loadRecording('rec.json', recordingOf(CALLS))).toBe(false);
    expect(s().recordingMessage).toMatch(
      /^Could not use the recording rec\.json: the engine stopped/,
    );
  });

  it('tells a recording from other JSON without parsing it', () => {
    expect(looksLikeRecording(recordingOf(CALLS))).toBe(true);
    expect(looksLikeRecording('{"name": "host", "zeroPage": true}')).toBe(false);
    expect(looksLikeRecording('mmap(0, 4K, ...)')).toBe(false);
  });
});

describe('a recording file the user gives', () => {
  const file = (name: string, text: string, size = text.length) => ({
    name,
    size,
    text: async () => text,
  });

  it('is read and compared when it is a recording', async () => {
    const s = await shown();
    await s().openRecordingFile(file('r.json', recordingOf(CALLS)));
    expect(s().recording?.name).toBe('r.json');
  });

  it('is refused unread past the limit, and said not to be a recording when it is other JSON', async () => {
    const s = await shown();
    let read = false;
    await s().openRecordingFile({
      name: 'big.json',
      size: MAX_RECORDING_BYTES + 1,
      text: async () => {
        read = true;
        return '';
      },
    });
    expect(read).toBe(false);
    expect(s().recordingMessage).toBe(
      'Could not use the recording big.json: it is larger than 32 MB, the most read.',
    );
    await s().openRecordingFile(file('host.json', '{"name":"host"}'));
    expect(s().recordingMessage).toMatch(
      /^Could not use the recording host\.json: it is not a kernel recording/,
    );
    expect(s().recording).toBeNull();
  });
});
