// SPDX-License-Identifier: GPL-2.0-or-later
import { selectCurrentStep, useApp } from '../store-context';

/** /proc/PID/maps at the current step, one row per VMA, exactly as the kernel prints it. */
export function MapsTable() {
  const step = useApp(selectCurrentStep);
  const vmas = step?.vmas ?? [];
  return (
    <section className="maps" aria-labelledby="maps-heading">
      <h2 id="maps-heading">/proc/PID/maps</h2>
      <table aria-label="maps">
        <tbody>
          {vmas.map((v) => (
            <tr key={v.id}>
              <td>
                <code>{v.maps}</code>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {vmas.length === 0 && <p className="empty">No VMAs at this step.</p>}
    </section>
  );
}
