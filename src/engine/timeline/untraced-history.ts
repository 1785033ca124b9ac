// SPDX-License-Identifier: GPL-2.0-or-later
// The address spaces of an untraced run, kept as checkpoints: the state after
// every CHECKPOINT_EVERY-th call, the calls between run again when a step's
// state is read. An untraced run used to snapshot the state after every
// call, which cost it its in-place writes: a maple node built by one call
// was published by its snapshot, so the next call copied it again (the
// kernel writes its own nodes in place). Between checkpoints, every node a
// call builds stays the run's own until the next checkpoint publishes it.
import { AllocCounter, Ctx } from '../kernel/mm/ctx';
import { emptyMm, type MmState } from '../kernel/mm/mm-snapshot';
import { keepMap } from '../kernel/keep-map';
import { RunArgs } from './call-args';
import { runCall, type RunCallSetup } from './run-call';

/**
 * Calls between checkpoints (the default): a step read at random runs at
 * most this many calls again (a few µs each: 4 ms at most on a 60,000-VMA
 * space), and a checkpoint keeps what the calls since the last one
 * changed. Every maple node and VMA a call copies is kept by the next
 * checkpoint unless a later call of the same stretch replaces it again:
 * spread over a large space, calls seldom meet within 64 calls, and the
 * checkpoints then held a copy of nearly every node each call changed, for
 * the garbage collector to promote. Every 1,024 calls, the mm bench's
 * untraced mix with checkpoints ran 12-15% faster (every 4,096, 4% more).
 */
export const CHECKPOINT_EVERY = 1024;

export class UntracedHistory {
  /** checkpoints[k]: the state after call k * every - 1 (k = 0: the start). */
  private readonly checkpoints: MmState[];
  /** The allocation count at each checkpoint, so fault injection fails the same one again. */
  private readonly allocCounts: number[];
  /** The run's own working state and the call it last made. */
  private live: Ctx | null = null;
  private liveIndex = -1;
  /** The last state a read ran up to, which the next read may go on from. */
  private cached: Ctx | null = null;
  private cachedIndex = -1;

  /**
   * `keeps`: whether steps are kept to be read later (false for a streamed
   * run, whose steps are read only while they are the newest).
   */
  constructor(
    private readonly args: RunArgs,
    private readonly setup: RunCallSetup,
    private readonly failAt: number,
    private readonly keeps: boolean,
    start: MmState,
    private readonly every = CHECKPOINT_EVERY,
  ) {
    if (!Number.isInteger(every) || every < 1)
      throw new RangeError(`checkpointEvery must be a positive integer, not ${every}`);
    this.checkpoints = keeps ? [start] : [];
    this.allocCounts = keeps ? [0] : [];
  }

  /** The run made call `index` on `ctx`. */
  ran(index: number, ctx: Ctx, allocs: AllocCounter): void {
    this.live = ctx;
    this.liveIndex = index;
    if (this.keeps && (index + 1) % this.every === 0) {
      this.checkpoints.push(ctx.mm);
      this.allocCounts.push(allocs.count);
    }
  }

  /** The address space after call `index`. */
  mmAfter(index: number): MmState {
    if (index === this.liveIndex && this.live !== null) return this.live.mm;
    if (!this.keeps)
      throw new Error(`the state after call ${index} of a streamed run is read in its onStep`);
    const k = Math.floor((index + 1) / this.every);
    const from = k * this.every - 1;
    if (from === index) return this.checkpoints[k];
    let ctx: Ctx;
    let at: number;
    if (this.cached !== null && this.cachedIndex >= from && this.cachedIndex < index) {
      ctx = this.cached;
      at = this.cachedIndex;
    } else {
      const allocs = new AllocCounter(this.failAt);
      allocs.count = this.allocCounts[k];
      ctx = new Ctx(this.checkpoints[k], null, allocs);
      at = from;
    }
    for (let i = at + 1; i <= index; i++) runCall(ctx, this.args.at(i), i, this.setup);
    this.cached = ctx;
    this.cachedIndex = index;
    return ctx.mm;
  }
}

// A run has one history: its map would die between two runs (keep-map.ts).
keepMap(
  new UntracedHistory(
    new RunArgs([]),
    { infer: null, adoptUntracedFds: false, forkParentAt: undefined, unlinkAt: undefined },
    0,
    false,
    emptyMm,
  ),
);
