// SPDX-License-Identifier: GPL-2.0-or-later
// Draws the address space into an <svg> with D3, one element per VMA, for
// spaces small enough to be read VMA by VMA. VMAs are joined by id, so one
// that grows, shrinks or moves slides to its new place and a new or unmapped
// one fades in or out.
import { select } from 'd3-selection';
import 'd3-transition';
import type { ZoomTransform } from 'd3-zoom';
import type { VmaRow } from '../../engine';
import { formatSize, type GapBreak, type RangeLayout } from './layout';

export const HEIGHT = 96;
export const BAR_Y = 28;
export const BAR_H = 40;
const DURATION = 350;

/** No animation for users who ask for less motion (and for screenshots). */
const duration = (): number =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches
    ? 0
    : DURATION;

interface Placed {
  row: VmaRow;
  x: number;
  width: number;
}

/** `rows[i]` is drawn at `layout.x[i]`, `layout.width[i]`, under the zoom `t`. */
/** Hover and selection, shared with the other views through the store. */
export interface Highlight {
  hovered: number | null;
  selected: number | null;
  onHover(id: number | null): void;
  onSelect(id: number): void;
}

export function renderAddressSpace(
  svg: SVGSVGElement,
  rows: readonly VmaRow[],
  layout: RangeLayout,
  width: number,
  t: ZoomTransform,
  highlight: Highlight,
) {
  const placed: Placed[] = rows.map((row, i) => ({
    row,
    x: t.applyX(layout.x[i]),
    width: layout.width[i] * t.k,
  }));
  const root = select(svg).attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('width', width);
  const groups = root.selectAll<SVGGElement, Placed>('g.vma').data(placed, (d) => String(d.row.id));

  groups.exit().transition().duration(duration()).style('opacity', 0).remove();

  const entered = groups
    .enter()
    .append('g')
    .attr('class', 'vma')
    .attr('role', 'listitem')
    .style('opacity', 0)
    .attr('transform', (d) => `translate(${d.x},${BAR_Y})`);
  entered.append('title');
  entered
    .append('rect')
    .attr('height', BAR_H)
    .attr('rx', 2)
    .attr('width', (d) => Math.max(1, d.width - 1));
  entered
    .append('text')
    .attr('class', 'perms')
    .attr('y', BAR_H / 2 + 4);

  // Entering VMAs are appended: put the elements back in address order, the
  // order a screen reader and the maps table read them in.
  const all = entered.merge(groups).order();
  all
    .attr('aria-label', (d) => d.row.maps.trimEnd())
    .attr('data-kind', (d) => d.row.kind)
    .classed('hovered', (d) => d.row.id === highlight.hovered)
    .classed('selected', (d) => d.row.id === highlight.selected)
    .attr('aria-current', (d) => (d.row.id === highlight.selected ? 'true' : null))
    .on('mouseenter', (_e, d) => highlight.onHover(d.row.id))
    .on('mouseleave', () => highlight.onHover(null))
    .on('click', (_e, d) => highlight.onSelect(d.row.id));
  all.select('title').text((d) => `${d.row.maps.trimEnd()}\nVmFlags: ${d.row.flags.join(' ')}`);
  all
    .transition()
    .duration(duration())
    .style('opacity', 1)
    .attr('transform', (d) => `translate(${d.x},${BAR_Y})`);
  all
    .select('rect')
    .transition()
    .duration(duration())
    .attr('width', (d) => Math.max(1, d.width - 1));
  all
    .select('text')
    .attr('x', (d) => d.width / 2)
    .text((d) => (d.width > 34 ? d.row.maps.split(' ')[1] : ''));

  const breaks = layout.breaks.map((b) => ({ ...b, x: t.applyX(b.x), width: b.width * t.k }));
  const gapGroups = root
    .selectAll<SVGGElement, GapBreak>('g.gap')
    .data(breaks)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'gap');
      g.append('title');
      g.append('text')
        .attr('class', 'gap-mark')
        .attr('y', BAR_Y + BAR_H / 2 + 4)
        .text('⋯');
      g.append('text')
        .attr('class', 'gap-size')
        .attr('y', BAR_Y + BAR_H + 16);
      return g;
    })
    .attr('transform', (d) => `translate(${d.x + d.width / 2},0)`);
  gapGroups.select('title').text((d) => `unmapped: ${formatSize(d.end - d.start)}`);
  gapGroups.select('text.gap-size').text((d) => formatSize(d.end - d.start));

  // The first address of each run of touching VMAs.
  const starts = placed.filter((p, i) => i === 0 || rows[i - 1].end !== p.row.start);
  root
    .selectAll<SVGTextElement, Placed>('text.addr')
    .data(starts, (d) => String(d.row.id))
    .join('text')
    .attr('class', 'addr')
    .attr('x', (d) => d.x)
    .attr('y', BAR_Y - 8)
    .text((d) => d.row.start.toString(16));
}
