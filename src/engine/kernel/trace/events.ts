// SPDX-License-Identifier: GPL-2.0-or-later
// What the engine tells about each step. Every internal step names the kernel
// function it models, so a reader can open the C beside it.

/** One merge predicate as the kernel evaluated it, with why it passed or failed. */
export interface PredicateResult {
  /** The kernel function: `is_mergeable_vma`, `is_mergeable_anon_vma`, `can_vma_merge_after`. */
  fn: string;
  /** The VMA it looked at (`vma3`), if any. */
  vma: string | null;
  pass: boolean;
  /** Plain words: `flags differ (rd wr vs rd)`, `anon_vma differs (av3 vs av5)`. */
  reason: string;
}

/** The vma_merge_struct (mm/vma.h) as a merge step saw it. */
export interface VmgView {
  prev: string | null;
  middle: string | null;
  next: string | null;
  target: string | null;
  start: string;
  end: string;
  pgoff: number;
  flags: string[];
  anon_vma: string | null;
  file: string | null;
  state: string;
}

/** One internal step: a kernel function did or decided something. */
export interface TraceEvent {
  /** The kernel function, as in the C source: `vma_merge_new_range`, `__split_vma`. */
  fn: string;
  /** Where it lives: `mm/vma.c`. */
  source: string;
  /** What happened, in plain words. */
  message: string;
  /** The merge state after this step, for merge decisions. */
  vmg?: VmgView;
  /** Each merge predicate with its result and reason. */
  predicates?: PredicateResult[];
  /** An errno this step returns, if it fails. */
  errno?: string;
}

/** What a step may carry beside its words. */
export type StepExtra = Pick<TraceEvent, 'vmg' | 'predicates' | 'errno'>;
