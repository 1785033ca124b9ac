// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../timeline/run';
import type { KernelEvent } from './kernel-events';
import { KernelEventLog } from './kernel-emit';

const SCENARIO = `mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000000000
mmap(0x200000002000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0) = 0x200000002000
@touch(0x200000000000) = 0
mmap(NULL, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x2fffffffe000
munmap(0x200000001000, 4K) = 0
`;

/** Each event in a line, as `npm run judge -- --events` would print it (short). */
function line(e: KernelEvent): string {
  switch (e.kind) {
    case 'ma_write':
      return `${e.call} ma_write ${e.fn} ${e.node} ${e.index}-${e.last} ${e.entry}`;
    case 'ma_op':
      return `${e.call} ma_op ${e.fn} ${e.node}`;
    case 'alloc':
    case 'free':
      return `${e.call} ${e.kind} ${e.cache} ${e.id} ${e.site}`;
    case 'unmapped_area':
      return `${e.call} unmapped_area ${e.length} ${e.low}-${e.high} -> ${e.addr}`;
    case 'fault':
      return `${e.call} fault ${e.address} ${e.errorCode}`;
  }
}

function events(options: Parameters<typeof runScenario>[2]): string[] {
  const out = runScenario(SCENARIO, 't.scn', options);
  if (!out.ok) throw new Error('refused');
  return out.steps.flatMap((s) => (s.kernelEvents ?? []).map(line));
}

describe('the kernel events the model emits', () => {
  it('follows each step in the kernel order, with the names the views use', () => {
    expect(events({}).slice(2)).toEqual([
      // vma_expand(): the leaf is rewritten into a new node (RCU mode).
      '1 ma_write mas_store_prealloc node 1 0x200000000000-0x200000003fff vma1',
      '1 ma_write mas_wr_node_store node 2 0x200000000000-0x200000003fff vma1',
      // The write fault comes first, then the anon_vma it needs.
      '2 fault 0x200000000000 6',
      '2 alloc anon_vma_chain avc1 __anon_vma_prepare',
      '2 alloc anon_vma av1 __anon_vma_prepare',
      '3 unmapped_area 0x2000 0x1000-0x300000000000 -> 0x2fffffffe000',
      '3 alloc vm_area_struct vma2 vm_area_alloc',
      '3 ma_write mas_store_prealloc node 2 0x2fffffffe000-0x2fffffffffff vma2',
      '3 ma_write mas_wr_node_store node 4 0x2fffffffe000-0x2fffffffffff vma2',
      // Both splits clone vma1's chain; the clear of the middle is an exact
      // fit through mas_store_gfp(), which traces nothing.
      '4 alloc vm_area_struct vma3 vm_area_dup',
      '4 alloc anon_vma_chain avc2 anon_vma_clone',
      '4 ma_write mas_store_prealloc node 4 0x200000000000-0x200000000fff vma3',
      '4 ma_write mas_wr_node_store node 5 0x200000000000-0x200000000fff vma3',
      '4 alloc vm_area_struct vma4 vm_area_dup',
      '4 alloc anon_vma_chain avc3 anon_vma_clone',
      '4 ma_write mas_store_prealloc node 5 0x200000002000-0x200000003fff vma4',
      '4 ma_write mas_wr_node_store node 7 0x200000002000-0x200000003fff vma4',
      // av1 is still linked by the two halves: only the chain goes.
      '4 free anon_vma_chain avc1 unlink_anon_vmas',
      '4 free vm_area_struct vma1 vms_complete_munmap_vmas',
    ]);
  });

  it('gives an untraced run none, unless asked; each call then has one step', () => {
    const out = runScenario(SCENARIO, 't.scn', { trace: false });
    expect(out.ok && out.steps.some((s) => s.kernelEvents)).toBe(false);
    expect(events({ trace: false, kernelEvents: true })).toEqual(events({}));
    const traced = runScenario(SCENARIO, 't.scn', { kernelEvents: false });
    expect(traced.ok && traced.steps.some((s) => s.kernelEvents)).toBe(false);
  });

  it('frees an anon_vma only when its last chain goes, chains of others first', () => {
    const log = new KernelEventLog();
    log.call = 0;
    log.chainAlloc(1, '__anon_vma_prepare', 7);
    log.chainsClone(2, 1, 7, 1, 'anon_vma_clone');
    log.chainAlloc(2, '__anon_vma_prepare', 8);
    log.take();
    log.chainsFree(2);
    log.chainsFree(1);
    expect((log.take() ?? []).map(line)).toEqual([
      '0 free anon_vma_chain avc2 unlink_anon_vmas',
      '0 free anon_vma av8 __put_anon_vma',
      '0 free anon_vma_chain avc3 unlink_anon_vmas',
      '0 free anon_vma av7 __put_anon_vma',
      '0 free anon_vma_chain avc1 unlink_anon_vmas',
    ]);
  });

  it('keeps the anon_vmas of the parent of a fork alive', () => {
    const log = new KernelEventLog();
    log.chainAlloc(1, '__anon_vma_prepare', 7);
    log.forkTree();
    log.chainsClone(2, 1, 7, 1, 'anon_vma_clone');
    log.take();
    log.chainsFree(2);
    expect((log.take() ?? []).map((e) => e.kind)).toEqual(['free']);
    expect(log.nodeName(3)).toBe('node 3/1');
  });

  it('frees the chains of a VMA it started with, keeping an ancestor’s anon_vma', () => {
    const log = new KernelEventLog();
    // A forked child's VMAs 1 and 2 share their own anon_vma 5; each also links its parent's.
    log.seedChains([
      { id: 1, anon_vma: 5, anon_vma_chain: 2 },
      { id: 2, anon_vma: 5, anon_vma_chain: 2 },
      { id: 3, anon_vma: null, anon_vma_chain: 0 },
    ]);
    log.chainsFree(1);
    expect((log.take() ?? []).map(line)).toEqual([
      '-1 free anon_vma_chain avc?1 unlink_anon_vmas',
      '-1 free anon_vma_chain avc?2 unlink_anon_vmas',
    ]);
    log.chainsFree(2);
    expect((log.take() ?? []).map(line)).toEqual([
      '-1 free anon_vma_chain avc?4 unlink_anon_vmas',
      '-1 free anon_vma av5 __put_anon_vma',
      '-1 free anon_vma_chain avc?3 unlink_anon_vmas',
    ]);
  });

  it('faults on a page once for reading and once more for the first write', () => {
    const log = new KernelEventLog();
    log.access(0x1000, false);
    log.access(0x1000, false);
    log.access(0x1000, true);
    log.access(0x1000, true);
    log.forkPages(() => 'cow');
    log.access(0x1000, true);
    log.zap(0, 0x2000);
    log.accessRefused(0x1000, true);
    expect((log.take() ?? []).map(line)).toEqual([
      '-1 fault 0x1000 4',
      '-1 fault 0x1000 7',
      '-1 fault 0x1000 7',
      '-1 fault 0x1000 6',
    ]);
  });
});
