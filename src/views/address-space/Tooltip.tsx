// SPDX-License-Identifier: GPL-2.0-or-later
import type { Ref } from 'react';

/**
 * The details of the VMA under the pointer or the keyboard focus. The view
 * places it (`ref`) beside its VMA as the zoom moves.
 */
export function Tooltip({ lines, ref }: { lines: string[] | null; ref: Ref<HTMLDivElement> }) {
  return (
    <div ref={ref} id="as-tooltip" role="tooltip" className="as-tooltip" hidden={lines === null}>
      {lines?.map((line, i) => (
        <div key={i} className={i === 0 ? 'as-tooltip-maps' : undefined}>
          {line}
        </div>
      ))}
    </div>
  );
}
