// SPDX-License-Identifier: GPL-2.0-or-later
// The step the Address space view draws, and finding its VMAs by id: the
// store names VMAs by id, the drawing by their index in address order.
import type { StepDiff, StepSummary, TraceEvent, VmaRow } from '../../engine';

/** Above this many VMAs the view draws on a canvas instead of one SVG element per VMA. */
export const SVG_LIMIT = 2000;

/** A step as the view draws it: the fields of the worker's StepData it reads. */
export interface ShownStep {
  step: number;
  summary: StepSummary;
  /** Every row, or none on a large space. */
  rows: readonly VmaRow[];
  diff: StepDiff;
  /** What the step did; a merge decision's range is drawn (candidate.ts). */
  event?: TraceEvent;
  /** After a step by whole system call, the state before it: the drawing animates from it. */
  before?: { step: number; summary: StepSummary; rows: readonly VmaRow[] };
}

/** Whether a step is drawn on the canvas: many VMAs, or a step that came without its rows. */
export function drawsOnCanvas(data: ShownStep | null): boolean {
  return data !== null && (data.summary.count > SVG_LIMIT || data.rows.length < data.summary.count);
}

/** The index of VMA `id` in `s`, or -1: a VMA the step no longer has. */
export function indexOfId(s: StepSummary, id: number | null): number {
  if (id === null) return -1;
  for (let i = 0; i < s.count; i++) if (s.ids[i] === id) return i;
  return -1;
}

/** Indexes in `s` of the VMAs whose ids are in `ids`. */
export function indexesOf(s: StepSummary, ids: readonly number[]): number[] {
  if (ids.length === 0) return [];
  const want = new Set(ids);
  const out: number[] = [];
  for (let i = 0; i < s.count; i++) if (want.has(s.ids[i])) out.push(i);
  return out;
}
