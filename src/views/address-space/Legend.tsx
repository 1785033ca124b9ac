// SPDX-License-Identifier: GPL-2.0-or-later
import { VMA_KINDS } from '../../engine';
import { INFERRED_WORDS, KIND_NAMES } from './describe';

/** The second channel (render.ts accessOf()): how much each VMA allows. */
const ACCESS = [
  ['write', 'writable: full colour', 'PROT_WRITE (rw-, rwx)'],
  ['read', 'read-only: lighter', 'PROT_READ or PROT_EXEC without PROT_WRITE (r--, r-x, --x)'],
  ['none', 'no access: pale', 'PROT_NONE (---)'],
] as const;

/** What the colours and marks of the address space mean. */
export function Legend() {
  return (
    <ul className="as-legend" aria-label="Address space legend">
      {VMA_KINDS.map((k) => (
        <li key={k}>
          <span className="as-swatch" data-kind={k} aria-hidden="true" />
          {KIND_NAMES[k]}
        </li>
      ))}
      {ACCESS.map(([access, words, title]) => (
        <li key={access} title={title}>
          <span className="as-swatch as-swatch-access" data-access={access} aria-hidden="true" />
          {words}
        </li>
      ))}
      <li title="MADV_GUARD_INSTALL puts markers in the page tables; the VMA stays one VMA">
        <span className="as-swatch as-swatch-guard" aria-hidden="true" />
        guard pages (markers inside a VMA)
      </li>
      <li title="mseal(): VM_SEALED, shown as sl in VmFlags">
        <span className="as-swatch as-swatch-sealed" aria-hidden="true" />
        sealed
      </li>
      <li title={INFERRED_WORDS}>
        <span className="as-swatch as-swatch-inferred" aria-hidden="true" />
        inferred (strace log)
      </li>
      <li title="A merge decision: the range vma_merge_struct holds (start to end), its prev, middle and next outlined">
        <span className="as-swatch as-swatch-candidate" aria-hidden="true" />
        merge candidate range
      </li>
      <li title="On a large space: under the window the main line shows, and on the overview strip">
        <span className="as-swatch as-swatch-change" aria-hidden="true" />
        this step’s change (large spaces)
      </li>
    </ul>
  );
}
