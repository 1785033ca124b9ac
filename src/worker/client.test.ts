// SPDX-License-Identifier: GPL-2.0-or-later
// The worker client against a stand-in worker on a MessageChannel: one that
// dies without an error event is found by its missing heartbeat, replaced,
// and the call waiting on it fails instead of hanging.
import { expose } from 'comlink';
import { afterEach, describe, expect, it } from 'vitest';
import { createEngineClient, EngineStopped, type EngineClient } from './client';
import { type WorkerApi, createEngineSession } from '../engine';

/** A worker whose engine is real and that can be made to go silent, as if killed. */
function standIn() {
  const { port1, port2 } = new MessageChannel();
  const timers: ReturnType<typeof setInterval>[] = [];
  let silent = false;
  const session = createEngineSession();
  const api: WorkerApi = {
    ...session,
    async run(request, onProgress) {
      // A run under way when the worker dies never answers.
      if (silent) return new Promise(() => {});
      return session.run(request, onProgress);
    },
    async heartbeat(beat, everyMs) {
      timers.push(setInterval(() => !silent && void beat(), everyMs));
    },
  };
  expose(api, port2);
  const worker = Object.assign(port1, {
    terminate() {
      timers.forEach(clearInterval);
      port1.close();
      port2.close();
    },
  }) as unknown as Worker;
  return { worker, die: () => (silent = true) };
}

describe('the worker client', () => {
  let client: EngineClient | null = null;
  afterEach(() => client?.close());

  /** A client on stand-in workers beating every 20 ms; the workers it spawned. */
  function watched(): ReturnType<typeof standIn>[] {
    const spawned: ReturnType<typeof standIn>[] = [];
    client = createEngineClient(
      () => {
        spawned.push(standIn());
        return spawned[spawned.length - 1].worker;
      },
      { everyMs: 20, silentMs: 150 },
    );
    return spawned;
  }

  it('replaces a worker that stops beating and fails the call that waited on it', async () => {
    const spawned = watched();
    const text = 'brk(NULL)';
    expect(await client!.run({ text })).toMatchObject({ ok: true });
    spawned[0].die();
    const failed = await client!.run({ text }).catch((e: unknown) => e);
    expect(failed).toBeInstanceOf(EngineStopped);
    expect((failed as EngineStopped).reason).toBe('silent');
    expect(spawned).toHaveLength(2);
    // The new worker answers.
    expect(await client!.run({ text })).toMatchObject({ ok: true });
  });

  it('leaves a worker that keeps beating alone', async () => {
    const spawned = watched();
    await new Promise((r) => setTimeout(r, 400));
    expect(await client!.run({ text: 'brk(NULL)' })).toMatchObject({ ok: true });
    expect(spawned).toHaveLength(1);
  });
});
