// SPDX-License-Identifier: GPL-2.0-or-later
// The address space of one process (include/linux/mm_types.h: struct mm_struct).
//
// SIMPLIFICATION (issue 2): the VMAs are kept in a sorted array, copied on
// every change. The kernel keeps them in a maple tree (mm->mm_mt); the full
// engine moves onto src/engine/maple/, which shares structure between steps.
import type { TraceEvent } from '../trace/events';
import type { Vma } from './vma';

export interface MmState {
  /** The VMAs, lowest address first, never overlapping. */
  readonly vmas: readonly Vma[];
  /** The id the next new VMA gets. */
  readonly nextVmaId: number;
  /** The id the next new anon_vma gets. */
  readonly nextAnonVmaId: number;
  /** The heap: `[start_brk, brk)`; both 0 when there is none. */
  readonly start_brk: number;
  readonly brk: number;
  /** Where the main thread's stack starts (an address inside `[stack]`), or 0. */
  readonly start_stack: number;
}

export const emptyMm: MmState = {
  vmas: [],
  nextVmaId: 1,
  nextAnonVmaId: 1,
  start_brk: 0,
  brk: 0,
  start_stack: 0,
};

/** Receives each internal step with the address space after it. */
export type StepSink = (event: TraceEvent, mm: MmState) => void;
