// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { LINUX_6_18, kernelProfileJson, type KernelProfile, type RunRequest } from '../engine';
import { createAppStore, type EnginePort } from './app-store';
import { sessionPort } from './session-port.fixture';
import { stepShown } from './step-shown.fixture';

const HOST: KernelProfile = { ...LINUX_6_18, name: 'host', zeroPage: false, thp: 'madvise' };
// mprotect_fixup() keeps VM_ACCOUNT (`ac`) only where a fault attached an anon_vma.
const SCENARIO = [
  'mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@read(0x200000000000)',
  'mprotect(0x200000000000, 8K, PROT_READ)',
].join('\n');

/** The engine in this process, remembering the kernel of each run it was asked for. */
function recordingEngine(): EnginePort & { kernels: (string | undefined)[]; crash(): void } {
  const port = sessionPort();
  const kernels: (string | undefined)[] = [];
  return {
    ...port,
    kernels,
    run: (request: RunRequest, onProgress) => {
      kernels.push(request.kernel?.name);
      return port.run(request, onProgress);
    },
  };
}

async function shown(port: EnginePort = recordingEngine()) {
  const store = createAppStore(port);
  const s = store.getState;
  s().setText(SCENARIO);
  // The end of the @read: step 5 on mainline, 6 where the fault takes an anon_vma.
  await s().run({ cursor: 5 });
  /** The state, and a promise for the step under the cursor once it has arrived. */
  return Object.assign(s, { stepShown: () => stepShown(store) });
}

describe('app store kernel profile', () => {
  it('models linux-6.18 until told otherwise', async () => {
    const s = await shown();
    expect(s()).toMatchObject({
      kernel: LINUX_6_18,
      timelineKernel: LINUX_6_18,
      loadedKernels: [],
    });
    s().last();
    await s.stepShown();
    expect(s().stepData!.rows[0].flags).not.toContain('ac');
  });

  it('loads a profile file, offers it and re-runs the scenario under it at the same step', async () => {
    const engine = recordingEngine();
    const s = await shown(engine);
    const before = s().timeline;
    await s().loadKernelFile('host.json', kernelProfileJson(HOST));
    expect(s()).toMatchObject({ kernelMessage: null, cursor: 6, status: 'idle' });
    expect(s().kernel).toEqual(HOST);
    expect(s().timelineKernel).toEqual(HOST);
    expect(s().loadedKernels).toEqual([HOST]);
    expect(s().timeline).not.toBe(before);
    expect(engine.kernels).toEqual(['linux-6.18', 'host']);
    s().last();
    await s.stepShown();
    expect(s().stepData!.rows[0].flags).toContain('ac');
    // Back to the default: the loaded profile stays on offer.
    await s().setKernel(LINUX_6_18);
    expect(s()).toMatchObject({ kernel: LINUX_6_18, timelineKernel: LINUX_6_18, cursor: 8 });
    expect(s().loadedKernels.map((k) => k.name)).toEqual(['host']);
  });

  it('refuses a bad file by name and field and keeps the profile in use', async () => {
    const s = await shown();
    await s().loadKernelFile('host.json', kernelProfileJson(HOST));
    const timeline = s().timeline;
    const bad = kernelProfileJson(HOST).replace('"zeroPage": false', '"zeroPage": "no"');
    await s().loadKernelFile('broken.json', bad);
    expect(s().kernelMessage).toBe(
      'Could not use the kernel profile broken.json: field "zeroPage": expected true or false. ' +
        'Still modelling host.',
    );
    expect(s().kernel).toEqual(HOST);
    expect(s().timeline).toBe(timeline);
    // The next good choice clears the message, and so does the user.
    await s().setKernel(LINUX_6_18);
    expect(s().kernelMessage).toBeNull();
    s().refuseKernel('in this link: field "thp": expected "always", "madvise" or "never"');
    expect(s().kernelMessage).toMatch(/in this link: field "thp".*Still modelling linux-6.18\.$/);
    s().dismissKernelMessage();
    expect(s().kernelMessage).toBeNull();
  });

  it('takes a copy of linux-6.18 for linux-6.18, and a newer file for an older of its name', async () => {
    const s = await shown();
    await s().loadKernelFile('mainline.json', kernelProfileJson(LINUX_6_18));
    expect(s().kernel).toBe(LINUX_6_18);
    expect(s().loadedKernels).toEqual([]);
    await s().setKernel(HOST);
    const other = { ...HOST, name: 'other' };
    await s().setKernel(other);
    const newer = { ...HOST, pku: true };
    await s().setKernel(newer);
    expect(s().loadedKernels).toEqual([newer, other]);
    expect(s().kernel).toBe(newer);
  });

  it('sets the profile without a run when nothing is on screen yet', async () => {
    const engine = recordingEngine();
    const store = createAppStore(engine);
    await store.getState().setKernel(HOST);
    expect(store.getState()).toMatchObject({ kernel: HOST, timeline: null });
    expect(engine.kernels).toEqual([]);
  });

  it('replays the run on screen under its own kernel after a crash', async () => {
    const engine = recordingEngine();
    const s = await shown(engine);
    await s().setKernel(HOST);
    engine.crash();
    await s().recover();
    expect(engine.kernels).toEqual(['linux-6.18', 'host', 'host']);
    expect(s().timelineKernel).toEqual(HOST);
  });
});
