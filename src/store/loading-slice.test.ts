// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine';
import { createAppStore } from './app-store';

describe('loading slice', () => {
  it('says what loads until it settles, failed or not', async () => {
    const store = createAppStore({ ...createEngineSession(), cancel() {} });
    const s = store.getState;
    let finish = () => {};
    const example = s().whileLoading('example', () => new Promise<void>((r) => (finish = r)));
    const failing = s().whileLoading('examples', () => Promise.reject(new Error('404')));
    await expect(failing).rejects.toThrow('404');
    expect(s().loading).toEqual(['example']);
    finish();
    await example;
    expect(s().loading).toEqual([]);
  });
});
