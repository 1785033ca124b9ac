// SPDX-License-Identifier: GPL-2.0-or-later
// The aligned step selected in the comparison: each side's call and
// result, what differs in words, the maps lines after it on one side only,
// and the kernel events that differ.
import type { ComparedRow } from '../../engine';
import { stepDetails } from './render';

function Lines({ label, lines }: { label: string; lines: string[] }) {
  if (lines.length === 0) return null;
  return (
    <>
      <h4>{label}</h4>
      <ul aria-label={label} className="compare-lines">
        {lines.map((l, i) => (
          <li key={i}>{l}</li>
        ))}
      </ul>
    </>
  );
}

export function CompareDetails({ row }: { row: ComparedRow }) {
  const d = stepDetails(row);
  return (
    <section aria-label={`${d.heading} in A and B`} className="compare-details">
      <h3>{d.heading}</h3>
      <dl>
        {d.sides.map((s) => (
          <div key={s.side}>
            <dt>{s.side}</dt>
            <dd>{s.text}</dd>
          </div>
        ))}
      </dl>
      {d.differences.length === 0 ? (
        <p>A and B agree at this step.</p>
      ) : (
        <Lines label="What differs" lines={d.differences} />
      )}
      <p>{d.vmaNote}</p>
      <Lines label="Maps lines only in A" lines={d.onlyA} />
      <Lines label="Maps lines only in B" lines={d.onlyB} />
      <Lines label="Kernel events that differ" lines={d.events} />
    </section>
  );
}
