// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The overview strip of a large space, through a recording 2D context:
// every VMA in runs, and the stretches the main line's window leaves out
// dimmed.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { drawOverview, OVERVIEW_H, stripSpan } from './render-overview';
import { manyVmas, themedCanvas } from './render.fixture';

// jsdom has no matchMedia; the palette asks whether the page is dark.
beforeAll(stubBrowserGlobals);
afterAll(() => vi.unstubAllGlobals());

describe('drawOverview', () => {
  it('draws 5,000 VMAs of one kind as one strip and dims what the window leaves out', () => {
    const { summary, layout } = manyVmas(5000);
    const frame = stripSpan(layout, 2000, 2050, 4);
    // Fifty of 5,000 VMAs: a hundredth of the strip, from VMA 2,000's place.
    expect(frame.x).toBeCloseTo(layout.x[2000]);
    expect(frame.w).toBeCloseTo(8, 0);
    // A window narrower than the least frame is widened about its middle.
    const one = stripSpan(layout, 2000, 2001, 4);
    expect(one.w).toBe(4);
    expect(one.x + one.w / 2).toBeCloseTo(layout.x[2000] + layout.width[2000] / 2);
    const { canvas, calls } = themedCanvas();
    drawOverview(canvas, summary, layout, 800, frame);
    const fills = calls.filter((c) => c.startsWith('fillRect('));
    // One run of VMAs, then the two dimmed stretches either side of the window.
    expect(fills).toHaveLength(3);
    expect(fills[1]).toBe(`fillRect(0, 0, ${Math.round(frame.x)}, ${OVERVIEW_H})`);
    expect(calls).toContain('globalAlpha = 0.55');
  });
});
