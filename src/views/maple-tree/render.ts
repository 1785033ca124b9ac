// SPDX-License-Identifier: GPL-2.0-or-later
// Draws the shown nodes of the maple tree into an <svg> with D3: one group
// per node (joined by node id), a row of slot cells with the pivots under
// them and, for maple_arange_64, the gaps; one path for all parent-child
// edges. Only nodes inside the visible rectangle are in the document, so a
// tree with thousands of leaves costs what is on screen.
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

/** A node's frame, label, toggle, slots, pivots and gaps. */
function nodeParts(s: RenderState, p: PlacedNode): SVGElement[] {
  const { view, options: o, summary } = s;
  const i = p.index;
  const S = MAPLE_VIEW_STRIDE;
  const base = i * S;
  const type = view.types[i];
  const end = view.ends[i];
  const n = slotCount(type);
  const leaf = type === LEAF;
  const id = view.ids[i];
  const by = view.by[i];
  const parts: SVGElement[] = [];
  parts.push(svg('rect', { class: 'mt-frame', width: p.width, height: p.height, rx: 3 }));
  const status = view.status[i] ? ` · ${STATUS_WORDS[view.status[i]]}${by ? ' by ' + by : ''}` : '';
  parts.push(
    svg(
      'text',
      { class: 'mt-label', x: 4, y: o.labelH - 4 },
      `${TYPE_NAMES[type]} #${id}${status}`,
    ),
  );
  if (!leaf) {
    const open = p.expanded;
    parts.push(
      svg(
        'g',
        {
          class: 'mt-toggle',
          role: 'button',
          tabindex: 0,
          'aria-expanded': String(open),
          'aria-label': `${open ? 'Collapse' : 'Expand'} node ${id}`,
          'data-toggle': i,
          transform: `translate(${p.width - 20},1)`,
        },
        svg('rect', { width: 18, height: o.labelH - 2, rx: 2 }),
        svg('text', { x: 9, y: o.labelH - 5 }, open ? '−' : '+'),
      ),
    );
  }
  const ySlot = o.labelH;
  const yPiv = ySlot + o.rowH;
  for (let k = 0; k < n; k++) {
    const x = k * o.cell;
    const cell = () => svg('rect', { x, y: ySlot, width: o.cell, height: o.rowH });
    const word = (text: string) => svg('text', { x: x + o.cell / 2, y: ySlot + o.rowH - 5 }, text);
    if (k > end) {
      parts.push(svg('rect', { class: 'mt-unused', x, y: ySlot, width: o.cell, height: o.rowH }));
      continue;
    }
    const lo = k === 0 ? view.mins[i] : view.pivots[base + k - 1] + 1;
    const hi = k < end ? view.pivots[base + k] : view.maxs[i];
    const range = `[${indexHex(lo)}, ${indexHex(hi)}]`;
    const v = view.slots[base + k];
    if (leaf && v < 0) {
      parts.push(svg('g', { class: 'mt-slot mt-null' }, title(`slot ${k}: NULL ${range}`), cell()));
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
          word(`vma${v}`),
        ),
      );
    } else {
      parts.push(
        svg(
          'g',
          { class: 'mt-slot mt-child' },
          title(`slot ${k}: node ${view.ids[v]} ${range}`),
          cell(),
          word(`#${view.ids[v]}`),
        ),
      );
    }
    const piv = k < end ? view.pivots[base + k] : view.maxs[i];
    parts.push(
      svg(
        'text',
        { class: `mt-pivot${k < end ? '' : ' mt-max'}`, x: x + o.cell / 2, y: yPiv + o.rowH - 5 },
        title(`${k < end ? `pivot ${k}` : 'max'}: ${indexHex(piv)}`),
        shortHex(piv),
      ),
    );
  }
  if (type === ARANGE) {
    const yGap = yPiv + o.rowH;
    for (let k = 0; k <= end; k++) {
      const x = k * o.cell;
      const largest = k === view.gapOffsets[i];
      parts.push(
        svg(
          'text',
          {
            class: `mt-gap${largest ? ' mt-largest' : ''}`,
            x: x + o.cell / 2,
            y: yGap + o.rowH - 5,
          },
          title(`gap ${k}: ${view.gaps[base + k]} bytes${largest ? ' (meta.gap)' : ''}`),
          shortGap(view.gaps[base + k]),
        ),
      );
    }
  }
  return parts;
}

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
      const y0 = p.y + o.labelH + o.rowH;
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
  all.each(function (p) {
    const el = this as NodeEl;
    const i = p.index;
    const key = `${p.x},${p.y},${p.expanded},${s.focusPath.has(i)}`;
    el.setAttribute('transform', `translate(${p.x},${p.y})`);
    el.setAttribute('data-status', ['unchanged', 'walked', 'written', 'new'][s.view.status[i]]);
    el.classList.toggle('mt-focus', s.focusPath.has(i));
    if (el.__mtKey === key && el.getAttribute('data-view') === viewSerial(s.view)) return;
    el.__mtKey = key;
    el.setAttribute('data-view', viewSerial(s.view));
    el.setAttribute('aria-label', ariaLabel(s, i));
    // Redrawing a node must not take the keyboard focus from its cell or button.
    const active = el.contains(document.activeElement) ? document.activeElement : null;
    const toggle = active?.getAttribute('data-toggle');
    const label = active?.getAttribute('aria-label');
    el.replaceChildren(...nodeParts(s, p));
    if (active) {
      const again = [...el.querySelectorAll('[tabindex]')].find((c) =>
        toggle != null
          ? c.getAttribute('data-toggle') === toggle
          : c.getAttribute('aria-label') === label,
      );
      (again as SVGElement | undefined)?.focus();
    }
  });

  // Hover and selection: a class on the cells of those VMAs.
  root.selectAll('.mt-entry').each(function () {
    const el = this as SVGGElement;
    const id = Number(el.getAttribute('data-vma'));
    el.classList.toggle('hovered', id === s.hovered);
    el.classList.toggle('selected', id === s.selected);
    el.setAttribute('aria-pressed', String(id === s.selected));
  });
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
