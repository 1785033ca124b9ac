// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { VM_WARN_ON, VM_WARN_ON_VMG, VmWarning } from './mmdebug';
import { vma_init } from './mm_types';

describe('VM_WARN_ON', () => {
  const vma = vma_init(3, 0x1000, 0x3000, 1, 0x73);

  it('passes a false condition through', () => {
    expect(VM_WARN_ON(false, 'never')).toBe(false);
  });

  it('stops the call with the failing state', () => {
    let got: unknown;
    try {
      VM_WARN_ON(true, 'start >= end', { vma, start: 0x3000 });
    } catch (e) {
      got = e;
    }
    expect(got).toBeInstanceOf(VmWarning);
    const w = got as VmWarning;
    expect(w.macro).toBe('VM_WARN_ON');
    expect(w.state.vma).toBe(vma);
    expect(w.message).toBe('VM_WARN_ON(start >= end): vma=vma3 [0x1000, 0x3000); start=12288');
  });

  it('dumps a merge state by its fields', () => {
    expect(() => VM_WARN_ON_VMG(true, 'next is ours to set', { middle: vma, start: 1 })).toThrow(
      'VM_WARN_ON_VMG(next is ours to set): vmg={ middle: vma3 [0x1000, 0x3000), start: 1 }',
    );
  });
});
