// SPDX-License-Identifier: GPL-2.0-or-later
// Where each shown node of the maple tree goes: a tidy tree, children under
// their parent, compact enough that a whole tree fits its box (leaves and
// closed nodes as narrow columns of slots, an open node as a row of cells
// over its children). Pure arithmetic on the MapleView arrays, tested
// without a browser.
import { MAPLE_VIEW_STRIDE, NODE_UNCHANGED, type MapleView } from '../../engine';

/** enum maple_type values as MapleView.types holds them (mt_slots[] is 10 for arange_64). */
export const LEAF = 1;
export const ARANGE = 3;

/**
 * The compact geometry, in layout units (screen pixels at zoom 1): a leaf,
 * and an internal node whose children are not shown, is a narrow column of
 * its slots one above the other (a strip); an internal node whose children
 * are shown is a row of its slot cells, each over the edge to its child,
 * with its pivots and gaps under them. Names and numbers are drawn only
 * where the zoom gives them room (render.ts): a whole tree fits its box.
 */
export interface LayoutOptions {
  /** Width of a column (a leaf, or a collapsed internal node). */
  columnW: number;
  /** Height of one slot in a column. */
  slotH: number;
  /** Width of one slot cell of an open internal node. */
  cell: number;
  /** Height of the label line, of an open node's slot row, and of its pivot and gap rows. */
  labelH: number;
  rowH: number;
  subRowH: number;
  /** Space between sibling subtrees and between levels. */
  gapX: number;
  gapY: number;
}

export const DEFAULT_LAYOUT: LayoutOptions = {
  columnW: 24,
  slotH: 6,
  cell: 12,
  labelH: 12,
  rowH: 10,
  subRowH: 9,
  gapX: 6,
  gapY: 22,
};

export interface PlacedNode {
  /** Index in the MapleView arrays. */
  index: number;
  x: number;
  y: number;
  width: number;
  height: number;
  /** The node has children and they are shown. */
  expanded: boolean;
}

export interface TreeLayout {
  nodes: PlacedNode[];
  /** By MapleView index; undefined for a node not shown. */
  byIndex: Map<number, PlacedNode>;
  width: number;
  height: number;
  /** The top of each level (depth) of the nodes shown. */
  levelY: number[];
}

/** Slots a node of type `type` has: the cells of its row. */
export function slotCount(type: number): number {
  return type === ARANGE ? 10 : MAPLE_VIEW_STRIDE;
}

export function isLeaf(view: MapleView, i: number): boolean {
  return view.types[i] === LEAF;
}

/** Whether node `i` is drawn as a column of slots (a leaf, or an internal node not open). */
export function isColumn(view: MapleView, i: number, open: boolean): boolean {
  return isLeaf(view, i) || !open;
}

export function nodeWidth(
  view: MapleView,
  i: number,
  open: boolean,
  o: LayoutOptions = DEFAULT_LAYOUT,
): number {
  return isColumn(view, i, open) ? o.columnW : slotCount(view.types[i]) * o.cell;
}

/** A column: label and slots; an open node: label, slots, pivots and gaps. */
export function nodeHeight(
  view: MapleView,
  i: number,
  open: boolean,
  o: LayoutOptions = DEFAULT_LAYOUT,
): number {
  if (isColumn(view, i, open)) return o.labelH + slotCount(view.types[i]) * o.slotH;
  return o.labelH + o.rowH + 2 * o.subRowH;
}

/**
 * A key that survives the model's copies of a node: a node's level and range
 * do not change while it is in the tree, and the kernel's node changed in
 * place keeps them too. Remembers which subtrees the user opened or closed.
 */
export function nodeKey(view: MapleView, i: number): string {
  return `${view.depths[i]}:${view.mins[i]}:${view.maxs[i]}`;
}

/** The indices of `i`'s children. */
export function childrenOf(view: MapleView, i: number): number[] {
  if (isLeaf(view, i)) return [];
  const out: number[] = [];
  for (let k = 0; k <= view.ends[i]; k++) out.push(view.slots[i * MAPLE_VIEW_STRIDE + k]);
  return out;
}

/** Index of the leaf holding VMA `id`, and the slot, or null. */
export function findVma(view: MapleView, id: number): { leaf: number; slot: number } | null {
  const S = MAPLE_VIEW_STRIDE;
  for (let i = 0; i < view.count; i++) {
    if (!isLeaf(view, i)) continue;
    for (let k = 0; k <= view.ends[i]; k++)
      if (view.slots[i * S + k] === id) return { leaf: i, slot: k };
  }
  return null;
}

/** Node `i` and its ancestors up to the root. */
export function pathTo(view: MapleView, i: number): number[] {
  const out: number[] = [];
  for (let n = i; n >= 0; n = view.parents[n]) out.push(n);
  return out;
}

/** Show every node of a tree up to this size. */
export const SMALL_TREE = 48;

/**
 * The nodes whose children are shown by default: all of a small tree; for a
 * big one the root and every ancestor of a node the step touched or of the
 * `focus` nodes (the selected VMA's leaf).
 */
export function defaultExpanded(view: MapleView, focus: readonly number[] = []): Set<number> {
  const open = new Set<number>();
  if (view.count === 0) return open;
  if (view.count <= SMALL_TREE) {
    for (let i = 0; i < view.count; i++) if (!isLeaf(view, i)) open.add(i);
    return open;
  }
  open.add(0);
  const openPath = (i: number) => {
    for (let n = view.parents[i]; n >= 0 && !open.has(n); n = view.parents[n]) open.add(n);
  };
  for (let i = 0; i < view.count; i++) if (view.status[i] !== NODE_UNCHANGED) openPath(i);
  for (const i of focus) openPath(i);
  return open;
}

/**
 * The nodes on a path worth a straight line: every ancestor of a node the
 * step touched and of the `focus` nodes, and those nodes.
 */
export function focusPaths(view: MapleView, focus: readonly number[] = []): Set<number> {
  const on = new Set<number>();
  const add = (i: number) => {
    for (let n = i; n >= 0 && !on.has(n); n = view.parents[n]) on.add(n);
  };
  for (let i = 0; i < view.count; i++) if (view.status[i] !== NODE_UNCHANGED) add(i);
  for (const i of focus) add(i);
  return on;
}

/**
 * Places the shown nodes: `expanded(i)` says whether node i's children are
 * shown. A parent sits centred over its children, or, when one of them is
 * in `prefer` (the path the step took, or to the selected VMA), right over
 * that child: a path down a wide tree then stays on one screen.
 */
export function layoutTree(
  view: MapleView,
  expanded: (i: number) => boolean,
  o: LayoutOptions = DEFAULT_LAYOUT,
  prefer: ReadonlySet<number> = new Set(),
): TreeLayout {
  const nodes: PlacedNode[] = [];
  const byIndex = new Map<number, PlacedNode>();
  if (view.count === 0) return { nodes, byIndex, width: 0, height: 0, levelY: [] };
  const open = (i: number) => !isLeaf(view, i) && expanded(i);
  const span = new Map<number, number>();
  // Each level is as tall as its tallest node shown.
  const levelH: number[] = [];
  const measure = (i: number): number => {
    const d = view.depths[i];
    levelH[d] = Math.max(levelH[d] ?? 0, nodeHeight(view, i, open(i), o));
    let kids = 0;
    if (open(i)) {
      const c = childrenOf(view, i);
      for (const k of c) kids += measure(k);
      kids += o.gapX * (c.length - 1);
    }
    const s = Math.max(nodeWidth(view, i, open(i), o), kids);
    span.set(i, s);
    return s;
  };
  const width = measure(0);
  const levelY = [0];
  for (let d = 1; d < levelH.length; d++) levelY[d] = levelY[d - 1] + levelH[d - 1] + o.gapY;
  let height = 0;
  const place = (i: number, left: number): void => {
    const s = span.get(i) as number;
    const w = nodeWidth(view, i, open(i), o);
    const y = levelY[view.depths[i]];
    const node: PlacedNode = {
      index: i,
      x: left + (s - w) / 2,
      y,
      width: w,
      height: nodeHeight(view, i, open(i), o),
      expanded: open(i),
    };
    nodes.push(node);
    byIndex.set(i, node);
    height = Math.max(height, y + node.height);
    if (!node.expanded) return;
    const c = childrenOf(view, i);
    let kids = o.gapX * (c.length - 1);
    for (const k of c) kids += span.get(k) as number;
    let x = left + (s - kids) / 2;
    let over: PlacedNode | null = null;
    for (const k of c) {
      place(k, x);
      x += (span.get(k) as number) + o.gapX;
      if (over === null && prefer.has(k)) over = byIndex.get(k) as PlacedNode;
    }
    if (over !== null) {
      const centre = over.x + over.width / 2 - w / 2;
      node.x = Math.max(left, Math.min(left + s - w, centre));
    }
  };
  place(0, 0);
  return { nodes, byIndex, width, height, levelY };
}

/** The nodes that meet the rectangle [x0, x1] × [y0, y1] (layout coordinates). */
export function visibleNodes(
  layout: TreeLayout,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): PlacedNode[] {
  return layout.nodes.filter(
    (n) => n.x + n.width >= x0 && n.x <= x1 && n.y + n.height >= y0 && n.y <= y1,
  );
}

/** Runs `fn` as a performance measure named `name`, which `npm run bench` reads (bench/maple-view.bench.ts). */
export function measured<T>(name: string, fn: () => T): T {
  const t0 = performance.now();
  const out = fn();
  performance.measure(name, { start: t0 });
  return out;
}
