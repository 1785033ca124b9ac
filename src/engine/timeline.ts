// SPDX-License-Identifier: GPL-2.0-or-later
// The shape a run takes when it leaves the engine for the app: plain data,
// cheap to clone across the worker boundary, nothing a view must compute.
import { show_map_vma } from './mm/proc-maps';
import { vmFlagNames } from './mm/vm-flags';
import type { Vma } from './mm/vma';
import { runScenario, type CallRecord } from './run';
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
}

export interface Timeline {
  calls: CallRecord[];
  steps: StepView[];
  /** strace log lines skipped because they name calls outside the contract. */
  skipped: number;
}

export type TimelineResult =
  { ok: true; timeline: Timeline } | { ok: false; diagnostics: Diagnostic[] };

function toView(vma: Vma): VmaView {
  const flags = vmFlagNames(vma.vm_flags);
  const kind =
    vma.file === null ? 'anon' : vma.file === '/dev/zero (deleted)' ? 'shared-anon' : 'file';
  return { id: vma.id, start: vma.vm_start, end: vma.vm_end, maps: show_map_vma(vma), flags, kind };
}

/** Runs a scenario and shapes it for the app. Views of unchanged VMAs are shared between steps. */
export function buildTimeline(text: string, file = 'scn'): TimelineResult {
  const out = runScenario(text, file);
  if (!out.ok) return out;
  const views = new Map<Vma, VmaView>();
  const view = (v: Vma): VmaView => {
    let got = views.get(v);
    if (!got) views.set(v, (got = toView(v)));
    return got;
  };
  const steps = out.steps.map(({ call, fn, source, message, vmas }) => ({
    call,
    fn,
    source,
    message,
    vmas: vmas.map(view),
  }));
  return { ok: true, timeline: { calls: out.calls, steps, skipped: out.skipped } };
}
