// SPDX-License-Identifier: GPL-2.0-or-later
import { useMemo } from 'react';
import type { VmaRow } from '../../engine';
import { selectStepLoading, useApp } from '../store-context';

/** One empty list, so that a selector returns the same value while there are no rows. */
const NO_ROWS: VmaRow[] = [];

/**
 * /proc/PID/maps at the current step, one row per VMA, exactly as the kernel
 * prints it; the lines the step added or changed are marked, and with smaps
 * on each row adds its VmFlags line.
 */
export function MapsTable() {
  const rows = useApp((s) => s.stepData?.rows ?? NO_ROWS);
  const diff = useApp((s) => s.stepData?.diff);
  const total = useApp((s) => s.stepData?.summary.count ?? 0);
  const loading = useApp(selectStepLoading);
  const hovered = useApp((s) => s.hoveredVma);
  const selected = useApp((s) => s.selectedVma);
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const showSmaps = useApp((s) => s.showSmaps);
  const setShowSmaps = useApp((s) => s.setShowSmaps);
  const changed = useMemo(
    () => new Set([...(diff?.added ?? []), ...(diff?.changed ?? [])]),
    [diff],
  );

  return (
    <section className="maps" aria-labelledby="maps-heading">
      <h2 id="maps-heading">/proc/PID/maps</h2>
      <label className="smaps-toggle">
        <input
          type="checkbox"
          checked={showSmaps}
          onChange={(e) => setShowSmaps(e.target.checked)}
        />{' '}
        Show smaps VmFlags
      </label>
      <table aria-label="maps" aria-busy={loading} aria-rowcount={total}>
        <tbody onMouseLeave={() => hoverVma(null)}>
          {rows.map((v) => (
            <tr
              key={v.id}
              tabIndex={0}
              aria-current={v.id === selected ? 'true' : undefined}
              aria-description={changed.has(v.id) ? 'changed by this step' : undefined}
              data-changed={changed.has(v.id) || undefined}
              data-hovered={v.id === hovered || undefined}
              onMouseEnter={() => hoverVma(v.id)}
              onClick={() => toggleVma(v.id)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') {
                  e.preventDefault();
                  toggleVma(v.id);
                }
              }}
            >
              <td>
                <code>{v.maps}</code>
                {showSmaps && <code className="vmflags">{`\nVmFlags: ${v.flags.join(' ')} `}</code>}
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
