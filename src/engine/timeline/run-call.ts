// SPDX-License-Identifier: GPL-2.0-or-later
// One call of a run on its working state: what a run does for each call, and
// what an untraced run's history does again when a step's address space is
// read (untraced-history.ts), so both run exactly the same code.
import type { Ctx } from '../kernel/mm/ctx';
import { copy_mm_for_child } from '../kernel/fork';
import { do_unlinkat } from '../kernel/fs/namei';
import type { ScenarioCall } from '../scenario/parse';
import type { CallArgs } from './call-args';
import { executeCall, type CallResult } from './syscalls';
import type { StraceStart } from './strace-start';

/** What a run knows beside each call: a log's inferred start, a recording's forks and unlinks. */
export interface RunCallSetup {
  infer: StraceStart | null;
  adoptUntracedFds: boolean;
  forkParentAt: ReadonlySet<number> | undefined;
  unlinkAt: ReadonlyMap<number, string> | undefined;
}

/** Call `index` (`a`) on `ctx`: what it returned, and whether a log placed it. */
export function runCall(
  ctx: Ctx,
  a: CallArgs,
  index: number,
  setup: RunCallSetup,
): { ret: CallResult; placed: boolean } {
  const c = a.call;
  const { infer } = setup;
  const placed = infer?.placed.get(index);
  if (placed) ctx.step('strace.placement', 'strace log', placed);
  if (infer || setup.adoptUntracedFds) adoptUntracedFd(ctx, c);
  const ret = setup.forkParentAt?.has(index) ? copy_mm_for_child(ctx) : executeCall(ctx, a);
  const unlinked = setup.unlinkAt?.get(index);
  if (unlinked !== undefined) do_unlinkat(ctx, unlinked);
  const next = c.name === 'execve' ? infer?.starts.get(index) : undefined;
  if (next) {
    // exec_mmap() gave a fresh mm: give it the layout the log reveals.
    const { mt, map_count, total_vm, data_vm, exec_vm, stack_vm, start_brk, brk } = next.mm;
    const { mmap_base, nextVmaId } = next.mm;
    ctx.set({ mt, map_count, total_vm, data_vm, exec_vm, stack_vm, start_brk, brk });
    ctx.set({ mmap_base, nextVmaId });
    ctx.step('strace.start', 'strace log', next.message);
  }
  return { ret, placed: Boolean(placed) };
}

/**
 * A descriptor a log's close() or mmap() uses with success but never opened
 * came from a call outside the trace (pipe, dup2, socket, an inherited
 * one): take it as open, as the log shows it was.
 */
function adoptUntracedFd(ctx: Ctx, c: ScenarioCall): void {
  const at = c.name === 'close' ? 0 : c.name === 'mmap' ? 4 : -1;
  const a = c.args[at];
  if (at < 0 || !a || a.kind !== 'int' || c.expect?.kind !== 'value') return;
  const fd = Number(BigInt.asIntN(32, a.value));
  if (fd < 0 || ctx.cur.fds.has(fd)) return;
  const fds = new Map(ctx.cur.fds);
  const id = ctx.cur.nextFileId;
  const path = `fd ${fd} (opened outside the trace)`;
  fds.set(fd, { id, path, readable: true, writable: true, pathOnly: false });
  ctx.set({ fds, nextFileId: id + 1 });
  ctx.step('strace.fd', 'strace log', `fd ${fd} was opened by a call outside the trace`);
}
