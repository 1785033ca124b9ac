// SPDX-License-Identifier: GPL-2.0-or-later
// What a whole system call did to mm->mm_mt: the records of its internal
// steps (maple-step.ts) merged into one, on the tree after the call, as the
// kernel would see them. Simulator-only code.
//
// Each step's record names nodes by their ids in that step's tree, and the
// model copies a node whenever it changes one (an in-place write, or a
// refresh of a VMA's fields that the kernel makes in the vm_area_struct).
// Across steps a node is therefore followed by where it sits: a node's
// level above the leaves and its range [min, max] stay while it is in the
// tree (an in-place write keeps them; only allocation makes another node
// there). So
// - a node the call allocated stays "new" even if a later step of the call
//   writes it in place (the kernel wrote into its own fresh node);
// - a node from before the call that some step wrote in place is "written";
// - a node allocated and freed within the call is the call's scratch, not
//   shown; a freed node is named by its id before the call.
import type { MapleNode } from '../kernel/maple/node';
import { ma_is_leaf } from '../kernel/maple/node';
import { mt_height } from '../kernel/maple/tree';
import type { MapleStepChanges, MapleSplitRecord } from '../kernel/trace/maple-step';
import type { MmState } from '../kernel/mm/mm-snapshot';
import type { Vma } from '../kernel/mm/mm_types';
import { mapleView, type MapleView } from './maple-view';

/** What the merge needs of a step. */
export interface MapleCallStep {
  mm: MmState;
  maple?: MapleStepChanges;
}

const NEW = 'new';
const WRITTEN = 'written';

/** A node the call has touched so far, by its id in the current step's tree. */
interface Carried {
  status: typeof NEW | typeof WRITTEN | null;
  by: string;
  /** The node's id in the tree before the call; -1 for a node the call built. */
  origin: number;
}

type Node = MapleNode<Vma>;

/** The live nodes of a tree by id, with the key that follows a node across the model's copies. */
class LiveNodes {
  readonly keyOf = new Map<number, string>();
  readonly idAt = new Map<string, number>();

  add(id: number, key: string): void {
    this.keyOf.set(id, key);
    this.idAt.set(key, id);
  }

  remove(id: number): void {
    const key = this.keyOf.get(id);
    this.keyOf.delete(id);
    if (key !== undefined && this.idAt.get(key) === id) this.idAt.delete(key);
  }
}

const keyOf = (level: number, node: Node) => `${level}:${node.min}:${node.max}`;

/**
 * Visits the nodes of `mm`'s tree from the root, with their level above the
 * leaves (1 for a leaf); `skip` prunes a node and its subtree.
 */
function walk(
  mm: MmState,
  skip: (node: Node) => boolean,
  visit: (node: Node, key: string) => void,
) {
  const root = mm.mt.root;
  if (root === null) return;
  const down = (node: Node, level: number): void => {
    if (skip(node)) return;
    visit(node, keyOf(level, node));
    if (ma_is_leaf(node.type)) return;
    for (let k = 0; k <= node.end; k++) down(node.slots[k] as Node, level - 1);
  };
  down(root, mt_height(mm.mt));
}

/**
 * The changes of steps `from + 1 .. to` of `steps` as one record on the
 * tree of step `to`; null when none of them wrote the tree. The trees are
 * persistent, so only the nodes a step copied are visited, not the tree.
 */
export function mapleCallChanges(
  steps: readonly MapleCallStep[],
  from: number,
  to: number,
): MapleStepChanges | null {
  const live = new LiveNodes();
  walk(
    steps[from].mm,
    () => false,
    (node, key) => live.add(node.id, key),
  );
  let carried = new Map<number, Carried>();
  const storeTypes: MapleStepChanges['storeTypes'] = [];
  const walkedKeys = new Set<string>();
  const freed: number[] = [];
  const splits: { by: string; depth: number; keys: string[] }[] = [];
  const rebalances: MapleStepChanges['rebalances'] = [];
  /** mas_set_height() over the call: the height before its first change and after its last. */
  let heightFrom = -1;
  let heightTo = -1;
  const originOf = (id: number) => carried.get(id)?.origin ?? id;

  for (let k = from + 1; k <= to; k++) {
    const prev = steps[k - 1].mm;
    const cur = steps[k].mm;
    const c = steps[k].maple;
    if (cur.mt.root !== prev.mt.root) {
      // The nodes only the new tree has; the ones it shares end the walk there.
      const fresh: { node: Node; key: string }[] = [];
      const shared = new Set<number>();
      const isShared = (node: Node) => {
        if (!live.keyOf.has(node.id)) return false;
        shared.add(node.id);
        return true;
      };
      walk(cur, isShared, (node, key) => fresh.push({ node, key }));
      const gone = new Set<number>();
      walk(
        prev,
        (node) => shared.has(node.id),
        (node) => gone.add(node.id),
      );
      const created = new Map(c?.created.map((n) => [n.id, n.by]));
      const written = new Map(c?.written.map((n) => [n.id, n.by]));
      const next = new Map<number, Carried>();
      for (const [id, was] of carried) if (!gone.has(id)) next.set(id, was);
      for (const { node, key } of fresh) {
        const byNew = created.get(node.id);
        if (byNew !== undefined) {
          next.set(node.id, { status: NEW, by: byNew, origin: -1 });
          continue;
        }
        // A model copy of the node that was at this place: the kernel's same node.
        const old = live.idAt.get(key);
        const was: Carried =
          old === undefined
            ? { status: null, by: '', origin: -1 }
            : (carried.get(old) ?? { status: null, by: '', origin: old });
        const byWrite = written.get(node.id);
        next.set(
          node.id,
          byWrite !== undefined && was.status !== NEW
            ? { status: WRITTEN, by: byWrite, origin: was.origin }
            : was,
        );
      }
      for (const id of c?.freed ?? []) {
        const origin = originOf(id);
        // Built and freed within the call: the kernel's scratch.
        if (origin >= 0) freed.push(origin);
      }
      for (const r of c?.rebalances ?? [])
        rebalances.push({
          by: r.by,
          nodeId: originOf(r.nodeId),
          neighbourId: originOf(r.neighbourId),
        });
      for (const id of gone) live.remove(id);
      for (const { node, key } of fresh) live.add(node.id, key);
      carried = next;
    }
    if (!c) continue;
    storeTypes.push(...c.storeTypes);
    for (const id of c.walked) {
      const key = live.keyOf.get(id);
      if (key !== undefined) walkedKeys.add(key);
    }
    for (const s of c.splits)
      splits.push({
        by: s.by,
        depth: s.depth,
        keys: s.ids.map((id) => live.keyOf.get(id)).filter((key) => key !== undefined),
      });
    if (c.height) {
      if (heightFrom < 0) heightFrom = c.height.from;
      heightTo = c.height.to;
    }
  }
  if (storeTypes.length === 0) return null;

  const now = (keys: readonly string[]) =>
    keys.map((key) => live.idAt.get(key)).filter((id) => id !== undefined);
  const changed = (status: Carried['status']) =>
    [...carried]
      .filter(([id, c]) => c.status === status && live.keyOf.has(id))
      .map(([id, c]) => ({ id, by: c.by }));
  return {
    storeTypes,
    walked: now([...walkedKeys]),
    created: changed(NEW),
    written: changed(WRITTEN),
    freed: [...new Set(freed)],
    splits: splits.map((s): MapleSplitRecord => ({ by: s.by, depth: s.depth, ids: now(s.keys) })),
    rebalances,
    height: heightFrom !== heightTo ? { from: heightFrom, to: heightTo } : null,
  };
}

/** The tree after step `to` with what steps `from + 1 .. to` (a whole call) did to it. */
export function mapleCallView(
  steps: readonly MapleCallStep[],
  from: number,
  to: number,
): MapleView {
  const changes = mapleCallChanges(steps, from, to);
  return { ...mapleView(steps[to].mm, changes ?? undefined), call: { from, to } };
}
