// SPDX-License-Identifier: GPL-2.0-or-later
// Draws the address space into an <svg> with D3, one element per VMA, for
// spaces small enough to be read VMA by VMA: coloured by kind, hatched where
// guard markers are, outlined when sealed, with the permission letters and a
// label where they fit. VMAs are joined by id; animate.ts moves them between
// consecutive steps. Hover, focus and selection are drawn by renderHighlight,
// so that they never interrupt an animation.
import { select, type Selection } from 'd3-selection';
import type { ZoomTransform } from 'd3-zoom';
import type { VmaRow } from '../../engine';
import { animationMs, playAnimation, type AnimationPlan, type Span } from './animate';
import { permLetters, rowMarks, vmaDescription, vmaText, guardPages } from './describe';
import { isSelectKey, moveKey } from './keys';
import { formatSize, type GapBreak, type RangeLayout } from './layout';

export const HEIGHT = 96;
export const BAR_Y = 28;
export const BAR_H = 40;
/** Roughly the width of one character of the 11px monospace labels. */
const CHAR_W = 6.7;

/** What the view does when the user points at, focuses or picks a VMA. */
export interface VmaEvents {
  onHover(id: number | null): void;
  onFocus(id: number | null): void;
  onSelect(id: number): void;
}

interface Placed {
  id: number;
  row: VmaRow;
  /** On screen, clipped to the view (a VMA zoomed far in would be millions of pixels wide). */
  x: number;
  w: number;
  /** Guard-marker stripes, relative to `x`. */
  guards: { x: number; w: number }[];
}

/** A layout span on screen under `t`, clipped to `[-4, width + 4]`. */
export function toScreen(span: Span, t: ZoomTransform, width: number): { x: number; w: number } {
  const x0 = t.applyX(span.x);
  const x1 = x0 + span.w * t.k;
  const x = Math.min(Math.max(x0, -4), width + 4);
  return { x, w: Math.max(0, Math.min(x1, width + 4) - x) };
}

function place(row: VmaRow, i: number, layout: RangeLayout, t: ZoomTransform, width: number) {
  const { x, w } = toScreen({ x: layout.x[i], w: layout.width[i] }, t, width);
  const guards = row.guards.map(([s, e]) => {
    const perByte = layout.width[i] / (row.end - row.start);
    const g = toScreen(
      { x: layout.x[i] + (s - row.start) * perByte, w: (e - s) * perByte },
      t,
      width,
    );
    // At least two pixels, so that one guard page among thousands shows.
    return { x: g.x - x, w: Math.max(2, g.w) };
  });
  return { id: row.id, row, x, w, guards };
}

/** The hatch patterns, once per <svg>. */
function ensureDefs(svg: Selection<SVGSVGElement, unknown, null, undefined>) {
  if (!svg.select('defs').empty()) return;
  const defs = svg.insert('defs', ':first-child');
  for (const [id, cls] of [
    ['as-hatch-guard', 'hatch-guard'],
    ['as-hatch-sealed', 'hatch-sealed'],
  ]) {
    const p = defs
      .append('pattern')
      .attr('id', id)
      .attr('width', 6)
      .attr('height', 6)
      .attr('patternUnits', 'userSpaceOnUse')
      .attr('patternTransform', 'rotate(45)');
    p.append('rect').attr('class', `${cls}-bg`).attr('width', 6).attr('height', 6);
    p.append('line').attr('class', cls).attr('x1', 0).attr('y1', 0).attr('x2', 0).attr('y2', 6);
  }
}

/**
 * Draws `rows` (all the step's VMAs, in address order) at `layout` under the
 * zoom `t`. With `plan`, the change from the step drawn before is animated.
 */
export function renderAddressSpace(
  svg: SVGSVGElement,
  rows: readonly VmaRow[],
  layout: RangeLayout,
  width: number,
  t: ZoomTransform,
  events: VmaEvents,
  plan: AnimationPlan | null = null,
): void {
  const placed: Placed[] = rows.map((row, i) => place(row, i, layout, t, width));
  const root = select(svg).attr('viewBox', `0 0 ${width} ${HEIGHT}`).attr('width', width);
  ensureDefs(root);
  const ms = plan ? animationMs() : 0;

  // Elements still fading out from the step before are no longer VMAs of this one.
  root.selectAll('g.leaving').interrupt().remove();
  const groups = root.selectAll<SVGGElement, Placed>('g.vma').data(placed, (d) => String(d.id));
  const gone = groups.exit<Placed>();

  const entered = groups
    .enter()
    .append('g')
    .attr('class', 'vma')
    .attr('role', 'listitem')
    .attr('tabindex', -1);
  entered.append('rect').attr('class', 'body').attr('height', BAR_H).attr('rx', 2);
  const deco = entered.append('g').attr('class', 'deco').attr('aria-hidden', 'true');
  deco.append('g').attr('class', 'guards');
  deco
    .append('text')
    .attr('class', 'perms')
    .attr('y', BAR_H / 2 - 4);
  deco
    .append('text')
    .attr('class', 'label')
    .attr('y', BAR_H / 2 + 12);
  deco
    .append('rect')
    .attr('class', 'seal')
    .attr('x', 1.5)
    .attr('y', 1.5)
    .attr('height', BAR_H - 3)
    .attr('rx', 2);

  // Entering VMAs are appended: put the elements back in address order, the
  // order a screen reader, the arrow keys and the maps table follow.
  const all = entered.merge(groups).order();
  all
    .attr('aria-label', (d) => d.row.maps.trimEnd())
    .attr('aria-description', (d) => vmaDescription(d.row.kind, rowMarks(d.row), guardPages(d.row)))
    .attr('data-kind', (d) => d.row.kind)
    .attr('data-access', (d) => accessOf(perms(d.row)))
    .attr('data-sealed', (d) => (d.row.sealed ? 'true' : null))
    .attr('data-maybe-guard', (d) => (d.row.maybeGuard ? 'true' : null))
    .attr('data-inferred', (d) => (d.row.inferred ? 'true' : null))
    .on('mouseenter', (_e, d) => events.onHover(d.id))
    .on('mouseleave', () => events.onHover(null))
    .on('click', (_e, d) => events.onSelect(d.id))
    .on('focus', (_e, d) => events.onFocus(d.id))
    .on('blur', () => events.onFocus(null))
    .on('keydown', (e: KeyboardEvent, d) => onVmaKey(e, d.id, events));

  all
    .select('rect.seal')
    .style('display', (d) => (d.row.sealed && d.w > 4 ? null : 'none'))
    .attr('width', (d) => Math.max(0, d.w - 4));
  all
    .select('g.guards')
    .selectAll('rect')
    .data((d) => d.guards)
    .join('rect')
    .attr('class', 'guard')
    .attr('x', (g) => g.x)
    .attr('width', (g) => g.w)
    .attr('height', BAR_H);
  all
    .select('text.perms')
    .attr('x', (d) => d.w / 2)
    // The engine's messages and the Reasons name VMAs `vma3`: say it where it fits.
    .text((d) => {
      const letters = permLetters(perms(d.row));
      const named = `vma${d.row.id} ${letters}`;
      return d.w > named.length * CHAR_W + 6 ? named : d.w > 34 ? letters : '';
    });
  all
    .select('text.label')
    .attr('x', (d) => d.w / 2)
    .text((d) => {
      const text = vmaText(d.row);
      return d.w > text.length * CHAR_W + 6 ? text : '';
    });

  if (plan && ms > 0) {
    gone.classed('vma', false).classed('leaving', true).attr('tabindex', null).attr('role', null);
    playAnimation(all, gone, plan, (s) => toScreen(s, t, width), BAR_Y, ms);
  } else {
    gone.remove();
    all.interrupt().style('opacity', 1);
    all.attr('transform', (d) => `translate(${d.x},${BAR_Y})`);
    all.select('g.deco').interrupt().style('opacity', 1);
    all
      .select('rect.body')
      .interrupt()
      .attr('width', (d) => Math.max(0.5, d.w - 1));
  }

  drawBreaks(root, layout, t, width);
  drawAddresses(root, placed, rows, width);
}

/**
 * How much a VMA lets the program do, the drawing's second channel beside
 * the kind's colour: `rw-p` and `r--p` must not look the same. Full colour
 * writable, lighter read-only (or execute-only), pale for PROT_NONE.
 */
export function accessOf(bits: number): 'write' | 'read' | 'none' {
  return bits & 2 ? 'write' : bits & 5 ? 'read' : 'none';
}

/** The permission bits of a row, from its maps line (`rw-p`). */
function perms(row: VmaRow): number {
  const p = row.maps.split(' ')[1] ?? '';
  return (
    (p[0] === 'r' ? 1 : 0) |
    (p[1] === 'w' ? 2 : 0) |
    (p[2] === 'x' ? 4 : 0) |
    (p[3] === 's' ? 8 : 0)
  );
}

/** Arrow keys, Home and End move between VMAs; Enter or Space picks one; Escape leaves. */
function onVmaKey(e: KeyboardEvent, id: number, events: VmaEvents): void {
  const el = e.currentTarget as SVGGElement;
  const items = [...(el.ownerSVGElement?.querySelectorAll<SVGGElement>('g.vma') ?? [])];
  const i = items.indexOf(el);
  let to: SVGGElement | undefined;
  if (isSelectKey(e.key)) events.onSelect(id);
  else if (e.key === 'Escape') el.blur();
  else {
    const k = moveKey(e.key, i, items.length);
    if (k === null) return;
    to = items[k];
  }
  // The window's keys step through time; inside the address space they move between VMAs.
  e.preventDefault();
  e.stopPropagation();
  if (to && to !== el) {
    for (const item of items) item.setAttribute('tabindex', item === to ? '0' : '-1');
    to.focus();
  }
}

/**
 * Hover, selection and the one VMA the Tab key reaches (a roving tabindex:
 * `focusable`, else the selected VMA, else the first).
 */
export function renderHighlight(
  svg: SVGSVGElement,
  hovered: number | null,
  selected: number | null,
  focusable: number | null,
): void {
  const all = select(svg).selectAll<SVGGElement, Placed>('g.vma');
  const ids = new Set(all.data().map((d) => d.id));
  const tab =
    focusable !== null && ids.has(focusable)
      ? focusable
      : selected !== null && ids.has(selected)
        ? selected
        : all.empty()
          ? null
          : all.datum().id;
  all
    .classed('hovered', (d) => d.id === hovered)
    .classed('selected', (d) => d.id === selected)
    .attr('aria-current', (d) => (d.id === selected ? 'true' : null))
    .attr('tabindex', (d) => (d.id === tab ? 0 : -1));
}

function drawBreaks(
  root: Selection<SVGSVGElement, unknown, null, undefined>,
  layout: RangeLayout,
  t: ZoomTransform,
  width: number,
) {
  const breaks = layout.breaks
    .map((b) => ({ ...b, x: t.applyX(b.x), width: b.width * t.k }))
    .filter((b) => b.x + b.width >= 0 && b.x <= width);
  const gapGroups = root
    .selectAll<SVGGElement, GapBreak>('g.gap')
    .data(breaks)
    .join((enter) => {
      const g = enter.append('g').attr('class', 'gap');
      g.append('title');
      g.append('rect')
        .attr('class', 'gap-band')
        .attr('y', BAR_Y + 6)
        .attr('height', BAR_H - 12);
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
  gapGroups
    .select('rect.gap-band')
    .attr('x', (d) => -d.width / 2 + 2)
    .attr('width', (d) => Math.max(0, d.width - 4));
  gapGroups.select('title').text((d) => `unmapped: ${formatSize(d.end - d.start)}`);
  gapGroups.select('text.gap-size').text((d) => formatSize(d.end - d.start));
}

/** The first address of each run of touching VMAs, where there is room for it. */
function drawAddresses(
  root: Selection<SVGSVGElement, unknown, null, undefined>,
  placed: Placed[],
  rows: readonly VmaRow[],
  width: number,
) {
  let last = -Infinity;
  const starts = placed.filter((p, i) => {
    if (i > 0 && rows[i - 1].end === p.row.start) return false;
    if (p.x < -2 || p.x > width - 20 || p.x - last < 110) return false;
    last = p.x;
    return true;
  });
  root
    .selectAll<SVGTextElement, Placed>('text.addr')
    .data(starts, (d) => String(d.id))
    .join('text')
    .attr('class', 'addr')
    .attr('x', (d) => d.x)
    .attr('y', BAR_Y - 8)
    .text((d) => d.row.start.toString(16));
}
