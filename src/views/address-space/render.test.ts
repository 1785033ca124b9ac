// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The SVG drawing of a seeded address space, compared with a committed
// snapshot (__snapshots__/render.svg, which opens as the picture it
// describes): a change to the drawing is reviewed as a diff of that file.
import { zoomIdentity } from 'd3-zoom';
import { describe, expect, it } from 'vitest';
import { serializeDom } from '../viewport/dom-testing.fixture';
import { renderAddressSpace, renderHighlight, type VmaEvents } from './render';
import { seededSpace } from './render.fixture';

const events: VmaEvents = { onHover: () => {}, onFocus: () => {}, onSelect: () => {} };

describe('renderAddressSpace', () => {
  const { summary, rows, layout } = seededSpace();
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  renderAddressSpace(svg, rows, layout, 800, zoomIdentity, events);
  const selected = rows[2].id;
  renderHighlight(svg, rows[0].id, selected, null);
  const vmas = [...svg.querySelectorAll('g.vma')];

  it('draws one list item per VMA, named by its maps line, in address order', () => {
    expect(summary.count).toBe(4);
    expect(vmas).toHaveLength(summary.count);
    expect(vmas.map((g) => g.getAttribute('role'))).toEqual(Array(4).fill('listitem'));
    expect(vmas[0].getAttribute('aria-label')).toMatch(
      /^200000000000-200000002000 r--p 00003000 00:00 0 +\/data\/lib\.so$/,
    );
    expect(vmas.map((g) => g.getAttribute('aria-label'))).toEqual(
      rows.map((r) => r.maps.trimEnd()),
    );
  });

  it('marks the selected, hovered, sealed and guarded VMAs', () => {
    expect(vmas[2].getAttribute('aria-current')).toBe('true');
    expect(vmas[2].classList.contains('selected')).toBe(true);
    // Tab reaches the selected VMA: a roving tabindex.
    expect(vmas.map((g) => g.getAttribute('tabindex'))).toEqual(['-1', '-1', '0', '-1']);
    expect(vmas[0].classList.contains('hovered')).toBe(true);
    expect(vmas[2].getAttribute('data-sealed')).toBe('true');
    expect(vmas[2].getAttribute('aria-description')).toBe('anonymous, sealed');
    expect(vmas[3].querySelectorAll('rect.guard')).toHaveLength(1);
    expect(svg.querySelectorAll('g.gap')).toHaveLength(layout.breaks.length);
  });

  it('matches the committed drawing', async () => {
    await expect(serializeDom(svg) + '\n').toMatchFileSnapshot('./__snapshots__/render.svg');
  });
});

describe('accessOf', () => {
  it('tells rw-p from r--p and ---p: the drawing’s second channel', async () => {
    const { accessOf } = await import('./render');
    // Bits: 1 read, 2 write, 4 exec, 8 shared.
    expect([3, 11, 7, 1, 5, 4, 9, 0, 8].map(accessOf)).toEqual([
      'write',
      'write',
      'write',
      'read',
      'read',
      'read',
      'read',
      'none',
      'none',
    ]);
  });
});
