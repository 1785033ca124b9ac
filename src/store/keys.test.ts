// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { createEngineSession } from '../engine';
import { createAppStore } from './app-store';
import { KEYS, bindingFor } from './keys';

describe('KEYS', () => {
  it('lists each key once and finds the binding of a press', () => {
    expect(new Set(KEYS.map((k) => k.label)).size).toBe(KEYS.length);
    expect(bindingFor({ key: 'ArrowLeft', shiftKey: false })?.does).toBe('Back one step');
    expect(bindingFor({ key: 'ArrowLeft', shiftKey: true })?.does).toBe('Back one system call');
    // `?` is a shifted key on most layouts.
    expect(bindingFor({ key: '?', shiftKey: true })?.label).toBe('?');
    expect(bindingFor({ key: 'ArrowUp', shiftKey: false })).toBeUndefined();
  });

  it('runs what it lists', async () => {
    const store = createAppStore({ ...createEngineSession(), cancel() {} });
    const s = store.getState;
    s().setText(
      'mmap(0x200000000000, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
    );
    await s().run();
    bindingFor({ key: 'End', shiftKey: false })!.run(s());
    expect(s().cursor).toBe(s().timeline!.steps.length - 1);
    bindingFor({ key: '?', shiftKey: true })!.run(s());
    expect(s().keysShown).toBe(true);
  });
});
