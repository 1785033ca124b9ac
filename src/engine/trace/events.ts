// SPDX-License-Identifier: GPL-2.0-or-later
// What the engine tells about each step. Every internal step names the kernel
// function it models, so a reader can open the C beside it.

/** One internal step: a kernel function did something to the address space. */
export interface TraceEvent {
  /** The kernel function, as in the C source: `vma_merge_new_range`, `__split_vma`. */
  fn: string;
  /** Where it lives: `mm/vma.c`. */
  source: string;
  /** What happened, in plain words. */
  message: string;
}
