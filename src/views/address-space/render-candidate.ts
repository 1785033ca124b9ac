// SPDX-License-Identifier: GPL-2.0-or-later
// The SVG's mark of a merge decision (candidate.ts): a dashed band over the
// range the vma_merge_struct holds, named for screen readers, and the VMAs it
// names (prev, middle, next) outlined, as the decision stands at this step.
import { select } from 'd3-selection';
import type { ZoomTransform } from 'd3-zoom';
import { candidateRole, type Candidate, type Span } from './candidate';
import { BAR_H, BAR_Y } from './render';

/** How far the band reaches above and below the bar. */
const OVER = 6;

/** Draws `c` (or removes the mark when null) at `band` (candidateSpan(), untransformed). */
export function renderCandidate(
  svg: SVGSVGElement,
  c: Candidate | null,
  band: Span | null,
  t: ZoomTransform,
): void {
  const root = select(svg);
  root
    .selectAll<SVGGElement, { id: number }>('g.vma')
    .attr('data-candidate', (d) => (c ? candidateRole(c, d.id) : null));
  const drawn = root
    .selectAll<SVGGElement, Candidate>('g.candidate')
    .data(c && band ? [c] : [])
    .join((enter) => {
      const g = enter.append('g').attr('class', 'candidate').attr('role', 'img');
      g.append('title');
      g.append('rect')
        .attr('class', 'candidate-band')
        .attr('y', BAR_Y - OVER)
        .attr('height', BAR_H + 2 * OVER)
        .attr('rx', 3);
      return g;
    })
    .attr('aria-label', (d) => d.label)
    .attr('aria-description', (d) => d.description)
    // Over the VMAs, however many entered since.
    .raise();
  drawn.select('title').text((d) => `${d.label}: ${d.description}`);
  if (band)
    drawn
      .select('rect.candidate-band')
      .attr('x', t.applyX(band.x))
      .attr('width', band.w * t.k);
}
