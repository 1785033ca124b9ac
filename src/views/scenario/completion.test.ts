// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { CALLS } from '../../engine';
import { argumentAt, namesAt, signatureText } from './completion';

const labels = (before: string) => namesAt(before).map((o) => o.label);

describe('completion offers the names the contract allows where the cursor is', () => {
  it('call names at the start of a line, after a strace prefix too', () => {
    expect(labels('mmp')).toContain('mprotect');
    expect(labels('  @to')).toContain('@touch');
    expect(labels('1234 mm')).toContain('mmap');
    expect(labels('# a comment mm')).toEqual([]);
  });

  it("the flags of the argument's family, and NULL where a number goes", () => {
    const flags = labels('mmap(NULL, 4K, PROT_READ, MAP_PR');
    expect(flags).toContain('MAP_PRIVATE');
    expect(flags.every((l) => l.startsWith('MAP_'))).toBe(true);
    expect(labels('mmap(0, 4K, PROT_READ|PROT_')).toContain('PROT_WRITE');
    expect(labels('madvise(0, 4K, MA')).toContain('MADV_DONTFORK');
    expect(labels('mmap(NU')).toEqual(['NULL']);
    expect(labels('@note("a, MAP_')).toEqual([]);
    expect(labels('frob(1, MAP_')).toContain('MADV_RANDOM');
  });

  it('counts arguments past strings and brackets', () => {
    expect(argumentAt('open("a,b", ')).toEqual({ call: 'open', index: 1 });
    expect(argumentAt('mmap(0, 1) = ')).toBeNull();
  });

  it("shows a call's arguments, the optional ones in brackets", () => {
    expect(signatureText(CALLS.mmap)).toBe('(n, n, PROT_*, MAP_*, n, n)');
    expect(signatureText(CALLS.mremap)).toBe('(n, n, n, MREMAP_*[, n])');
    expect(signatureText(CALLS['@touch'])).toBe('(n[, n])');
    expect(signatureText(CALLS.munlockall)).toBe('()');
  });
});
