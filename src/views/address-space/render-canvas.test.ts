// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The canvas drawing of the seeded address space, through a recording 2D
// context: the calls it makes are compared with a committed snapshot
// (__snapshots__/render-canvas.txt, a call a line), so that a change to the
// drawing is reviewed as a diff of that file.
import { zoomIdentity } from 'd3-zoom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { drawAddressSpace, drawOverlay } from './render-canvas';
import { BAR_H } from './render';
import { manyVmas, seededSpace, themedCanvas } from './render.fixture';

// jsdom has no matchMedia; the palette asks whether the page is dark.
beforeAll(stubBrowserGlobals);
afterAll(() => vi.unstubAllGlobals());

describe('drawAddressSpace', () => {
  it('fills one bar per VMA wide enough, labels them, and matches the committed calls', async () => {
    const { summary, layout } = seededSpace();
    const { canvas, calls } = themedCanvas();
    drawAddressSpace(canvas, summary, layout, 800, zoomIdentity);
    const bars = calls.filter((c) => c.startsWith('fillRect(') && c.endsWith(`, ${BAR_H})`));
    expect(bars).toHaveLength(summary.count);
    expect(calls).toContain('fillText("200000000000", 0, 20)');
    // The sealed VMA is outlined, the guard page striped.
    expect(calls.filter((c) => c.startsWith('strokeRect('))).toHaveLength(1);
    expect(calls.filter((c) => c.startsWith('fillRect(') && c.endsWith(', 3)')).length).toBe(
      Math.ceil(BAR_H / 6),
    );
    await expect(calls.join('\n') + '\n').toMatchFileSnapshot('./__snapshots__/render-canvas.txt');
  });

  it('draws thousands of sub-pixel VMAs of one kind as a few rectangles', () => {
    const { summary, layout } = manyVmas(5000);
    const { canvas, calls } = themedCanvas();
    drawAddressSpace(canvas, summary, layout, 800, zoomIdentity);
    expect(summary.count).toBe(5000);
    expect(calls.filter((c) => c.startsWith('fillRect(')).length).toBeLessThan(10);
  });
});

describe('drawOverlay', () => {
  it('rings the selected VMA and marks the ones a step changed', () => {
    const { layout } = seededSpace();
    const { canvas, calls } = themedCanvas();
    const o = { hovered: 0, selected: 2, focused: 3, changed: [1], flash: 0.5 };
    drawOverlay(canvas, layout, 800, zoomIdentity, o);
    expect(calls).toContain('globalAlpha = 0.5');
    // Hover, selection and focus: three rings, the selection's the thickest.
    expect(calls.filter((c) => c.startsWith('strokeRect('))).toHaveLength(3);
    expect(calls.filter((c) => c.startsWith('lineWidth ='))).toEqual([
      'lineWidth = 1.5',
      'lineWidth = 3',
      'lineWidth = 1.5',
    ]);
  });
});
