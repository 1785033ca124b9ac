// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { listKey } from './StepsList';

describe('listKey', () => {
  it('moves within the list by ↑/↓ and to its ends by Home/End; leaves ←/→ alone', () => {
    expect(listKey('ArrowDown', 3, 10)).toBe(4);
    expect(listKey('ArrowDown', 9, 10)).toBe(9);
    expect(listKey('ArrowUp', 0, 10)).toBe(0);
    expect(listKey('Home', 5, 10)).toBe(0);
    expect(listKey('End', 5, 10)).toBe(9);
    expect(listKey('ArrowLeft', 5, 10)).toBeNull();
    expect(listKey('ArrowRight', 5, 10)).toBeNull();
  });
});
