// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import type { CallEventsData, KernelEvent } from '../../engine';
import { MAX_ROWS, formatEvent, kernelEventsView } from './render';

const store = (fn: string, entry: string | null): KernelEvent => ({
  kind: 'ma_write',
  call: 2,
  fn,
  node: 'node1',
  min: '0x0',
  max: '0xffffffffffffffff',
  index: '0x200000000000',
  last: '0x200000007fff',
  piv: '0x0',
  entry,
});
const vma = (kind: 'alloc' | 'free', id: string): KernelEvent => ({
  kind,
  call: 2,
  cache: 'vm_area_struct',
  id,
  site: 'vm_area_alloc',
});

const CALL: CallEventsData = {
  call: 2,
  line: 6,
  text: 'mmap(0x200000004000, 16K, ...)',
  model: [store('mas_store_prealloc', 'vma1'), store('mas_wr_slot_store', 'vma1')],
  stepFrom: 1,
  stepTo: 2,
  modelIn: null,
  recorded: null,
};

describe('kernel events view', () => {
  it('says each kind of event in one line', () => {
    expect(formatEvent(store('mas_wr_slot_store', null))).toBe(
      'ma_write mas_wr_slot_store node1 [0x0-0xffffffffffffffff] 0x200000000000-0x200000007fff = NULL',
    );
    expect(formatEvent(vma('free', 'vma3'))).toBe('free vm_area_struct vma3 by vm_area_alloc');
    expect(
      formatEvent({
        kind: 'unmapped_area',
        call: 0,
        length: '0x1000',
        low: '0x10000',
        high: '0x300000000000',
        alignMask: '0x0',
        alignOffset: '0x0',
        addr: null,
        err: -12,
      }),
    ).toBe('unmapped_area length 0x1000 in [0x10000-0x300000000000] failed -12');
    expect(formatEvent({ kind: 'fault', call: 0, address: '0x2000', errorCode: 6 })).toBe(
      'fault at 0x2000 error 6',
    );
  });

  it('shows the model’s events alone when no recording covers the call', () => {
    const view = kernelEventsView(CALL);
    expect(view).toMatchObject({
      call: 'line 6: mmap(0x200000004000, 16K, ...)',
      status: 'unrecorded',
      verdict: "No recording covers this call: the model's 2 events.",
      modelPath: ['mas_store_prealloc', 'mas_wr_slot_store'],
      kernelPath: null,
    });
    expect(view.rows.map((r) => [r.kernel, r.inStep])).toEqual([
      [null, false],
      [null, true],
    ]);
  });

  it('confirms a call, and names and marks each difference beside the kernel’s events', () => {
    const same = kernelEventsView({
      ...CALL,
      recorded: {
        events: CALL.model,
        status: 'confirmed',
        differenceCount: 0,
        differences: [],
        recording: 'default.events.json',
      },
    });
    expect(same.verdict).toBe(
      "Confirmed by the kernel: the 2 events of default.events.json agree with the model's.",
    );
    const other = kernelEventsView({
      ...CALL,
      recorded: {
        events: [CALL.model[0], store('mas_wr_node_store', 'vma1'), vma('free', 'vma2')],
        status: 'different',
        differenceCount: 3,
        differences: [
          { index: 1, what: 'fn', text: 'ma_write #2: fn mas_wr_slot_store (model), …' },
          { index: 2, what: 'missing', text: "free #3: the kernel's, not in the model" },
        ],
        recording: 'r.json',
      },
    });
    expect(other.verdict).toBe(
      "Differs from the kernel: 3 differences between the model's 2 events and the 3 events of r.json.",
    );
    expect(other.differences).toEqual([
      'ma_write #2: fn mas_wr_slot_store (model), …',
      "free #3: the kernel's, not in the model",
      'and 1 more difference',
    ]);
    expect(other.rows.map((r) => [r.position, r.model !== null, r.differs])).toEqual([
      [1, true, []],
      [2, true, ['fn']],
      [3, false, ['missing']],
    ]);
    expect(other.kernelPath).toEqual(['mas_store_prealloc', 'mas_wr_node_store']);
  });

  it('draws the first MAX_ROWS positions of a long call and counts the rest', () => {
    const model = Array.from({ length: MAX_ROWS + 7 }, (_, i) => vma('free', `vma${i}`));
    const view = kernelEventsView({ ...CALL, model, stepFrom: 0, stepTo: model.length });
    expect(view.rows).toHaveLength(MAX_ROWS);
    expect(view.hiddenRows).toBe(7);
  });
});
