// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The controller without React or a browser: it sizes and draws the step's
// tree, lays it out again only for a new step or selection (a hover only
// redraws), and answers clicks on slots and on a node's toggle.
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { mapleView, runScenario, summarize } from '../../engine';
import { stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { MapleTreeController } from './controller';

beforeAll(stubBrowserGlobals);
afterAll(() => vi.unstubAllGlobals());
/** Each test's controllers, detached after it: no animation frame outlives its test. */
const detachers: (() => void)[] = [];
afterEach(() => detachers.splice(0).forEach((detach) => detach()));

function lastStep(n: number) {
  const page = (i: number) => '0x' + (0x200000000000 + i * 0x2000).toString(16);
  const calls = Array.from(
    { length: n },
    (_, i) => `mmap(${page(i)}, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
  );
  const out = runScenario(calls.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const step = out.steps.filter((s) => s.maple).at(-1)!;
  return { view: mapleView(step.mm, step.maple), summary: summarize(step.mm) };
}

function mounted() {
  const ctl = new MapleTreeController();
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  document.body.append(svg);
  const selected: number[] = [];
  const detach = ctl.attach(document.createElement('div'), svg, {
    onHover: () => {},
    onSelect: (id) => selected.push(id),
    onMoved: () => {},
  });
  detachers.push(detach);
  return { ctl, svg, selected };
}

const layouts = () => performance.getEntriesByName('maple-tree layout').length;

describe('MapleTreeController', () => {
  it('draws the step sized to the tree, and lays out again only when it must', () => {
    const { view, summary } = lastStep(9);
    const { ctl, svg } = mounted();
    performance.clearMeasures('maple-tree layout');
    ctl.update({ view, summary, hovered: null, selected: null });
    expect(svg.querySelectorAll('g.mt-node')).toHaveLength(view.count);
    const height = Number(svg.getAttribute('height'));
    expect(height).toBeGreaterThanOrEqual(160);
    expect(svg.getAttribute('viewBox')).toBe(`0 0 800 ${height}`);
    ctl.update({ hovered: summary.ids[3] });
    expect(layouts()).toBe(1);
    expect(svg.querySelector('.mt-entry.hovered')?.getAttribute('data-vma')).toBe(
      String(summary.ids[3]),
    );
    ctl.update({ selected: summary.ids[0] });
    expect(layouts()).toBe(2);
    expect(svg.querySelectorAll('g.mt-node.mt-focus')).toHaveLength(2);
  });

  it('selects the VMA of a clicked slot, and collapses a node at its toggle', () => {
    const { view, summary } = lastStep(9);
    const { ctl, svg, selected } = mounted();
    ctl.update({ view, summary, hovered: null, selected: null });
    const click = (el: Element | null) =>
      el?.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    click(svg.querySelector(`[data-vma="${summary.ids[4]}"]`));
    expect(selected).toEqual([summary.ids[4]]);
    click(svg.querySelector('[data-toggle]'));
    expect(svg.querySelectorAll('g.mt-node')).toHaveLength(1);
    expect(svg.querySelector('[data-toggle]')?.getAttribute('aria-expanded')).toBe('false');
  });
});
