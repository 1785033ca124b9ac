// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { Identities, compareCallEvents, describeDifference, parseRecording } from './event-parity';

const write = (node: string, entry: string | null, fn = 'mas_wr_node_store'): KernelEvent => ({
  kind: 'ma_write',
  call: 0,
  fn,
  node,
  min: '0x0',
  max: '0xffffffffffffffff',
  index: '0x200000000000',
  last: '0x200000001fff',
  piv: '0x0',
  entry,
});
const alloc = (id: string, site = 'vm_area_alloc'): KernelEvent => ({
  kind: 'alloc',
  call: 0,
  cache: 'vm_area_struct',
  id,
  site,
});

describe('compareCallEvents', () => {
  it('confirms a call whose events agree, binding the two sides’ names', () => {
    const ids = new Identities();
    const p = compareCallEvents(
      [alloc('vma3'), write('node 7', 'vma3')],
      [alloc('vma1'), write('node?1', 'vma1')],
      ids,
    );
    expect(p).toEqual({ status: 'confirmed', compared: 2, differences: [] });
    expect(ids.kernelName('vma3')).toBe('vma1');
  });

  it('names a different store path, and an entry that is another object than before', () => {
    const ids = new Identities();
    compareCallEvents([alloc('vma3'), alloc('vma4')], [alloc('vma1'), alloc('vma2')], ids);
    const p = compareCallEvents(
      [write('node 7', 'vma3', 'mas_wr_slot_store')],
      [write('node?1', 'vma2')],
      ids,
    );
    expect(p.status).toBe('different');
    expect(p.differences.map((d) => d.what)).toEqual(['fn', 'entry']);
    expect(describeDifference(p.differences[0])).toBe(
      'ma_write #1: fn mas_wr_slot_store (model), mas_wr_node_store (kernel)',
    );
  });

  it('names what one side has and the other lacks', () => {
    const p = compareCallEvents(
      [alloc('vma3')],
      [alloc('vma1'), alloc('vma2', 'vm_area_dup')],
      new Identities(),
    );
    expect(p.differences).toMatchObject([{ index: 1, what: 'missing', model: null }]);
    expect(describeDifference(p.differences[0])).toBe("alloc #2: the kernel's, not in the model");
  });

  it('compares only the kinds asked for', () => {
    const p = compareCallEvents(
      [alloc('vma3')],
      [alloc('vma1'), write('node1', 'vma1')],
      new Identities(),
      (e) => e.kind === 'alloc',
    );
    expect(p.status).toBe('confirmed');
  });
});

describe('Identities', () => {
  it('binds one model name to one kernel name, of the same kind', () => {
    const ids = new Identities();
    // In order: each bind sees the ones before it.
    const binds: [string | null, string | null, boolean][] = [
      ['vma3', 'vma1', true],
      ['vma3', 'vma1', true],
      // Either side already bound elsewhere.
      ['vma3', 'vma2', false],
      ['vma4', 'vma1', false],
      // The kind is the leading lowercase letters: av is not avc, nor vma.
      ['av5', 'avc5', false],
      ['avc5', 'av5', false],
      ['av5', 'vma5', false],
      ['vma6', 'avc6', false],
      ['node 7', 'node?1', true],
      // A name without letters is its own kind; null binds only to null.
      ['0x10', '0x10', true],
      ['0x11', '0x12', false],
      ['0x13', 'node2', false],
      [null, null, true],
      [null, 'vma9', false],
    ];
    for (const [model, kernel, bound] of binds)
      expect(ids.bind(model, kernel), `${model} with ${kernel}`).toBe(bound);
    expect(ids.kernelName('vma3')).toBe('vma1');
    expect(ids.kernelName('vma4')).toBeUndefined();
  });

  it("keeps each call's differences its own when the next call is compared", () => {
    const ids = new Identities();
    const first = compareCallEvents([alloc('vma3')], [], ids);
    const second = compareCallEvents([], [alloc('vma1'), alloc('vma2')], ids);
    expect(first.differences.map((d) => d.what)).toEqual(['extra']);
    expect(second.differences.map((d) => d.what)).toEqual(['missing', 'missing']);
  });

  it('starts clean after a comparison that threw', () => {
    // The second kind check throws, after the first event was found extra.
    let calls = 0;
    const throwsLate = (): boolean => {
      if (++calls === 2) throw new Error('late');
      return true;
    };
    const ids = new Identities();
    expect(() => compareCallEvents([alloc('vma8'), alloc('vma9')], [], ids, throwsLate)).toThrow();
    expect(compareCallEvents([alloc('vma3')], [alloc('vma1')], new Identities())).toEqual({
      status: 'confirmed',
      compared: 1,
      differences: [],
    });
  });

  it('compares the kinds asked for in order, skipping the others on each side', () => {
    const p = compareCallEvents(
      [write('node1', 'vma3'), alloc('vma3'), write('node2', 'vma3'), alloc('vma4')],
      [alloc('vma1'), alloc('vma2'), write('node9', 'vma1')],
      new Identities(),
      (e) => e.kind === 'alloc',
    );
    expect(p).toEqual({ status: 'confirmed', compared: 2, differences: [] });
  });
});

describe('parseRecording', () => {
  it('reads what the judge prints with --events --format json', () => {
    const text = JSON.stringify({
      results: [{ line: 1, call: 'brk(NULL)', ret: '0x0', events: [alloc('vma1')] }],
      kernel: { release: '6.18.44' },
    });
    const r = parseRecording(text);
    expect(r.ok && r.recording.release).toBe('6.18.44');
    expect(r.ok && r.recording.results[0].events).toHaveLength(1);
    expect(r.ok && r.recording.start).toBeUndefined();
  });

  it("keeps the runner's starting address space when the judge gave it", () => {
    const start = ['00400000-00401000 r--p 00000000 fe:00 1 /runner', 'VmFlags: rd mr mw me '];
    const r = parseRecording(JSON.stringify({ results: [], start }));
    expect(r.ok && r.recording.start).toEqual(start);
  });

  it('names the line and column of broken JSON, and a recording made without --events', () => {
    const broken = parseRecording('{"results": [\n  {"line": 1,, }]}', 'r.json');
    expect(broken).toMatchObject({ ok: false, diagnostic: { file: 'r.json', line: 2 } });
    expect(!broken.ok && broken.diagnostic.column).toBeGreaterThan(1);
    const plain = parseRecording(JSON.stringify({ results: [{ line: 1, call: 'x', ret: '0' }] }));
    expect(plain).toMatchObject({
      ok: false,
      diagnostic: { message: 'results[0] has no "events": record with --events' },
    });
  });
});
