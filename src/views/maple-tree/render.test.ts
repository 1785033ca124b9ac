// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The drawing of a seeded maple tree (nine VMAs: a root and two leaves, one
// just built by the ninth mmap), compared with a committed snapshot
// (__snapshots__/render.svg, which opens as the picture it describes): a
// change to the drawing is reviewed as a diff of that file.
import { describe, expect, it } from 'vitest';
import { mapleView, runScenario, summarize } from '../../engine';
import { serializeDom } from '../viewport/dom-testing.fixture';
import { autoTransform } from './controller';
import { DEFAULT_LAYOUT, defaultExpanded, findVma, layoutTree, pathTo } from './layout';
import { renderMapleTree } from './render';

const page = (i: number) => '0x' + (0x200000000000 + i * 0x1000).toString(16);
const mmap = (i: number) =>
  `mmap(${page(i)}, 0x1000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

function seededTree() {
  const out = runScenario(Array.from({ length: 9 }, (_, i) => mmap(2 * i)).join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const step = out.steps.filter((s) => s.maple).at(-1)!;
  return { view: mapleView(step.mm, step.maple), summary: summarize(step.mm) };
}

describe('renderMapleTree', () => {
  const { view, summary } = seededTree();
  const selected = summary.ids[0];
  const leaf = findVma(view, selected)!.leaf;
  const focusPath = new Set(pathTo(view, leaf));
  const open = defaultExpanded(view, [leaf]);
  const layout = layoutTree(view, (i) => open.has(i));
  const [width, height] = [1400, 240];
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  renderMapleTree(svg, {
    view,
    layout,
    options: DEFAULT_LAYOUT,
    summary,
    transform: autoTransform(layout, width),
    width,
    height,
    focusPath,
    hovered: summary.ids[1],
    selected,
  });
  const nodes = [...svg.querySelectorAll('g.mt-node')];
  const entries = [...svg.querySelectorAll('g.mt-entry')];

  it('draws every node of a small tree, each named, and a cell per VMA', () => {
    expect(view.count).toBe(3);
    expect(nodes).toHaveLength(layout.nodes.length);
    expect(nodes.map((n) => n.getAttribute('aria-label'))).toEqual([
      expect.stringMatching(
        /^arange_64 node \d+, 2 slots, written in place by mas_put_in_tree, on the path to the selected VMA$/,
      ),
      expect.stringMatching(/^leaf_64 node \d+, 10 slots, on the path to the selected VMA$/),
      expect.stringMatching(/^leaf_64 node \d+, 9 slots, new by mas_wr_node_store$/),
    ]);
    expect(entries).toHaveLength(summary.count);
    expect(entries[0].getAttribute('aria-label')).toMatch(
      /^Select vma\d+, slot 1 \[0x200000000000, 0x200000000fff\]$/,
    );
  });

  it('marks the selected and hovered VMAs and the path to the selected one', () => {
    expect(entries.map((e) => e.getAttribute('aria-pressed'))).toEqual(
      entries.map((_, i) => String(i === 0)),
    );
    expect(entries[0].classList.contains('selected')).toBe(true);
    expect(entries[1].classList.contains('hovered')).toBe(true);
    expect(svg.querySelectorAll('g.mt-node.mt-focus')).toHaveLength(2);
    expect(svg.querySelector('[role=button][aria-expanded]')?.getAttribute('aria-label')).toMatch(
      /^Collapse node \d+$/,
    );
  });

  it('matches the committed drawing', async () => {
    // data-view numbers the MapleView objects drawn: it depends on the tests run before.
    await expect(serializeDom(svg, ['data-view']) + '\n').toMatchFileSnapshot(
      './__snapshots__/render.svg',
    );
  });
});
