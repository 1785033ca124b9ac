// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../../engine';
import { rowOrder } from './row-order';

const MMAP = (addr: string) =>
  `mmap(${addr}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

describe('rowOrder', () => {
  it("puts each call's row before its internal steps, keeping mm_init first", async () => {
    const session = createEngineSession();
    const reply = await session.run({
      text: [MMAP('0x200000000000'), '@note("one VMA")', 'munmap(0x200000001000, 0x1000)'].join(
        '\n',
      ),
      startMaps: '',
    });
    if (!reply.ok || !('timeline' in reply)) throw new Error('the scenario did not run');
    const { timeline } = reply;
    const { stepAt, rowOf } = rowOrder(timeline);
    const [mmap, note, munmap] = timeline.calls.map((c) => c.lastStep);
    expect([...stepAt]).toEqual([
      0,
      mmap,
      ...Array.from({ length: mmap - 1 }, (_, i) => i + 1),
      note,
      munmap,
      ...Array.from({ length: munmap - note - 1 }, (_, i) => note + 1 + i),
    ]);
    for (let row = 0; row < stepAt.length; row++) expect(rowOf[stepAt[row]]).toBe(row);
  });
});
