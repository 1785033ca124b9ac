// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The tree shown fits its box at first: a 107-VMA tree, and the part of a
// 4,000-VMA tree shown by default, inside the drawing at the zoom
// autoTransform() picks, with the names that matter at least 9 px high.
import { describe, expect, it } from 'vitest';
import { loadProcMaps, mapleView, runScenario, summarize, type MapleView } from '../../engine';
import { autoTransform, drawingHeight } from './controller';
import { DEFAULT_LAYOUT, defaultExpanded, layoutTree } from './layout';
import { FONT_PX, GUTTER, renderMapleTree } from './render';

const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);

/** The last step of `n` one-page mmaps a page apart, which none merge, with what it wrote. */
function separate(n: number) {
  const lines = Array.from(
    { length: n },
    (_, i) =>
      `mmap(${page(2 * i)}, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const step = out.steps.filter((s) => s.maple).at(-1)!;
  return { view: mapleView(step.mm, step.maple), summary: summarize(step.mm) };
}

function big(): MapleView {
  const lines: string[] = [];
  for (let i = 0; i < 4000; i++) {
    const start = 0x200000000000 + i * 0x2000;
    lines.push(`${start.toString(16)}-${(start + 0x1000).toString(16)} rw-p 00000000 00:00 0 `);
  }
  const loaded = loadProcMaps(lines.join('\n') + '\n', 'maps');
  if (!loaded.ok) throw new Error('maps');
  return mapleView(loaded.mm);
}

/** Where each shown node lands on screen at the fitted zoom of a box `width` wide. */
function fitted(view: MapleView, width: number) {
  const open = defaultExpanded(view);
  const layout = layoutTree(view, (i) => open.has(i));
  const t = autoTransform(layout, width);
  const height = drawingHeight(layout, width);
  const rects = layout.nodes.map((p) => ({
    x0: t.applyX(p.x),
    x1: t.applyX(p.x + p.width),
    y0: t.applyY(p.y),
    y1: t.applyY(p.y + p.height),
  }));
  const drawn = { view, layout, options: DEFAULT_LAYOUT, transform: t, width, height };
  return { layout, t, height, rects, drawn };
}

describe('the maple tree fits its box', () => {
  for (const width of [900, 600]) {
    it(`a 107-VMA tree, every node inside a box ${width} px wide`, () => {
      const { view } = separate(107);
      expect(view.count).toBeGreaterThan(10);
      const { layout, t, height, rects } = fitted(view, width);
      expect(layout.nodes).toHaveLength(view.count);
      // Fitted to the width beside the levels' names, never above the drawing's height.
      expect(layout.width * t.k).toBeLessThanOrEqual(width - GUTTER);
      for (const r of rects) {
        expect(r.x0).toBeGreaterThanOrEqual(GUTTER);
        expect(r.x1).toBeLessThanOrEqual(width);
        expect(r.y0).toBeGreaterThanOrEqual(0);
        expect(r.y1).toBeLessThanOrEqual(height);
      }
      // Wide enough a box draws it at a scale where a column holds a node's number.
      expect(t.k).toBeGreaterThanOrEqual(width === 900 ? 1 : 0.75);
    });
  }

  it('the part of a 4,000-VMA tree shown by default fits too', () => {
    const view = big();
    const { layout, height, rects } = fitted(view, 900);
    expect(layout.nodes.length).toBeLessThan(view.count);
    for (const r of rects) {
      expect(r.x0).toBeGreaterThanOrEqual(GUTTER);
      expect(r.x1).toBeLessThanOrEqual(900);
      expect(r.y1).toBeLessThanOrEqual(height);
    }
  });

  it('writes the levels’ kinds and the touched nodes’ names at least 9 px high', () => {
    const { view, summary } = separate(107);
    const width = 700;
    const { t, drawn } = fitted(view, width);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    renderMapleTree(svg, {
      ...drawn,
      summary,
      focusPath: new Set(),
      hovered: null,
      selected: null,
    });
    const levels = [...svg.querySelectorAll('text.mt-level')].map((e) => e.textContent);
    expect(levels).toEqual(['arange_64', 'arange_64', 'leaf_64'].slice(3 - view.height));
    const touched = [...svg.querySelectorAll('g.mt-node')].filter(
      (g) => g.getAttribute('data-status') !== 'unchanged',
    );
    expect(touched.length).toBeGreaterThan(0);
    for (const g of touched) {
      const label = g.querySelector('text.mt-label');
      expect(label?.textContent).toMatch(/#\d+/);
      const px = Number(/font-size:([\d.]+)px/.exec(label?.getAttribute('style') ?? '')?.[1]);
      expect(px * t.k).toBeGreaterThanOrEqual(9);
      expect(px * t.k).toBeCloseTo(FONT_PX, 0);
    }
  });

  it('lights up what the step wrote once, not again when the zoom redraws it', () => {
    const { view, summary } = separate(107);
    const { t, drawn } = fitted(view, 700);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    const state = {
      ...drawn,
      summary,
      focusPath: new Set<number>(),
      hovered: null,
      selected: null,
    };
    renderMapleTree(svg, state);
    const lit = () => [...svg.querySelectorAll('.mt-frame.mt-arrive')].length;
    const wrote = [...view.status].filter((s) => s >= 2).length;
    expect(wrote).toBeGreaterThan(0);
    expect(lit()).toBe(wrote);
    renderMapleTree(svg, { ...state, transform: t.scale(2) });
    expect(lit()).toBe(0);
  });
});
