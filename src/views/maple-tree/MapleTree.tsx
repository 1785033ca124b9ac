// SPDX-License-Identifier: GPL-2.0-or-later
import { useApp } from '../store-context';

// NOT DONE YET (issue 3 / issue 7): the engine still keeps VMAs in a sorted
// array, so there is no tree to draw. This region says so plainly rather than
// drawing a made-up tree.
export function MapleTree() {
  const count = useApp((s) => s.stepData?.summary.count ?? 0);
  return (
    <section className="maple" aria-labelledby="maple-heading">
      <h2 id="maple-heading">Maple tree</h2>
      <p>
        {count} {count === 1 ? 'entry' : 'entries'}. The node-by-node maple tree view comes with the
        maple tree engine; this build keeps VMAs in a sorted list.
      </p>
    </section>
  );
}
