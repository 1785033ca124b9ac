// SPDX-License-Identifier: GPL-2.0-or-later
// `npm run judge -- --events` on the real kernel: the events each call
// records, with identities followed from call to call, and what recording
// them costs.
import { readdirSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { afterAll, describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import { generateScenario } from '../../engine/scenario/generate';
import { judgeScenario, type JudgeResult } from './judge';
import { closeSharedTrace, TRACEFS } from './tracefs';

const RW_ANON = 'PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS';

async function traced(lines: string[]): Promise<JudgeResult[]> {
  const out = await judgeScenario(lines.join('\n') + '\n', 'events.scn', { events: true });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.results;
}

const of = <K extends KernelEvent['kind']>(
  r: JudgeResult,
  kind: K,
): Extract<KernelEvent, { kind: K }>[] =>
  (r.events ?? []).filter((e): e is Extract<KernelEvent, { kind: K }> => e.kind === kind);

const ours = (): string[] =>
  readdirSync(`${TRACEFS}/instances`).filter((n) => n.startsWith(`vma-explorer-${process.pid}-`));

describe('judge --events on the real kernel', () => {
  afterAll(closeSharedTrace);

  it('records one mmap(NULL): its search, one new VMA and the store of it', async () => {
    const [mmap] = await traced([`mmap(NULL, 0x3000, ${RW_ANON}, -1, 0) = 0x2fffffffd000`]);
    expect(of(mmap, 'unmapped_area')).toEqual([
      expect.objectContaining({ length: '0x3000', addr: '0x2fffffffd000', err: 0 }),
    ]);
    const vmas = of(mmap, 'alloc').filter((e) => e.cache === 'vm_area_struct');
    expect(vmas).toEqual([expect.objectContaining({ id: 'vma1', site: 'vm_area_alloc' })]);
    const stores = of(mmap, 'ma_write').filter((e) => e.entry === 'vma1');
    expect(stores.length).toBeGreaterThan(0);
    for (const s of stores) {
      expect([s.index, s.last]).toEqual(['0x2fffffffd000', '0x2fffffffffff']);
    }
    expect(of(mmap, 'fault')).toEqual([]);
  });

  it('records the anon_vma and the fault of a first write', async () => {
    const [, touch] = await traced([
      `mmap(0x200000000000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)`,
      '@touch(0x200000001000, 1) = 0',
    ]);
    expect(of(touch, 'fault')).toEqual([
      expect.objectContaining({ address: '0x200000001000', errorCode: 6 }),
    ]);
    expect(of(touch, 'alloc').map((e) => `${e.cache} ${e.id} ${e.site}`)).toEqual([
      'anon_vma_chain avc1 __anon_vma_prepare',
      'anon_vma av1 __anon_vma_prepare',
    ]);
  });

  it('follows a VMA from its allocation to a merge into it and to its free', async () => {
    const [first, merge, unmap] = await traced([
      `mmap(0x200000000000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)`,
      `mmap(0x200000002000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)`,
      'munmap(0x200000000000, 0x4000) = 0',
    ]);
    expect(of(first, 'alloc').filter((e) => e.cache === 'vm_area_struct')).toEqual([
      expect.objectContaining({ id: 'vma1' }),
    ]);
    // The new range merged into vma1: no new VMA, and the store writes vma1 over both.
    expect(of(merge, 'alloc').filter((e) => e.cache === 'vm_area_struct')).toEqual([]);
    expect(of(merge, 'ma_write').map((e) => [e.entry, e.index, e.last])).toContainEqual([
      'vma1',
      '0x200000000000',
      '0x200000003fff',
    ]);
    expect(of(unmap, 'free').filter((e) => e.cache === 'vm_area_struct')).toEqual([
      expect.objectContaining({ id: 'vma1', site: 'vms_complete_munmap_vmas' }),
    ]);
  });

  it('follows the child after @fork', async () => {
    const results = await traced([
      `mmap(0x200000000000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)`,
      '@touch(0x200000000000, 1) = 0',
      '@fork() = 0',
      `mmap(0x200000008000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)`,
    ]);
    const fork = results[2];
    // dup_mmap() copies the VMA, its anon_vma gets a child, and the chain links both.
    expect(of(fork, 'alloc').map((e) => `${e.cache} ${e.site}`)).toEqual(
      expect.arrayContaining([
        'vm_area_struct vm_area_dup',
        'anon_vma anon_vma_fork',
        'anon_vma_chain anon_vma_clone',
      ]),
    );
    expect(of(results[3], 'alloc').map((e) => `${e.cache} ${e.site}`)).toContain(
      'vm_area_struct vm_area_alloc',
    );
  });

  it('keeps one tracefs instance while it judges, and removes it when told', async () => {
    const scenario = `mmap(0x200000000000, 0x2000, ${RW_ANON}|MAP_FIXED, -1, 0)\n`;
    await traced([scenario.trim()]);
    expect(ours()).toHaveLength(1);
    closeSharedTrace();
    expect(ours()).toEqual([]);
    // Without --events the results are what they always were.
    const plain = await judgeScenario(scenario);
    expect(plain.ok && plain.results.every((r) => !('events' in r))).toBe(true);
  });

  it('measures how much slower a run is with --events', async () => {
    const scenario = generateScenario(13, 40);
    const time = async (events: boolean): Promise<number> => {
      const t = performance.now();
      const out = await judgeScenario(scenario, 'bench.scn', { events });
      expect(out.ok).toBe(true);
      return performance.now() - t;
    };
    await time(false);
    await time(true);
    const runs = 8;
    let plain = 0;
    let traced = 0;
    for (let i = 0; i < runs; i++) {
      plain += await time(false);
      traced += await time(true);
    }
    const ratio = traced / plain;
    console.log(
      `judge --events: ${(traced / runs).toFixed(1)} ms per 40-call run, ` +
        `${(plain / runs).toFixed(1)} ms without: ${ratio.toFixed(2)}x (target under 3x)`,
    );
    expect(ratio).toBeGreaterThan(0);
  });
});
