// SPDX-License-Identifier: GPL-2.0-or-later
// Draws the shown nodes of the maple tree into an <svg> with D3: one group
// per node (joined by node id), a row of slot cells with the pivots under
// them and, for maple_arange_64, the gaps; one path for all parent-child
// edges. Only nodes inside the visible rectangle are in the document, so a
// tree with thousands of leaves costs what is on screen.
// It is one long file because the node, slot, edge and highlight joins
// share one zoom transform and one label-fitting rule; split, each would
// re-derive them.
import { select } from 'd3-selection';
import type { ZoomTransform } from 'd3-zoom';
import { MAPLE_VIEW_STRIDE, type MapleView, type StepSummary, VMA_KINDS } from '../../engine';
import { nodeLabel, STATUS_WORDS } from './caption';
import {
  type LayoutOptions,
  type PlacedNode,
  type TreeLayout,
  slotCount,
  visibleNodes,
  ARANGE,
  LEAF,
} from './layout';

const TYPE_NAMES = ['dense', 'leaf_64', 'range_64', 'arange_64'];
const ULONG_MAX = 2 ** 53 - 1;

/** An index as the kernel prints it (the tree's encoding is the identity below 2^52). */
export function indexHex(v: number): string {
  return v === ULONG_MAX ? 'ULONG_MAX' : '0x' + v.toString(16);
}

/** A cell's worth of an index: its last hex digits. */
export function shortHex(v: number): string {
  if (v === ULONG_MAX) return 'max';
  const h = v.toString(16);
  return h.length > 5 ? '…' + h.slice(-5) : h;
}

/** A gap's size in a cell: 4K, 1.5M, 32T (the exact bytes are in its title). */
export function shortGap(g: number): string {
  if (g >= ULONG_MAX / 2) return 'huge';
  const units = ['', 'K', 'M', 'G', 'T', 'P'];
  let v = g;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return (v < 10 ? String(Math.round(v * 10) / 10) : String(Math.round(v))) + units[u];
}

/** The kind of the VMA starting at `start`, by binary search in the step's summary. */
export function kindAt(summary: StepSummary | null, start: number): string {
  if (!summary) return 'anon';
  let lo = 0;
  let hi = summary.count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = summary.starts[mid];
    if (s === start) return VMA_KINDS[summary.kinds[mid]] ?? 'anon';
    if (s < start) lo = mid + 1;
    else hi = mid - 1;
  }
  return 'anon';
}

export interface RenderState {
  view: MapleView;
  layout: TreeLayout;
  options: LayoutOptions;
  summary: StepSummary | null;
  /** The zoom and the drawing's size, for culling. */
  transform: ZoomTransform;
  width: number;
  height: number;
  /** MapleView indices on the path to the selected VMA. */
  focusPath: ReadonlySet<number>;
  hovered: number | null;
  selected: number | null;
}

export interface RenderHandlers {
  onHover(id: number | null): void;
  onSelect(id: number): void;
  onToggle(index: number): void;
}

type NodeEl = SVGGElement & { __mtKey?: string };

const SVG_NS = 'http://www.w3.org/2000/svg';

/** An SVG element with attributes and children; text is set as text, never parsed as markup. */
function svg(
  tag: string,
  attrs: Record<string, string | number>,
  ...children: (Node | string)[]
): SVGElement {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attrs)) el.setAttribute(name, String(value));
  el.append(...children);
  return el;
}

const title = (text: string) => svg('title', {}, text);

/** Text on screen, whatever the zoom: 9.5 px, about 0.6 of that a character (monospace). */
export const FONT_PX = 9.5;
const CHAR_PX = 0.6 * FONT_PX;

/**
 * The zoom text is sized for, in steps of an eighth of a doubling: a node
 * is drawn again only when its text would change size by that much.
 */
export function textScale(k: number): number {
  return 2 ** (Math.round(Math.log2(k) * 8) / 8);
}

/** Sizes and fits text at zoom `k`: text keeps FONT_PX on screen, layout sizes are scaled. */
class Fit {
  constructor(readonly k: number) {}
  /** A font-size in layout units, inline so that it wins over the sheet's. */
  get style(): string {
    return `font-size:${(FONT_PX / this.k).toFixed(3)}px`;
  }
  /** Whether `chars` characters fit a span `w` layout units wide and a row `h` high. */
  fits(chars: number, w: number, h = Infinity): boolean {
    return chars * CHAR_PX + 2 <= w * this.k && h * this.k >= FONT_PX;
  }
  /** The baseline of text centred in a row from `top`, `h` high. */
  baseline(top: number, h: number): number {
    return top + h / 2 + (0.35 * FONT_PX) / this.k;
  }
}

/** The node's name: the longest of `words` that fits its width, or for a node that matters the last. */
function labelText(words: string[], width: number, fit: Fit, matters: boolean): string | null {
  for (const w of words) if (fit.fits(w.length, width)) return w;
  return matters ? (words.at(-1) ?? null) : null;
}

/** The least a closed node's toggle measures on screen, to be clicked. */
const TOGGLE_PX = 14;

/** The toggle that opens or closes an internal node's subtree. */
function toggle(i: number, id: number, open: boolean, x: number, y: number, size: number) {
  return svg(
    'g',
    {
      class: 'mt-toggle',
      role: 'button',
      tabindex: 0,
      'aria-expanded': String(open),
      'aria-label': `${open ? 'Collapse' : 'Expand'} node ${id}`,
      'data-toggle': i,
      transform: `translate(${x},${y})`,
    },
    svg('rect', { width: size, height: size, rx: size / 6 }),
    svg('path', {
      d: open
        ? `M${size * 0.25},${size / 2}H${size * 0.75}`
        : `M${size * 0.25},${size / 2}H${size * 0.75}M${size / 2},${size * 0.25}V${size * 0.75}`,
    }),
  );
}

/**
 * A node's frame, name, toggle and slots; an open internal node adds its
 * pivots and gaps. What fits at the zoom is written (semantic zoom): a
 * slot's VMA and pivot, a child's id; everything is in the slots' titles.
 */
function nodeParts(s: RenderState, p: PlacedNode, fit: Fit): SVGElement[] {
  const { view, options: o, summary } = s;
  const i = p.index;
  const S = MAPLE_VIEW_STRIDE;
  const base = i * S;
  const type = view.types[i];
  const end = view.ends[i];
  const n = slotCount(type);
  const leaf = type === LEAF;
  const column = !p.expanded;
  const id = view.ids[i];
  const by = view.by[i];
  const parts: SVGElement[] = [];
  parts.push(svg('rect', { class: 'mt-frame', width: p.width, height: p.height, rx: 2 }));
  const status = view.status[i] ? ` · ${STATUS_WORDS[view.status[i]]}${by ? ' by ' + by : ''}` : '';
  const name = TYPE_NAMES[type];
  const matters = view.status[i] > 0 || s.focusPath.has(i);
  // An open node keeps room for its toggle on the label line.
  const toggleSize = o.labelH - 2;
  const room = p.width - (column || leaf ? 0 : toggleSize + 2);
  const label = labelText(
    [`${name} #${id}${status}`, `${name} #${id}`, `#${id}`],
    room,
    fit,
    matters,
  );
  if (label !== null)
    parts.push(
      svg('text', { class: 'mt-label', x: 2 / fit.k, y: o.labelH - 3, style: fit.style }, label),
    );
  if (!leaf && column) {
    // A closed node's toggle hangs under it, where its children would be
    // drawn, at least TOGGLE_PX on screen (within the gap to the next level).
    const size = Math.min(o.gapY - 4, Math.max(toggleSize, TOGGLE_PX / fit.k));
    parts.push(toggle(i, id, false, (p.width - size) / 2, p.height + 2, size));
  } else if (!leaf) {
    parts.push(toggle(i, id, true, p.width - toggleSize - 1, 1, toggleSize));
  }
  const cellW = column ? p.width : o.cell;
  const cellH = column ? o.slotH : o.rowH;
  const at = (k: number) =>
    column ? { x: 0, y: o.labelH + k * o.slotH } : { x: k * o.cell, y: o.labelH };
  for (let k = 0; k < n; k++) {
    const { x, y } = at(k);
    const cell = () => svg('rect', { x, y, width: cellW, height: cellH });
    if (k > end) {
      parts.push(svg('rect', { class: 'mt-unused', x, y, width: cellW, height: cellH }));
      continue;
    }
    const lo = k === 0 ? view.mins[i] : view.pivots[base + k - 1] + 1;
    const hi = k < end ? view.pivots[base + k] : view.maxs[i];
    const range = `[${indexHex(lo)}, ${indexHex(hi)}]`;
    const v = view.slots[base + k];
    const piv = shortHex(hi);
    // In a column the slot's word and its pivot share the row, when there is room for both.
    const word = (text: string) => {
      const out: SVGElement[] = [];
      if (!fit.fits(text.length, cellW, cellH)) return out;
      const y0 = fit.baseline(y, cellH);
      if (column) {
        out.push(
          svg('text', { class: 'mt-word', x: x + 2 / fit.k, y: y0, style: fit.style }, text),
        );
        if (fit.fits(text.length + piv.length + 1, cellW))
          out.push(
            svg(
              'text',
              {
                class: `mt-pivot mt-end${k < end ? '' : ' mt-max'}`,
                x: x + cellW - 2 / fit.k,
                y: y0,
                style: fit.style,
              },
              piv,
            ),
          );
      } else {
        out.push(
          svg('text', { class: 'mt-word mt-mid', x: x + cellW / 2, y: y0, style: fit.style }, text),
        );
      }
      return out;
    };
    if (leaf && v < 0) {
      parts.push(
        svg(
          'g',
          { class: 'mt-slot mt-null' },
          title(`slot ${k}: NULL ${range}`),
          cell(),
          ...word('∅'),
        ),
      );
    } else if (leaf) {
      parts.push(
        svg(
          'g',
          {
            class: 'mt-slot mt-entry',
            'data-vma': v,
            'data-kind': kindAt(summary, lo),
            role: 'button',
            tabindex: 0,
            'aria-label': `Select vma${v}, slot ${k} ${range}`,
          },
          title(`slot ${k}: vma${v} ${range}`),
          cell(),
          ...word(`vma${v}`),
        ),
      );
    } else {
      const child = view.ids[v];
      parts.push(
        svg(
          'g',
          { class: 'mt-slot mt-child', 'data-status': STATUS_ATTR[view.status[v]] },
          title(`slot ${k}: node ${child} ${range}`),
          cell(),
          ...word(`#${child}`),
        ),
      );
    }
    if (column) continue;
    const yPiv = o.labelH + o.rowH;
    if (fit.fits(piv.length, o.cell, o.subRowH))
      parts.push(
        svg(
          'text',
          {
            class: `mt-pivot mt-mid${k < end ? '' : ' mt-max'}`,
            x: x + o.cell / 2,
            y: fit.baseline(yPiv, o.subRowH),
            style: fit.style,
          },
          title(`${k < end ? `pivot ${k}` : 'max'}: ${indexHex(hi)}`),
          piv,
        ),
      );
    if (type === ARANGE) {
      const largest = k === view.gapOffsets[i];
      const gap = shortGap(view.gaps[base + k]);
      if (fit.fits(gap.length, o.cell, o.subRowH))
        parts.push(
          svg(
            'text',
            {
              class: `mt-gap mt-mid${largest ? ' mt-largest' : ''}`,
              x: x + o.cell / 2,
              y: fit.baseline(yPiv + o.subRowH, o.subRowH),
              style: fit.style,
            },
            title(`gap ${k}: ${view.gaps[base + k]} bytes${largest ? ' (meta.gap)' : ''}`),
            gap,
          ),
        );
    }
  }
  return parts;
}

/** data-status of a node by MapleView status. */
const STATUS_ATTR = ['unchanged', 'walked', 'written', 'new'];

function ariaLabel(s: RenderState, i: number): string {
  const v = s.view;
  const extra: string[] = [];
  if (s.focusPath.has(i)) extra.push('on the path to the selected VMA');
  return nodeLabel(TYPE_NAMES[v.types[i]], v.ids[i], v.ends[i] + 1, v.status[i], v.by[i], extra);
}

/** Draws the nodes of `s.layout` that are on screen into `svg`. */
export function renderMapleTree(svg: SVGSVGElement, s: RenderState): void {
  const root = select(svg);
  let viewport = root.select<SVGGElement>('g.mt-viewport');
  if (viewport.empty()) {
    viewport = root.append('g').attr('class', 'mt-viewport');
    viewport.append('path').attr('class', 'mt-edges');
    viewport.append('g').attr('class', 'mt-nodes');
  }
  const t = s.transform;
  viewport.attr('transform', t.toString());

  // What is on screen, and always the nodes the step touched and the
  // selected VMA's path (a handful): a screen reader finds those anywhere.
  const margin = 200;
  const onScreen = new Set(
    visibleNodes(
      s.layout,
      t.invertX(-margin),
      t.invertY(-margin),
      t.invertX(s.width + margin),
      t.invertY(s.height + margin),
    ),
  );
  const shown = s.layout.nodes.filter(
    (p) => onScreen.has(p) || s.focusPath.has(p.index) || s.view.status[p.index] !== 0,
  );

  // Edges from the bottom of the parent's slot to the top of the child.
  const o = s.options;
  const S = MAPLE_VIEW_STRIDE;
  let d = '';
  for (const p of s.layout.nodes) {
    if (!p.expanded) continue;
    for (let k = 0; k <= s.view.ends[p.index]; k++) {
      const c = s.layout.byIndex.get(s.view.slots[p.index * S + k]);
      if (!c) continue;
      const x0 = p.x + (k + 0.5) * o.cell;
      const y0 = p.y + p.height;
      const x1 = c.x + c.width / 2;
      const ym = (y0 + c.y) / 2;
      d += `M${x0},${y0}C${x0},${ym} ${x1},${ym} ${x1},${c.y}`;
    }
  }
  viewport.select('path.mt-edges').attr('d', d);

  const groups = viewport
    .select<SVGGElement>('g.mt-nodes')
    .selectAll<SVGGElement, PlacedNode>('g.mt-node')
    .data(shown, (p) => String(s.view.ids[p.index]));
  groups.exit().remove();
  const all = groups
    .enter()
    .append('g')
    .attr('class', 'mt-node')
    .attr('role', 'group')
    .merge(groups);
  // Depth-first order is the order a screen reader reads the tree in.
  all.order();
  const fit = new Fit(textScale(t.k));
  all.each(function (p) {
    const el = this as NodeEl;
    const i = p.index;
    const key = `${p.x},${p.y},${p.expanded},${s.focusPath.has(i)},${fit.k}`;
    el.setAttribute('transform', `translate(${p.x},${p.y})`);
    el.setAttribute('data-status', STATUS_ATTR[s.view.status[i]]);
    el.classList.toggle('mt-focus', s.focusPath.has(i));
    const serial = viewSerial(s.view);
    const fresh = el.getAttribute('data-view') !== serial;
    if (el.__mtKey === key && !fresh) return;
    el.__mtKey = key;
    el.setAttribute('data-view', serial);
    el.setAttribute('aria-label', ariaLabel(s, i));
    // Redrawing a node must not take the keyboard focus from its cell or button.
    const active = el.contains(document.activeElement) ? document.activeElement : null;
    const toggle = active?.getAttribute('data-toggle');
    const label = active?.getAttribute('aria-label');
    el.replaceChildren(...nodeParts(s, p, fit));
    // What the step (or the whole call) wrote lights up once, when its view
    // is first drawn; a redraw for the zoom makes a frame without it.
    if (fresh && s.view.status[i] >= 2) el.firstElementChild?.classList.add('mt-arrive');
    if (active) {
      const again = [...el.querySelectorAll('[tabindex]')].find((c) =>
        toggle != null
          ? c.getAttribute('data-toggle') === toggle
          : c.getAttribute('aria-label') === label,
      );
      (again as SVGElement | undefined)?.focus();
    }
  });

  drawLevels(root, s);

  // Hover and selection: a class on the cells of those VMAs.
  root.selectAll('.mt-entry').each(function () {
    const el = this as SVGGElement;
    const id = Number(el.getAttribute('data-vma'));
    el.classList.toggle('hovered', id === s.hovered);
    el.classList.toggle('selected', id === s.selected);
    el.setAttribute('aria-pressed', String(id === s.selected));
  });
}

/** Room at the left of the drawing for the name of each level's node type. */
export const GUTTER = 64;

/** Each level's node type at its left ("arange_64", "leaf_64"), in screen pixels beside the zoom. */
function drawLevels(root: ReturnType<typeof select<SVGSVGElement, unknown>>, s: RenderState): void {
  let levels = root.select<SVGGElement>('g.mt-levels');
  if (levels.empty()) levels = root.append('g').attr('class', 'mt-levels');
  const names: { y: number; text: string }[] = [];
  const seen = new Set<number>();
  for (const p of s.layout.nodes) {
    const d = s.view.depths[p.index];
    if (seen.has(d)) continue;
    seen.add(d);
    const y = s.transform.applyY(s.layout.levelY[d]) + FONT_PX;
    names.push({ y, text: TYPE_NAMES[s.view.types[p.index]] });
  }
  levels
    .selectAll<SVGTextElement, { y: number; text: string }>('text')
    .data(names)
    .join('text')
    .attr('class', 'mt-level')
    .attr('x', 4)
    .attr('y', (d) => d.y)
    .text((d) => d.text);
}

const serials = new WeakMap<MapleView, string>();
let nextSerial = 0;
/** A tag per MapleView object, so a node group redraws when the step changes. */
function viewSerial(v: MapleView): string {
  let s = serials.get(v);
  if (s === undefined) {
    s = String(nextSerial++);
    serials.set(v, s);
  }
  return s;
}

/** Pointer and keyboard handling, once per <svg>: hover and select slots, open and close nodes. */
export function bindMapleTreeEvents(svg: SVGSVGElement, h: () => RenderHandlers): () => void {
  const vmaOf = (e: Event): number | null => {
    const el = (e.target as Element).closest?.('[data-vma]');
    return el ? Number(el.getAttribute('data-vma')) : null;
  };
  const toggleOf = (e: Event): number | null => {
    const el = (e.target as Element).closest?.('[data-toggle]');
    return el ? Number(el.getAttribute('data-toggle')) : null;
  };
  const over = (e: Event) => h().onHover(vmaOf(e));
  const leave = () => h().onHover(null);
  const click = (e: Event) => {
    const t = toggleOf(e);
    if (t !== null) return h().onToggle(t);
    const id = vmaOf(e);
    if (id !== null) h().onSelect(id);
  };
  const key = (e: KeyboardEvent) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const t = toggleOf(e);
    const id = t === null ? vmaOf(e) : null;
    if (t === null && id === null) return;
    // The window's keys step through time; these keys belong to the cell.
    e.preventDefault();
    e.stopPropagation();
    if (t !== null) h().onToggle(t);
    else if (id !== null) h().onSelect(id);
  };
  // A slot with the keyboard focus is pointed at, as with the mouse.
  const focusIn = (e: FocusEvent) => h().onHover(vmaOf(e));
  const focusOut = () => h().onHover(null);
  const listeners: [string, (e: never) => void][] = [
    ['pointerover', over],
    ['pointerleave', leave],
    ['click', click],
    ['keydown', key],
    ['focusin', focusIn],
    ['focusout', focusOut],
  ];
  for (const [type, f] of listeners) svg.addEventListener(type, f as EventListener);
  return () => {
    for (const [type, f] of listeners) svg.removeEventListener(type, f as EventListener);
  };
}
