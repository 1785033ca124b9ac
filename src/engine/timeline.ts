// SPDX-License-Identifier: GPL-2.0-or-later
// The shape a run takes when it leaves the engine for the app: plain data,
// cheap to clone across the worker boundary, nothing a view must compute.
import { vmaList, type MmState } from './mm/mm';
import { show_map_vma } from './mm/proc-maps';
import { vmFlagNames } from './mm/vm-flags';
import type { Vma } from './mm/vma';
import { runScenario, type CallRecord, type RunOptions } from './run';
import type { PredicateResult, VmgView } from './trace/events';
import type { Diagnostic } from './scenario/diagnostic';

/** A VMA as the views draw it. */
export interface VmaView {
  id: number;
  start: number;
  end: number;
  /** The /proc/PID/maps line. */
  maps: string;
  /** smaps `VmFlags` names, in the kernel's order. */
  flags: string[];
  kind: 'anon' | 'shared-anon' | 'file';
}

export interface StepView {
  /** Index of the call in `Timeline.calls`, or -1 for the starting state. */
  call: number;
  fn: string;
  source: string;
  message: string;
  vmas: VmaView[];
  /** The merge state, for merge steps. */
  vmg?: VmgView;
  /** Each merge predicate with its result and reason, for merge steps. */
  predicates?: PredicateResult[];
  /** The errno this step returns, if it fails. */
  errno?: string;
}

export interface Timeline {
  calls: CallRecord[];
  steps: StepView[];
  /** strace log lines skipped because they name calls outside the contract. */
  skipped: number;
}

export type TimelineResult =
  { ok: true; timeline: Timeline } | { ok: false; diagnostics: Diagnostic[] };

function toView(mm: MmState, vma: Vma): VmaView {
  const flags = vmFlagNames(vma.vm_flags, vma.sealed);
  const kind =
    vma.file === null ? 'anon' : vma.file === '/dev/zero (deleted)' ? 'shared-anon' : 'file';
  const maps = show_map_vma(mm, vma);
  return { id: vma.id, start: vma.vm_start, end: vma.vm_end, maps, flags, kind };
}

/** Runs a scenario and shapes it for the app. Views of unchanged VMAs are shared between steps. */
export function buildTimeline(
  text: string,
  file = 'scn',
  options: RunOptions = {},
): TimelineResult {
  const out = runScenario(text, file, options);
  if (!out.ok) return out;
  // A VMA's view depends on the VMA and on the mm's brk and stack (its name):
  // keep one view per VMA object while those stay the same.
  const views = new Map<Vma, VmaView>();
  let named: MmState | null = null;
  const steps = out.steps.map(({ call, fn, source, message, mm, vmg, predicates, errno }) => {
    if (
      named &&
      (named.brk !== mm.brk ||
        named.start_brk !== mm.start_brk ||
        named.start_stack !== mm.start_stack)
    ) {
      views.clear();
    }
    named = mm;
    const vmas = vmaList(mm).map((v) => {
      let got = views.get(v);
      if (!got) views.set(v, (got = toView(mm, v)));
      return got;
    });
    const view: StepView = { call, fn, source, message, vmas };
    if (vmg) view.vmg = vmg;
    if (predicates) view.predicates = predicates;
    if (errno) view.errno = errno;
    return view;
  });
  return { ok: true, timeline: { calls: out.calls, steps, skipped: out.skipped } };
}
