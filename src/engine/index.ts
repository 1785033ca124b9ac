// SPDX-License-Identifier: GPL-2.0-or-later
// The engine's public face: what the worker, the command line and the tests use.
export { runScenario, runParsed, mapsLines, smapsLines } from './run';
export type { RunOutput, RunOptions, Step, CallRecord, MmState } from './run';
export { loadProcMaps } from './load-proc-maps';
export { parseScenario } from './scenario/parse';
export type { ParsedScenario, ScenarioCall } from './scenario/parse';
export { codePointColumn, formatDiagnostic, utf16Column } from './scenario/diagnostic';
export type { Diagnostic } from './scenario/diagnostic';
export { show_map_vma } from './mm/proc-maps';
export type { Vma } from './mm/vma';
export { TASK_SIZE, PAGE_SIZE } from './mm/vma';
export { vmFlagNames } from './mm/vm-flags';
export type { TraceEvent } from './trace/events';
export { buildTimeline } from './timeline';
export type { Timeline, TimelineResult, StepView, VmaView } from './timeline';
export { replayMapleCase } from './maple/replay';
export {
  summarize,
  vmaRows,
  diffSteps,
  VMA_KINDS,
  MARK_SEALED,
  MARK_MAYBE_GUARD,
  MARK_GUARDS,
} from './step-view';
export type { StepSummary, VmaRow, VmaKind, StepDiff } from './step-view';
export { vmaList, emptyMm, mmSnapshot } from './mm/mm';
export type { OpenFile } from './mm/mm';
export {
  LINUX_6_18,
  NAMED_PROFILES,
  parseKernelProfile,
  kernelProfileJson,
  profileDifferences,
  unprivileged,
  KERNEL_PROFILE_FORMAT,
} from './kernel-profile';
export type { KernelProfile, ProfileParse } from './kernel-profile';
export type { PredicateResult, VmgView } from './trace/events';
export { validate_mm } from './mm/validate';
export {
  traceJson,
  traceJsonHead,
  traceJsonTail,
  traceStepJson,
  TRACE_FORMAT,
} from './trace/export';
export type { TraceJson, TraceStepJson } from './trace/export';
export {
  mapleView,
  mapleViewBuffers,
  MAPLE_VIEW_STRIDE,
  NODE_UNCHANGED,
  NODE_WALKED,
  NODE_WRITTEN,
  NODE_NEW,
} from './maple-view';
export type { MapleView } from './maple-view';
export type {
  MapleStepChanges,
  MapleNodeChange,
  MapleSplitRecord,
  MapleRebalanceRecord,
} from './maple-step';
export { timelineMeta, stepTexts, stepFn, STEP_DECISION, STEP_ERRNO } from './timeline-meta';
export type { TimelineMeta, StepColumns, StepText } from './timeline-meta';
export { forEachNode } from './maple/iterate';
