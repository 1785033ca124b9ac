// SPDX-License-Identifier: GPL-2.0-or-later
// Draws the address space into an <svg> with D3, from plain data. VMAs are
// joined by id, so a VMA that grows, shrinks or moves slides to its new place
// and a new or unmapped one fades in or out.
import { select } from 'd3-selection';
import 'd3-transition';
import type { VmaRow } from '../../engine';
import { DEFAULT_LAYOUT, formatSize, layoutAddressSpace, type Segment } from './layout';

export const HEIGHT = 96;
const BAR_Y = 28;
const BAR_H = 40;
const DURATION = 350;

/** No animation for users who ask for less motion (and for screenshots). */
const duration = (): number =>
  typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches
    ? 0
    : DURATION;

const hex = (n: number) => n.toString(16);

export function renderAddressSpace(svg: SVGSVGElement, vmas: readonly VmaRow[], width: number) {
  const segments = layoutAddressSpace(vmas, { ...DEFAULT_LAYOUT, width });
  const root = select(svg).attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('width', width);

  const vmaSegs = segments.filter((s): s is Extract<Segment, { kind: 'vma' }> => s.kind === 'vma');
  const groups = root
    .selectAll<SVGGElement, Extract<Segment, { kind: 'vma' }>>('g.vma')
    .data(vmaSegs, (d) => String(d.vma.id));

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

  const all = entered.merge(groups);
  all.attr('aria-label', (d) => d.vma.maps.trimEnd()).attr('data-kind', (d) => d.vma.kind);
  all.select('title').text((d) => `${d.vma.maps.trimEnd()}\nVmFlags: ${d.vma.flags.join(' ')}`);
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
    .text((d) => (d.width > 34 ? d.vma.maps.split(' ')[1] : ''));

  // Breaks and their sizes, and the first address of each run of VMAs.
  const gaps = segments.filter(
    (s): s is Extract<Segment, { kind: 'gap' }> => s.kind === 'gap' && s.broken,
  );
  const gapGroups = root
    .selectAll<SVGGElement, Extract<Segment, { kind: 'gap' }>>('g.gap')
    .data(gaps)
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
  const starts = vmaSegs.filter((s, i) => i === 0 || vmaSegs[i - 1].vma.end !== s.vma.start);
  root
    .selectAll<SVGTextElement, Extract<Segment, { kind: 'vma' }>>('text.addr')
    .data(starts, (d) => String(d.vma.id))
    .join('text')
    .attr('class', 'addr')
    .attr('x', (d) => d.x)
    .attr('y', BAR_Y - 8)
    .text((d) => hex(d.vma.start));
}
