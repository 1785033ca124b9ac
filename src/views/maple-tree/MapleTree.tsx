// SPDX-License-Identifier: GPL-2.0-or-later
import { useApp } from '../store-context';

const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

// NOT DONE YET (issue 7): the nodes themselves (pivots, slots, gaps) are not
// drawn. This region tells the tree's shape at each step, as the engine has it.
export function MapleTree() {
  const tree = useApp((s) => s.stepData?.tree);
  const entries = useApp((s) => s.stepData?.summary.count ?? 0);
  return (
    <section className="maple" aria-labelledby="maple-heading">
      <h2 id="maple-heading">Maple tree</h2>
      {tree && (
        <p>
          mm_mt holds {plural(entries, 'VMA')} in {plural(tree.nodes, 'node')} (
          {plural(tree.leaves, 'leaf', 'leaves')}), height {tree.height}
          {tree.written > 0 && <>; this step wrote {plural(tree.written, 'node')}</>}. Drawing the
          nodes, their pivots, slots and gaps is not done yet.
        </p>
      )}
    </section>
  );
}
