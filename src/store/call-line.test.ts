// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine';
import { createAppStore, type EnginePort } from './app-store';
import { callLineAt } from './call-line';

const engine = (): EnginePort => ({ ...createEngineSession(), cancel() {} });
const TEXT = [
  '# two mappings, then a hole punched in the first',
  'mmap(0x200000000000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'mmap(0x200000010000, 16K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'munmap(0x200000001000, 4K)',
].join('\n');

describe('the line of the call on screen', () => {
  it('follows the cursor, and a line goes to its call', async () => {
    const store = createAppStore(engine());
    store.getState().setText(TEXT);
    await store.getState().run();
    // A run opens at its first step: go to the last call's.
    store.getState().last();
    const line = () => callLineAt(store.getState().timeline!, store.getState().cursor);
    expect(line()).toBe(4);
    expect(callLineAt(store.getState().timeline!, 0)).toBeNull();

    store.getState().goToLine(2);
    expect(line()).toBe(2);
    expect(store.getState().cursor).toBe(store.getState().timeline!.calls[0].lastStep);

    // Within a call, its own line keeps the step on screen; a comment moves nothing.
    store.getState().goToLine(4);
    store.getState().back();
    const inside = store.getState().cursor;
    expect(line()).toBe(4);
    store.getState().goToLine(4);
    store.getState().goToLine(1);
    expect(store.getState().cursor).toBe(inside);
  });

  it('once the text is edited, its lines no longer name the steps', async () => {
    const store = createAppStore(engine());
    store.getState().setText(TEXT);
    await store.getState().run();
    const last = store.getState().cursor;
    store.getState().setText(`\n${TEXT}`);
    store.getState().goToLine(2);
    expect(store.getState().cursor).toBe(last);
  });
});
