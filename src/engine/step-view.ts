// SPDX-License-Identifier: GPL-2.0-or-later
// What a view needs of one step, in the smallest form that crosses the worker
// boundary: a summary of every VMA in typed arrays (ids, ranges, kinds and
// permissions: 22 bytes a VMA, transferred without copying), and full rows
// (the maps line, VmFlags) only for the VMAs a view shows.
import type { MmState } from './mm/mm';
import { show_map_vma } from './mm/proc-maps';
import { VM_EXEC, VM_MAYSHARE, VM_READ, VM_WRITE, vmFlagNames } from './mm/vm-flags';
import type { Vma } from './mm/vma';
import { maple_leaf_64, type MapleNode } from './maple/node';
import { mt_height } from './maple/tree';
import type { CallRecord, RunOutput } from './run';

/** What a VMA is, for colouring: the order is the code in `StepSummary.kinds`. */
export const VMA_KINDS = ['anon', 'shared-anon', 'file', 'heap', 'stack', 'special'] as const;
export type VmaKind = (typeof VMA_KINDS)[number];

/** Every VMA of a step, lowest address first, one entry per array index. */
export interface StepSummary {
  count: number;
  ids: Uint32Array;
  starts: Float64Array;
  ends: Float64Array;
  /** Index into VMA_KINDS. */
  kinds: Uint8Array;
  /** Bits: 1 read, 2 write, 4 exec, 8 shared (the maps permission letters). */
  perms: Uint8Array;
}

/** One VMA as the maps table and tooltips show it. */
export interface VmaRow {
  id: number;
  start: number;
  end: number;
  /** The /proc/PID/maps line. */
  maps: string;
  /** smaps `VmFlags` names, in the kernel's order. */
  flags: string[];
  kind: VmaKind;
}

/** VMAs that differ between two steps, by id. */
export interface StepDiff {
  added: number[];
  removed: number[];
  /** Present in both, with another range, offset, flags or name. */
  changed: number[];
}

/** The mm's VMAs in address order. The one place that knows how the mm keeps them. */
export function vmasOf(mm: MmState): readonly Vma[] {
  return mm.vmas;
}

export function vmaKind(mm: MmState, vma: Vma): VmaKind {
  if (vma.name !== null) return 'special';
  if (vma.file === '/dev/zero (deleted)') return 'shared-anon';
  if (vma.file !== null) return 'file';
  if (vma.vm_start < mm.brk && vma.vm_end > mm.start_brk) return 'heap';
  if (vma.vm_start <= mm.start_stack && vma.vm_end >= mm.start_stack) return 'stack';
  return 'anon';
}

export function summarize(mm: MmState): StepSummary {
  const vmas = vmasOf(mm);
  const n = vmas.length;
  const s: StepSummary = {
    count: n,
    ids: new Uint32Array(n),
    starts: new Float64Array(n),
    ends: new Float64Array(n),
    kinds: new Uint8Array(n),
    perms: new Uint8Array(n),
  };
  for (let i = 0; i < n; i++) {
    const v = vmas[i];
    const f = v.vm_flags;
    s.ids[i] = v.id;
    s.starts[i] = v.vm_start;
    s.ends[i] = v.vm_end;
    s.kinds[i] = VMA_KINDS.indexOf(vmaKind(mm, v));
    s.perms[i] =
      (f & VM_READ ? 1 : 0) |
      (f & VM_WRITE ? 2 : 0) |
      (f & VM_EXEC ? 4 : 0) |
      (f & VM_MAYSHARE ? 8 : 0);
  }
  return s;
}

/** Rows `[from, from + count)` of the step's VMAs, in address order. */
export function vmaRows(mm: MmState, from = 0, count = Infinity): VmaRow[] {
  return vmasOf(mm)
    .slice(from, from + count)
    .map((v) => ({
      id: v.id,
      start: v.vm_start,
      end: v.vm_end,
      maps: show_map_vma(mm, v),
      flags: vmFlagNames(v.vm_flags),
      kind: vmaKind(mm, v),
    }));
}

/** Which VMAs were added, removed or changed from step `a` to step `b`. */
export function diffSteps(a: MmState, b: MmState): StepDiff {
  const before = new Map(vmasOf(a).map((v) => [v.id, v]));
  const diff: StepDiff = { added: [], removed: [], changed: [] };
  const seen = new Set<number>();
  for (const v of vmasOf(b)) {
    seen.add(v.id);
    const old = before.get(v.id);
    if (!old) diff.added.push(v.id);
    else if (old !== v && show_map_vma(a, old) + old.vm_flags !== show_map_vma(b, v) + v.vm_flags) {
      diff.changed.push(v.id);
    }
  }
  for (const id of before.keys()) if (!seen.has(id)) diff.removed.push(id);
  return diff;
}

/** One step without its address space: what the Steps list shows. */
export interface StepMeta {
  /** Index of the call in `TimelineMeta.calls`, or -1 for the starting state. */
  call: number;
  fn: string;
  source: string;
  message: string;
}

/** A run without its address spaces: small enough to send whole to the app. */
export interface TimelineMeta {
  calls: CallRecord[];
  steps: StepMeta[];
  /** strace log lines skipped because they name calls outside the contract. */
  skipped: number;
}

export function timelineMeta(out: Extract<RunOutput, { ok: true }>): TimelineMeta {
  return {
    calls: out.calls,
    steps: out.steps.map(({ call, fn, source, message }) => ({ call, fn, source, message })),
    skipped: out.skipped,
  };
}

/** The maple tree of a step, in numbers: what the Maple tree region says until it draws nodes. */
export interface TreeShape {
  /** mt_height(): node levels, 0 when the root is not a node. */
  height: number;
  nodes: number;
  leaves: number;
  /** Nodes this step wrote (not in the step before): the copied path, splits, new roots. */
  written: number;
}

function nodeIds(root: MapleNode<Vma> | null, visit: (node: MapleNode<Vma>) => void): void {
  if (!root) return;
  visit(root);
  if (root.type === maple_leaf_64) return;
  for (let i = 0; i <= root.end; i++) nodeIds(root.slots[i] as MapleNode<Vma>, visit);
}

export function treeShape(mm: MmState, before: MmState | null): TreeShape {
  const old = new Set<number>();
  if (before) nodeIds(before.mt.root, (n) => old.add(n.id));
  const shape: TreeShape = { height: mt_height(mm.mt), nodes: 0, leaves: 0, written: 0 };
  nodeIds(mm.mt.root, (n) => {
    shape.nodes++;
    if (n.type === maple_leaf_64) shape.leaves++;
    if (before && !old.has(n.id)) shape.written++;
  });
  return shape;
}
