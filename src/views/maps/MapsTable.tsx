// SPDX-License-Identifier: GPL-2.0-or-later
import type { VmaRow } from '../../engine';
import { selectStepLoading, useApp } from '../store-context';

/** One empty list, so that a selector returns the same value while there are no rows. */
const NO_ROWS: VmaRow[] = [];

/** /proc/PID/maps at the current step, one row per VMA, exactly as the kernel prints it. */
export function MapsTable() {
  const rows = useApp((s) => s.stepData?.rows ?? NO_ROWS);
  const total = useApp((s) => s.stepData?.summary.count ?? 0);
  const loading = useApp(selectStepLoading);
  return (
    <section className="maps" aria-labelledby="maps-heading">
      <h2 id="maps-heading">/proc/PID/maps</h2>
      <table aria-label="maps" aria-busy={loading} aria-rowcount={total}>
        <tbody>
          {rows.map((v) => (
            <tr key={v.id}>
              <td>
                <code>{v.maps}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {total === 0 && <p className="empty">No VMAs at this step.</p>}
      {total > rows.length && (
        <p className="empty">
          The first {rows.length} of {total} VMAs.
        </p>
      )}
    </section>
  );
}
