// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProgramRecording } from '../scenario/program-recording';
import { alignByKeys, commonPairs } from './align';
import { compareRecordings, MAX_COMPARED_CHARS } from './compare-recordings';

// `vma-explorer record -- /bin/true` on Linux 6.18 (x86_64, zero page, no PKU).
const TEXT = readFileSync(new URL('./fixtures/true.recording.json', import.meta.url), 'utf8');
const A = { name: 'a.json', text: TEXT };

/** The fixture changed by `edit`, as another recording. */
function altered(
  name: string,
  edit: (r: ProgramRecording) => void,
): { name: string; text: string } {
  const rec = JSON.parse(TEXT) as ProgramRecording;
  edit(rec);
  return { name, text: JSON.stringify(rec, null, 1) };
}

const compared = (b: { name: string; text: string }) => {
  const r = compareRecordings(A, b);
  if (!r.ok) throw new Error(r.diagnostics[0].message);
  return r.comparison;
};

describe('aligning two lists of steps', () => {
  it('finds the longest common subsequence, in order', () => {
    expect(commonPairs(['a', 'b', 'c', 'd'], ['a', 'c', 'd'], 10)).toEqual([
      [0, 0],
      [2, 1],
      [3, 2],
    ]);
    expect(commonPairs([], ['x'], 10)).toEqual([]);
    expect(commonPairs(['a', 'b'], ['a', 'b'], 0)).toEqual([
      [0, 0],
      [1, 1],
    ]);
  });

  it('gives up past its bound on edits', () => {
    expect(commonPairs(['a', 'b', 'c'], ['x', 'y', 'z'], 2)).toBeNull();
  });

  it('aligns what differs in text by name, and what is left by position', () => {
    const a = ['mmap(0x1000)', 'mprotect(0x1000)', 'munmap(0x1000)'];
    const b = ['mmap(0x5000)', 'brk(0x0)', 'mprotect(0x5000)', 'munmap(0x5000)'];
    const name = (l: string) => l.slice(0, l.indexOf('('));
    expect(
      alignByKeys([
        [a, b],
        [a.map(name), b.map(name)],
      ]),
    ).toEqual([
      [0, 0],
      [null, 1],
      [1, 2],
      [2, 3],
    ]);
  });

  it('takes time in the edits, not the square of the length', () => {
    const long = Array.from({ length: 200_000 }, (_, i) => `call ${i}`);
    const more = [...long.slice(0, 100_000), 'extra', ...long.slice(100_000)];
    const pairs = alignByKeys([[long, more]]);
    expect(pairs).toHaveLength(200_001);
    expect(pairs[100_000]).toEqual([null, 100_000]);
    expect(pairs[100_001]).toEqual([100_000, 100_001]);
  });
});

describe('comparing two recordings', () => {
  it('finds nothing between a recording and itself', () => {
    const c = compared({ name: 'b.json', text: TEXT });
    expect(c.summary.sentence).toBe('No divergence: 62 steps alike.');
    expect(c.summary.finalSmaps).toBe('the same');
    expect(c.a).toMatchObject({ kind: 'program', space: 0, steps: 62, command: '/bin/true' });
    expect(c.rows[5].a?.vmaCount).toBeGreaterThan(5);
  });

  it('names a call whose result differs as the first divergence', () => {
    const c = compared(
      altered('b.json', (r) => {
        const i = r.spaces[0].calls.findIndex((c) => c.name === 'mprotect');
        r.spaces[0].calls[i].ret = '0xfffffffffffffff4';
      }),
    );
    expect(c.summary.sentence).toBe(
      'First divergence: step 44, mprotect(0x7f5d0bfa9000, 0x4000, PROT_READ): result 0 (A), -1 ENOMEM (B)',
    );
    expect(c.summary).toMatchObject({ different: 1, results: 1, vmas: 0, events: 0 });
    expect(c.rows[43].differs).toEqual(['result']);
    expect(c.rows[43].a?.result).toBe('0');
  });

  it('keeps later steps in line when B has one call more', () => {
    const c = compared(
      altered('b.json', (r) => {
        const s = r.spaces[0];
        const i = s.calls.findIndex((c) => c.name === 'mprotect');
        s.calls.splice(i, 0, { ...s.calls[i], args: ['0x1000', '0x1000', '0x0'], events: [] });
        for (const f of s.faults) if (f.after > i) f.after++;
      }),
    );
    expect(c.summary.onlyB).toBe(1);
    expect(c.summary.first?.b).toBe('mprotect(0x1000, 0x1000, PROT_NONE)');
    expect(c.summary.first?.what).toBe('only in B');
    // Every step after it is aligned with its own.
    expect(c.rows.slice(c.summary.first!.row).every((r) => r.a?.text === r.b?.text)).toBe(true);
    expect(c.summary.different).toBe(1);
  });

  it('names the kernel events that differ, by kind and field', () => {
    const c = compared(
      altered('b.json', (r) => {
        const call = r.spaces[0].calls.find((c) => c.events.some((e) => e.kind === 'ma_write'))!;
        const store = call.events.find((e) => e.kind === 'ma_write')!;
        if (store.kind === 'ma_write') store.fn = 'mas_wr_patched';
      }),
    );
    const row = c.rows[c.summary.first!.row - 1];
    expect(row.differs).toEqual(['events']);
    expect(row.events[0]).toMatch(/^ma_write #\d+: fn mas_\w+ \(A\), mas_wr_patched \(B\)$/);
  });

  it('shows the VMAs that differ after a step and at the end', () => {
    const c = compared(
      altered('b.json', (r) => {
        const s = r.spaces[0];
        const i = s.calls.findIndex((c) => c.name === 'mprotect');
        s.calls[i].args[2] = '0x0';
        s.end = s.end!.map((l) => l.replace(/ r--p /, ' ---p '));
      }),
    );
    const row = c.rows[c.summary.first!.row - 1];
    expect(row.differs).toContain('call');
    expect(row.differs).toContain('vmas');
    expect(row.vmas?.onlyA.some((l) => / r--p /.test(l))).toBe(true);
    expect(row.vmas?.onlyB.some((l) => / ---p /.test(l))).toBe(true);
    expect(c.summary.finalSmaps).toMatch(/^line \d+: .* \(A\), .* \(B\)$/);
  });

  it('reads judge recordings too, with their results and events', () => {
    const judge = (ret: string) =>
      JSON.stringify({ results: [{ line: 1, call: 'munmap(0x1000, 0x1000)', ret, events: [] }] });
    const r = compareRecordings(
      { name: 'a.json', text: judge('0') },
      { name: 'b.json', text: judge('-1 EINVAL') },
    );
    if (!r.ok) throw new Error(r.diagnostics[0].message);
    expect(r.comparison.summary.sentence).toBe(
      'First divergence: step 1, munmap(0x1000, 0x1000): result 0 (A), -1 EINVAL (B)',
    );
    expect(r.comparison.a.kind).toBe('judge');
  });

  it('names the file, line and column of a damaged recording', () => {
    const r = compareRecordings(A, { name: 'cut.json', text: TEXT.slice(0, 20000) });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0].file).toBe('cut.json');
    expect(r.diagnostics[0].line).toBeGreaterThan(100);
    expect(r.diagnostics[0].message).toMatch(/^not JSON/);
  });

  it('refuses a space the recording has not, and a text past the limit', () => {
    const r = compareRecordings(A, A, { spaceB: 3 });
    expect(!r.ok && r.diagnostics[0].message).toBe('it has no address space 3 (it has 1)');
    const big = compareRecordings(A, {
      name: 'big.json',
      text: ' '.repeat(MAX_COMPARED_CHARS + 1),
    });
    expect(!big.ok && big.diagnostics[0].message).toMatch(/larger than 32 MB/);
  });
});
