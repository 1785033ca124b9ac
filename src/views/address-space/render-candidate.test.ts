// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// A merge decision's candidate range, from the engine's own trace: read from
// the step, given room on the line when not mapped yet, and drawn on the SVG
// (a named band, prev/middle/next marked) and on the canvas.
import { zoomIdentity } from 'd3-zoom';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runScenario, summarize, vmaRows, type TraceEvent } from '../../engine';
import { recordingCanvas, stubBrowserGlobals } from '../viewport/dom-testing.fixture';
import { candidateOf, candidateSpan, layoutWithRoom } from './candidate';
import { uncovered } from './change';
import { DEFAULT_LAYOUT, layoutRanges } from './layout';
import { renderAddressSpace, type VmaEvents } from './render';
import { renderCandidate } from './render-candidate';
import { drawOverlay } from './render-canvas';

beforeAll(stubBrowserGlobals);
afterAll(() => vi.unstubAllGlobals());

const anon = (addr: string, len: string, prot = 'PROT_READ|PROT_WRITE') =>
  `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/** The first merge decision by `fn` of a scenario, with the VMAs at that step. */
function decision(lines: string[], fn: string) {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const step = out.steps.find((s) => s.fn === fn && s.vmg);
  if (!step) throw new Error(`no ${fn}`);
  const event: TraceEvent = step;
  return { event, summary: summarize(step.mm), rows: vmaRows(step.mm) };
}

const events: VmaEvents = { onHover: () => {}, onFocus: () => {}, onSelect: () => {} };
const WIDTH = 800;

describe('a new range beside prev (vma_merge_new_range)', () => {
  // Read-only beside read-write: the flags differ, no merge.
  const { event, summary, rows } = decision(
    [anon('0x200000000000', '0x4000'), anon('0x200000004000', '0x2000', 'PROT_READ')],
    'vma_merge_new_range',
  );
  const c = candidateOf(event)!;

  it('reads the range and the VMAs from the merge state', () => {
    expect(c.label).toBe('Candidate range 0x200000004000–0x200000006000 (vma_merge_new_range)');
    expect(c.description).toBe('prev vma1, middle none, next none; VMA_MERGE_NOMERGE');
    expect([c.prev, c.middle, c.next]).toEqual([1, null, null]);
    expect(candidateOf({ fn: 'x', source: 'mm/vma.c', message: '' })).toBeNull();
  });

  it('keeps room for the range, which no VMA covers, in proportion', () => {
    const extra = uncovered(summary.starts, summary.ends, c.start, c.end);
    expect(extra).toEqual([{ start: c.start, end: c.end }]);
    const lay = (s: ArrayLike<number>, e: ArrayLike<number>) =>
      layoutRanges(s, e, { ...DEFAULT_LAYOUT, width: WIDTH, minVmaWidth: 0 });
    const { layout, room } = layoutWithRoom(summary.starts, summary.ends, extra, lay);
    // 16 KiB of VMA, then 8 KiB of new range: two thirds and one third.
    expect(layout.width[0]).toBeCloseTo((WIDTH * 2) / 3);
    expect(room[0].x).toBeCloseTo((WIDTH * 2) / 3);
    expect(room[0].w).toBeCloseTo(WIDTH / 3);
    const band = candidateSpan(summary.starts, summary.ends, layout, c, room, WIDTH);
    expect(band.x).toBeCloseTo(room[0].x);
    expect(band.w).toBeCloseTo(room[0].w);

    // Drawn on the SVG: a named band, prev marked.
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    renderAddressSpace(svg, rows, layout, WIDTH, zoomIdentity, events);
    renderCandidate(svg, c, band, zoomIdentity);
    const g = svg.querySelector('g.candidate')!;
    expect(g.getAttribute('role')).toBe('img');
    expect(g.getAttribute('aria-label')).toBe(c.label);
    expect(g.getAttribute('aria-description')).toBe(c.description);
    expect(g.querySelector('title')?.textContent).toContain(c.label);
    const rect = g.querySelector('rect.candidate-band')!;
    expect(Number(rect.getAttribute('x'))).toBeCloseTo(room[0].x);
    expect(Number(rect.getAttribute('width'))).toBeCloseTo(room[0].w);
    // Over the VMAs: the last element drawn.
    expect(svg.lastElementChild).toBe(g);
    expect(svg.querySelector('g.vma')?.getAttribute('data-candidate')).toBe('prev');
    // The next step decides nothing: the band and the marks go.
    renderCandidate(svg, null, null, zoomIdentity);
    expect(svg.querySelector('g.candidate')).toBeNull();
    expect(svg.querySelector('g.vma')?.hasAttribute('data-candidate')).toBe(false);
  });
});

describe('a range inside a VMA (vma_merge_existing_range)', () => {
  const { event, summary } = decision(
    [anon('0x200000000000', '0x4000'), 'mprotect(0x200000001000, 0x1000, PROT_READ)'],
    'vma_merge_existing_range',
  );
  const c = candidateOf(event)!;

  it('marks the middle and draws the band inside it, on the canvas too', () => {
    expect(c.label).toBe(
      'Candidate range 0x200000001000–0x200000002000 (vma_merge_existing_range)',
    );
    expect(c.middle).toBe(summary.ids[0]);
    expect(uncovered(summary.starts, summary.ends, c.start, c.end)).toEqual([]);
    const layout = layoutRanges(summary.starts, summary.ends, { ...DEFAULT_LAYOUT, width: WIDTH });
    const band = candidateSpan(summary.starts, summary.ends, layout, c, [], WIDTH);
    // The second of four pages.
    expect(band).toEqual({ x: WIDTH / 4, w: WIDTH / 4 });
    const { canvas, calls } = recordingCanvas();
    drawOverlay(canvas, layout, WIDTH, zoomIdentity, {
      hovered: -1,
      selected: -1,
      focused: -1,
      changed: [],
      flash: 0,
      candidate: band,
      candidateVmas: [0],
    });
    expect(calls).toContain('setLineDash([5,3])');
    // The band (filled and outlined), then the middle VMA outlined.
    expect(calls).toContain('fillRect(200, 22, 200, 52)');
    expect(calls).toContain('strokeRect(200, 22, 200, 52)');
    expect(calls.filter((s) => s.startsWith('strokeRect('))).toHaveLength(2);
  });
});
