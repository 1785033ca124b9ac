// SPDX-License-Identifier: GPL-2.0-or-later
// The process a run starts in: the one the kernel judge (src/cli/judge) runs
// scenarios in, so that the engine and the kernel begin alike. Its files,
// its break and where mmap(NULL) searches from are fixed here; the kernel's
// settings are in kernel-profile.ts.

/** The judge's window: every address a scenario names must lie in [start, end). */
export const JUDGE_WINDOW_START = 0x2000_0000_0000;
export const JUDGE_WINDOW_END = 0x3000_0000_0000;
/**
 * mm->mmap_base of the judge's process: `mmap(NULL, ...)`, a hint that is not
 * free and a moving `mremap` search top-down from here, so they land at the
 * top of the window. The window holds nothing else when a scenario starts.
 */
export const JUDGE_MMAP_BASE = JUDGE_WINDOW_END;
/** start_brk, brk and end_data of the judge's process: `brk(NULL)` returns this, no [heap] yet. */
export const JUDGE_START_BRK = JUDGE_WINDOW_START;
/**
 * Every path a scenario opens is a regular file of this many bytes (16
 * pages) when first opened, so a touch of a file page at or beyond this
 * offset raises SIGBUS; only `ftruncate` changes the size. `O_CREAT`,
 * `O_EXCL` and `O_TRUNC` are dropped: the file always exists and an open
 * keeps its size.
 */
export const JUDGE_FILE_SIZE = 0x10000;
