// SPDX-License-Identifier: GPL-2.0-or-later
// A step by whole system call shows the call's change from the state before
// it: the maple tree's writes of all its internal steps, and the VMAs before
// it for the views to animate from; a step by one internal step does not.
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine';
import { createAppStore } from './app-store';
import { stepShown } from './step-shown.fixture';

const MMAP = (addr: string) =>
  `mmap(${addr}, 0x3000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
/** Two VMAs, then a munmap of the first one's middle page: two splits and a clear. */
const SPLIT = [MMAP('0x200000000000'), MMAP('0x200000004000'), 'munmap(0x200000001000, 0x1000)'];

describe('callChange', () => {
  it('brings the whole call’s tree writes and the VMAs before the call', async () => {
    const store = createAppStore({ ...createEngineSession(), cancel() {} });
    const s = store.getState;
    s().setText(SPLIT.join('\n'));
    await s().run();
    const [, second, third] = s().timeline!.calls.map((c) => c.lastStep);
    s().goTo(second);
    await stepShown(store);
    s().forward('call');
    await stepShown(store);
    expect(s().callChange).toEqual({ step: third, from: second });
    const { maple } = s().stepData!;
    expect(maple.call).toEqual({ from: second, to: third });
    expect(maple.changes?.storeTypes.length).toBeGreaterThan(1);
    expect(s().stepData!.before?.step).toBe(second);
    expect(s().stepData!.before?.rows.map((r) => r.start)).toEqual([
      0x200000000000, 0x200000004000,
    ]);
    expect(s().stepData!.summary.count).toBe(3);

    s().back('step');
    await stepShown(store);
    s().forward('step');
    await stepShown(store);
    expect(s().stepData!.maple.call).toBeUndefined();
    expect(s().stepData!.maple.changes).toBeNull();
    expect(s().stepData!.before).toBeUndefined();
  });
});
