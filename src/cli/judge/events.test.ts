// SPDX-License-Identifier: GPL-2.0-or-later
// The trace parser on text the kernel wrote: fixtures/events.trace is the
// instance's `trace` file after fixtures/events.scn ran with --events on
// Linux 6.18 (raw pointers, as tracefs.ts asks for them).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../../engine/kernel/trace/kernel-events';
import { formatKernelEvent, parseTrace } from './events';

const capture = readFileSync(new URL('./fixtures/events.trace', import.meta.url), 'utf8');
const { events, ended } = parseTrace(capture);
const ofCall = (call: number): string[] =>
  events.filter((e) => e.call === call).map(formatKernelEvent);

describe('parseTrace on a capture', () => {
  it('gives mmap(NULL) its search, its new VMA and the node that stores it', () => {
    expect(ofCall(0)).toEqual([
      'vm_unmapped_area len 0x2000 low 0x1000 high 0x300000000000 align 0x0+0x0 -> 0x2fffffffe000',
      'alloc vm_area_struct vma1 by vm_area_alloc',
      'alloc maple_node node1 by mas_preallocate',
      // The root before the call is older than the scenario; the new root is node1.
      'ma_write mas_store_prealloc node?1 (0x0 0xffffffffffffffff) range 0x2fffffffe000-0x2fffffffffff entry vma1',
      'ma_write mas_wr_node_store node1 (0x0 0xffffffffffffffff) range 0x2fffffffe000-0x2fffffffffff entry vma1',
    ]);
  });

  it('gives the first write fault of an anonymous VMA its anon_vma', () => {
    expect(ofCall(1)).toEqual([
      'page_fault_user 0x2fffffffe000 write not-present (error_code 0x6)',
      'alloc anon_vma_chain avc1 by __anon_vma_prepare',
      'alloc anon_vma av1 by __anon_vma_prepare',
    ]);
  });

  it('shows a merge into the next VMA as a store of that VMA over both ranges', () => {
    expect(ofCall(2)).toEqual([
      'ma_write mas_store_prealloc node1 (0x0 0xffffffffffffffff) range 0x2fffffffc000-0x2fffffffffff entry vma1',
      'ma_write mas_wr_slot_store node1 (0x0 0xffffffffffffffff) range 0x2fffffffc000-0x2fffffffffff entry vma1',
    ]);
  });

  it('shows mprotect of a middle page duplicating the VMA twice', () => {
    const slab = events.filter((e) => e.call === 3 && e.kind === 'alloc');
    expect(slab.map((e) => e.kind === 'alloc' && `${e.id} ${e.site}`)).toEqual([
      'vma2 vm_area_dup',
      'node2 mas_preallocate',
      'avc2 anon_vma_clone',
      'vma3 vm_area_dup',
      'node3 mas_preallocate',
      'avc3 anon_vma_clone',
    ]);
  });

  it('frees what munmap removed, and drops the events after the last call', () => {
    const frees = events.filter((e) => e.kind === 'free');
    expect(frees.map((e) => e.kind === 'free' && `${e.call} ${e.id} ${e.site}`)).toEqual([
      '4 avc2 unlink_anon_vmas',
      '4 avc1 unlink_anon_vmas',
      '4 av1 __put_anon_vma',
      '4 avc3 unlink_anon_vmas',
      '4 vma2 vms_complete_munmap_vmas',
      '4 vma1 vms_complete_munmap_vmas',
      '4 vma3 vms_complete_munmap_vmas',
    ]);
    expect(Math.max(...events.map((e) => e.call))).toBe(4);
    expect(ended).toBe(5);
  });

  it('reads every field of each kind into the JSON shape', () => {
    const first = (kind: KernelEvent['kind']): KernelEvent | undefined =>
      events.find((e) => e.kind === kind);
    expect(first('unmapped_area')).toEqual({
      kind: 'unmapped_area',
      call: 0,
      length: '0x2000',
      low: '0x1000',
      high: '0x300000000000',
      alignMask: '0x0',
      alignOffset: '0x0',
      addr: '0x2fffffffe000',
      err: 0,
    });
    expect(first('fault')).toEqual({
      kind: 'fault',
      call: 1,
      address: '0x2fffffffe000',
      errorCode: 6,
    });
    expect(events.find((e) => e.kind === 'ma_write' && e.entry === null)).toEqual({
      kind: 'ma_write',
      call: 4,
      fn: 'mas_wr_node_store',
      node: 'node5',
      min: '0x0',
      max: '0xffffffffffffffff',
      index: '0x200000000000',
      last: '0x7ffffffddfff',
      piv: '0x0',
      entry: null,
    });
  });
});

describe('parseTrace on hand-made lines', () => {
  const line = (task: string, event: string, body: string): string =>
    `${task} [001] ..... 100.000001: ${event}: ${body}`;
  const mark = (n: number, what: string): string =>
    line('  exe-7', 'tracing_mark_write', `vmx call ${n} ${what}`);

  it('keeps the marking process, follows hashed pointers, names older objects', () => {
    const text = [
      line(
        '  exe-7',
        'kmem_cache_alloc',
        'call_site=vm_area_alloc+0x1a/0x80 ptr=00000000aa name=vm_area_struct',
      ),
      mark(0, 'begin'),
      // The judge's own process, followed too: it wrote no marker.
      line('node-6', 'kmem_cache_alloc', 'call_site=f+0x1/0x2 ptr=00000000cc name=vm_area_struct'),
      line('  my-task name-7', 'ma_op', 'mas_split\tNode: 00000000c62dd083 (1 2) range: 1-2'),
      line(
        'exe-7',
        'ma_write',
        'mas_store_prealloc\tNode 00000000c62dd083 (0 9) range:3-4 piv (0) val 000000008f098d33',
      ),
      line(
        'exe-7',
        'ma_write',
        'mas_wr_slot_store\tNode 00000000c62dd083 (0 9) range:5-6 piv (5) val (null)',
      ),
      line(
        'exe-7',
        'kmem_cache_free',
        'call_site=vm_area_free+0x1/0x2 ptr=000000008f098d33 name=vm_area_struct',
      ),
      line(
        'exe-7',
        'kmem_cache_alloc',
        'call_site=f+0x1/0x2 ptr=000000008f098d33 name=vm_area_struct',
      ),
      line('exe-7', 'kmem_cache_alloc', 'call_site=f+0x1/0x2 ptr=00000000000000bb name=filp'),
      // An fs_struct, in the cache SLUB merged it into.
      line(
        'exe-7',
        'kmem_cache_alloc',
        'call_site=copy_fs_struct+0x22/0xb0 ptr=00000000000000dd name=anon_vma_chain',
      ),
      line(
        'exe-7',
        'vm_unmapped_area',
        'addr=0x0 err=-12 total_vm=0x1 flags=0x1 len=0x2000 lo=0x1000 hi=0x2000 mask=0x0 ofs=0x0',
      ),
      mark(0, 'end'),
    ].join('\n');
    expect(parseTrace(text).events.map(formatKernelEvent)).toEqual([
      'ma_op mas_split node?1 (0x1 0x2) range 0x1-0x2',
      'ma_write mas_store_prealloc node?1 (0x0 0x9) range 0x3-0x4 entry vma?1',
      'ma_write mas_wr_slot_store node?1 (0x0 0x9) range 0x5-0x6 piv 0x5 entry NULL',
      'free vm_area_struct vma?1 by vm_area_free',
      // The same memory allocated again is a new VMA.
      'alloc vm_area_struct vma1 by f',
      'vm_unmapped_area len 0x2000 low 0x1000 high 0x2000 align 0x0+0x0 -> error -12',
    ]);
  });
});
