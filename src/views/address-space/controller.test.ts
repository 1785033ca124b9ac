// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The controller without React or a browser: the pointer's x finds the VMA
// drawn there on the canvas, and the keys move between VMAs and pick one.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { recordingCanvas, stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { AddressSpaceController } from './controller';
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
