// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import {
  mapsLines,
  PROGRESS_EVERY,
  runScenario,
  smapsLines,
  type RunOutput,
  type Step,
} from './run';
import { generateScenario } from '../scenario/generate';
import { mt_validate } from '../kernel/maple/validate';

const RW = 'PROT_READ|PROT_WRITE';
const ANON_FIXED = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED';
const mmap = (addr: string, len: string, prot = RW, flags = ANON_FIXED) =>
  `mmap(${addr}, ${len}, ${prot}, ${flags}, -1, 0)`;

function run(...lines: string[]): Extract<RunOutput, { ok: true }> {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}
const finalMaps = (out: Extract<RunOutput, { ok: true }>) =>
  mapsLines(out.steps[out.steps.length - 1].mm);

describe('mmap and munmap (checked against Linux 6.18 output)', () => {
  it('prints a fixed anonymous mapping as the kernel does, trailing space included', () => {
    const out = run(mmap('0x200000000000', '0x4000'));
    expect(finalMaps(out)).toEqual(['200000000000-200000004000 rw-p 00000000 00:00 0 ']);
    expect(smapsLines(out.steps[out.steps.length - 1].mm)[1]).toBe('VmFlags: rd wr mr mw me ac ');
    expect(out.calls[0]).toMatchObject({ ret: '0x200000000000', match: true });
  });

  it('merges an adjacent mapping with equal flags and keeps one with other flags apart', () => {
    const out = run(
      mmap('0x200000000000', '0x4000'),
      mmap('0x200000004000', '0x4000'),
      mmap('0x200000008000', '0x4000', 'PROT_READ'),
    );
    expect(finalMaps(out)).toEqual([
      '200000000000-200000008000 rw-p 00000000 00:00 0 ',
      '200000008000-20000000c000 r--p 00000000 00:00 0 ',
    ]);
    expect(out.steps.map((s) => s.fn)).toContain('vma_merge_new_range');
  });

  it('splits on a munmap in the middle and refuses an unaligned start', () => {
    const out = run(
      mmap('0x200000000000', '0x4000'),
      'munmap(0x200000001000, 0x1000) = 0',
      'munmap(0x200000000001, 0x1000) = -1 EINVAL (Invalid argument)',
    );
    expect(finalMaps(out)).toEqual([
      '200000000000-200000001000 rw-p 00000000 00:00 0 ',
      '200000002000-200000004000 rw-p 00000000 00:00 0 ',
    ]);
    expect(out.calls.map((c) => [c.ret, c.match])).toEqual([
      ['0x200000000000', true],
      ['0', true],
      ['-1 EINVAL', true],
    ]);
    expect(out.steps.filter((s) => s.fn === '__split_vma')).toHaveLength(2);
  });

  it('fills a hole so that both neighbours become one VMA', () => {
    const out = run(
      mmap('0x200000000000', '0x3000'),
      'munmap(0x200000001000, 0x1000)',
      mmap('0x200000001000', '0x1000'),
    );
    expect(finalMaps(out)).toEqual(['200000000000-200000003000 rw-p 00000000 00:00 0 ']);
  });

  it('gives the errors the kernel gives', () => {
    const out = run(
      mmap('0x200000000000', '0'),
      mmap('0x200000000000', '0x1000', RW, 'MAP_ANONYMOUS|MAP_FIXED'),
      mmap('0x7ffffffff000', '0x2000'),
      mmap('0x200000000000', '0x1000'),
      mmap('0x200000000000', '0x1000', RW, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE'),
      'munmap(0x200000000000, 0)',
    );
    expect(out.calls.map((c) => c.ret)).toEqual([
      '-1 EINVAL',
      '-1 EINVAL',
      '-1 ENOMEM',
      '0x200000000000',
      '-1 EEXIST',
      '-1 EINVAL',
    ]);
  });

  it('reports a result that misses its expectation', () => {
    const out = run('munmap(0x200000000000, 0x1000) = -1 EINVAL');
    expect(out.calls[0]).toMatchObject({ ret: '0', expected: '-1 EINVAL', match: false });
  });

  it('refuses calls it does not model, naming line and column', () => {
    const out = runScenario(
      `${mmap('0x200000000000', '0x1000')}\n${mmap('0x200000200000', '2M', RW, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_HUGETLB')}`,
    );
    expect(out.ok).toBe(false);
    if (!out.ok) expect(out.diagnostics[0]).toMatchObject({ line: 2, column: 48 });
  });
});

describe('progress', () => {
  it('reports how many calls have run, every PROGRESS_EVERY calls and at the end', () => {
    const lines = Array.from(
      { length: PROGRESS_EVERY * 2 + 3 },
      () => 'munmap(0x200000000000, 4K)',
    );
    const seen: Array<[number, number]> = [];
    const out = runScenario(lines.join('\n'), 'scn', { onProgress: (d, t) => seen.push([d, t]) });
    expect(out.ok).toBe(true);
    const total = lines.length;
    expect(seen).toEqual([
      [0, total],
      [PROGRESS_EVERY, total],
      [PROGRESS_EVERY * 2, total],
      [total, total],
    ]);
  });
});

describe('steps handed over, not kept', () => {
  it('onStep gets every step with its line, in order; steps keeps only the last', () => {
    const text = generateScenario(4, 200);
    const kept = runScenario(text);
    const handed: Array<[Step, number | null]> = [];
    const streamed = runScenario(text, 'scn', { onStep: (s, line) => handed.push([s, line]) });
    if (!kept.ok || !streamed.ok) throw new Error('generated scenario refused');
    expect(handed.map(([s]) => [s.call, s.fn, s.message])).toEqual(
      kept.steps.map((s) => [s.call, s.fn, s.message]),
    );
    expect(handed.map(([, line]) => line)).toEqual(
      kept.steps.map((s) => (s.call < 0 ? null : kept.calls[s.call].line)),
    );
    expect(streamed.steps).toEqual([handed[handed.length - 1][0]]);
    expect(streamed.calls).toEqual(kept.calls);
    expect(mapsLines(streamed.steps[0].mm)).toEqual(finalMaps(kept));
  });
});

describe('tracing off', () => {
  it("keeps every call's snapshot as it was with tracing off, where writes go in place", () => {
    // Untraced, a call's later writes change in place the maple nodes its
    // earlier writes built (mutableFrom): no snapshot kept before may move.
    for (const seed of [3, 7, 21]) {
      const text = generateScenario(seed, 150);
      const on = runScenario(text, 'scn', { trace: true });
      const off = runScenario(text, 'scn', { trace: false });
      if (!on.ok || !off.ok) throw new Error('did not run');
      off.calls.forEach((call, i) => {
        const mm = off.steps[call.lastStep].mm;
        mt_validate(mm.mt);
        expect(smapsLines(mm)).toEqual(smapsLines(on.steps[on.calls[i].lastStep].mm));
      });
    }
  });
});
