// SPDX-License-Identifier: GPL-2.0-or-later
// The rows (maps line, VmFlags...) of the VMAs a view shows. A small space's
// step comes with all its rows; on a large one the worker sends none, and the
// views ask for the rows in view.
import type { VmaRow } from '../../engine';
import { usePaged, type Paged } from '../paged/use-paged';
import { useApp } from '../store-context';

/** Rows asked for at once: a screenful or two, so scrolling asks rarely. */
const PAGE = 64;

/** Rows `[from, to)` of the step on screen, in address order. */
export function useStepRows(from: number, to: number): Paged<VmaRow> {
  const data = useApp((s) => s.stepData);
  const stepRows = useApp((s) => s.stepRows);
  return usePaged(
    data,
    from,
    to,
    (i) => (data && i < data.rows.length ? data.rows[i] : undefined),
    (first, count) => (data ? stepRows(data.step, first, count) : Promise.resolve([])),
    PAGE,
  );
}
