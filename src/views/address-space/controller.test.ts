// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The controller without React or a browser: the pointer's x finds the VMA
// drawn there on the canvas, and the keys move between VMAs and pick one.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingCanvas, stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { loadProcMaps, summarize } from '../../engine';
import { AddressSpaceController, type WindowInfo } from './controller';
import { DEFAULT_LAYOUT, layoutRanges } from './layout';
import { seededSpace } from './render.fixture';

beforeAll(stubBrowserGlobals);
afterAll(() => vi.unstubAllGlobals());
/** Each test's controllers, detached after it: no animation frame outlives its test. */
const detachers: (() => void)[] = [];
afterEach(() => detachers.splice(0).forEach((detach) => detach()));

/** A controller drawing the seeded space on (recording) canvases, and what it told the view. */
function onCanvas() {
  const { summary } = seededSpace();
  const ctl = new AddressSpaceController();
  const told = {
    hover: [] as (number | null)[],
    select: [] as number[],
    tip: [] as (number | null)[],
  };
  const detach = ctl.attach(document.createElement('div'), document.createElement('div'), {
    onHover: (id) => told.hover.push(id),
    onSelect: (id) => told.select.push(id),
    onZoomed: () => {},
    onTip: (id) => told.tip.push(id),
  });
  detachers.push(detach);
  const surface = {
    svg: null,
    canvas: recordingCanvas().canvas,
    overlay: recordingCanvas().canvas,
  };
  const diff = { added: [], removed: [], changed: [] };
  ctl.update({ data: { step: 0, summary, rows: [], diff }, surface });
  return { ctl, summary, told };
}

const press = (key: string) => ({ key, preventDefault: vi.fn(), stopPropagation: vi.fn() });

describe('AddressSpaceController', () => {
  it('hit-tests the canvas: the VMA under x, or none in a break', () => {
    const { ctl, summary } = onCanvas();
    const layout = layoutRanges(summary.starts, summary.ends, DEFAULT_LAYOUT);
    for (let i = 0; i < summary.count; i++)
      expect(ctl.hitTest(layout.x[i] + layout.width[i] / 2)).toBe(i);
    const gap = layout.breaks[0];
    expect(ctl.hitTest(gap.x + gap.width / 2)).toBe(-1);
  });

  it('points at the VMA under the pointer, and at none when it leaves', () => {
    const { ctl, summary, told } = onCanvas();
    const layout = layoutRanges(summary.starts, summary.ends, DEFAULT_LAYOUT);
    ctl.pointerMove(layout.x[2] + 1, 0);
    // A drag (a button held) pans: nothing is pointed at.
    ctl.pointerMove(layout.x[0] + 1, 1);
    ctl.pointerLeave();
    expect(told.hover).toEqual([summary.ids[2], null]);
    expect(told.tip).toEqual([summary.ids[2], null]);
  });

  it('moves between VMAs with the keys and selects with Enter, keeping them from the window', () => {
    const { ctl, summary, told } = onCanvas();
    ctl.focus();
    const right = press('ArrowRight');
    ctl.key(right);
    ctl.key(press('End'));
    ctl.key(press('Enter'));
    const other = press('x');
    ctl.key(other);
    expect(told.tip).toEqual([summary.ids[0], summary.ids[1], summary.ids[3]]);
    expect(told.select).toEqual([summary.ids[3]]);
    expect(right.stopPropagation).toHaveBeenCalled();
    expect(other.preventDefault).not.toHaveBeenCalled();
  });
});

describe('AddressSpaceController on a large space', () => {
  /** 2,500 VMAs of one page, two pages apart; `without` leaves one out, as an unmap would. */
  function large(without = -1) {
    const hex = (n: number) => n.toString(16);
    const lines = Array.from({ length: 2500 }, (_, i) => {
      const start = 0x200000000000 + i * 0x3000;
      return `${hex(start)}-${hex(start + 0x1000)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `;
    });
    const loaded = loadProcMaps(lines.join('\n') + '\n', 'maps');
    if (!loaded.ok) throw new Error('maps');
    const all = summarize(loaded.mm);
    if (without < 0) return all;
    const keep = <T extends Float64Array | Uint32Array | Uint8Array>(a: T): T => {
      const out = a.slice(0, a.length - 1) as T;
      out.set(a.subarray(without + 1), without);
      return out;
    };
    return {
      ...all,
      count: all.count - 1,
      ids: keep(all.ids),
      starts: keep(all.starts),
      ends: keep(all.ends),
      kinds: keep(all.kinds),
      perms: keep(all.perms),
      marks: keep(all.marks),
    };
  }

  it('shows a window around the step’s change, which the user can move', () => {
    const ctl = new AddressSpaceController();
    const windows: (WindowInfo | null)[] = [];
    detachers.push(
      ctl.attach(document.createElement('div'), document.createElement('div'), {
        onHover: () => {},
        onSelect: () => {},
        onZoomed: () => {},
        onTip: () => {},
        onWindow: (w) => windows.push(w),
      }),
    );
    const changeMark = document.createElement('div');
    const surface = {
      svg: null,
      canvas: recordingCanvas().canvas,
      overlay: recordingCanvas().canvas,
      overview: recordingCanvas().canvas,
      changeMark,
    };
    const timeline = {};
    const diff = { added: [], removed: [], changed: [] };
    const before = large();
    ctl.update({ data: { step: 4, summary: before, rows: [], diff }, surface, timeline });
    expect(windows.at(-1)).toMatchObject({ from: 0, to: 50, count: 2500 });
    // The next step unmaps VMA 2000: the window goes there, and marks the hole.
    const gone = before.ids[2000];
    const after = large(2000);
    const removed = { added: [], removed: [gone], changed: [] };
    ctl.update({ data: { step: 5, summary: after, rows: [], diff: removed } });
    const w = windows.at(-1)!;
    expect(w).toMatchObject({ from: 1975, to: 2025, count: 2499 });
    expect(w.text).toBe('VMAs 1,976–2,025 of 2,499: 0x200001725000–0x2000017bc000');
    const hole = '0x200001770000–0x200001771000';
    expect(w.change?.label).toBe(`This step’s change: ${hole} (4 KiB)`);
    expect(changeMark.hidden).toBe(false);
    expect(changeMark.getAttribute('aria-label')).toBe(w.change?.label);
    expect(parseFloat(changeMark.style.width)).toBeGreaterThanOrEqual(4);
    // The window's frame on the strip holds the change's mark.
    expect(w.change!.x).toBeGreaterThanOrEqual(w.frame.x);
    expect(w.change!.x + w.change!.w).toBeLessThanOrEqual(w.frame.x + w.frame.w);

    ctl.shiftWindow(-1);
    expect(windows.at(-1)).toMatchObject({ from: 1925, to: 1975 });
    ctl.windowKey(press('End'));
    expect(windows.at(-1)).toMatchObject({ from: 2449, to: 2499 });
    ctl.windowKey(press('PageDown'));
    expect(windows.at(-1)).toMatchObject({ from: 2399, to: 2449 });
    ctl.windowAtStrip(0);
    expect(windows.at(-1)).toMatchObject({ from: 0, to: 50 });
    // A VMA selected in another view, out of the window: the window goes to it.
    ctl.update({ selected: after.ids[1000] });
    expect(windows.at(-1)).toMatchObject({ from: 976, to: 1026 });
    // The step back brings the change (the VMA back in its place) into view again.
    ctl.update({ data: { step: 4, summary: before, rows: [], diff } });
    expect(windows.at(-1)).toMatchObject({ from: 1976, to: 2026, count: 2500 });
    expect(windows.at(-1)?.change?.label).toBe(`This step’s change: ${hole} (4 KiB)`);
  });
});
