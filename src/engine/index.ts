// SPDX-License-Identifier: GPL-2.0-or-later
// The engine's public face: what the worker, the command line and the tests use.
export { runScenario, runParsed, mapsLines, smapsLines } from './timeline/run';
export type { RunOutput, RunOptions, Step, CallRecord, MmState, LogSummary } from './timeline/run';
export { isInferred } from './timeline/strace-start';
export { loadProcMaps } from './timeline/load-proc-maps';
export { parseScenario } from './scenario/parse';
export { describeInput } from './scenario/input-kind';
export { tokenize } from './scenario/lexer';
export { PREFIX as STRACE_PREFIX } from './scenario/strace-log';
export type { Token, TokenKind } from './scenario/lexer';
export { CALLS } from './scenario/calls';
export type { CallSignature, ParamKind } from './scenario/calls';
export { FLAG_VALUES, familyOf } from './scenario/flags';
export type { FlagFamily } from './scenario/flags';
export type { InputKind, InputDescription } from './scenario/input-kind';
export type { ParsedScenario, ScenarioCall } from './scenario/parse';
export { codePointColumn, formatDiagnostic, utf16Column } from './scenario/diagnostic';
export type { Diagnostic } from './scenario/diagnostic';
export { show_map_vma } from './kernel/fs/proc/task_mmu';
export type { Vma } from './kernel/mm/mm_types';
export { TASK_SIZE, PAGE_SIZE } from './kernel/mm/mm_types';
export { vmFlagNames } from './kernel/mm/vm-flags';
export type { TraceEvent } from './kernel/trace/events';
export { replayMapleCase } from './kernel/maple/replay';
export {
  summarize,
  vmaRows,
  diffSteps,
  VMA_KINDS,
  MARK_SEALED,
  MARK_MAYBE_GUARD,
  MARK_GUARDS,
  MARK_INFERRED,
} from './timeline/step-view';
export type { StepSummary, VmaRow, VmaKind, StepDiff } from './timeline/step-view';
export { vmaList, emptyMm, mmSnapshot } from './kernel/mm/mm-snapshot';
export type { OpenFile } from './kernel/mm/mm-snapshot';
export {
  LINUX_6_18,
  NAMED_PROFILES,
  parseKernelProfile,
  kernelProfileJson,
  profileDifferences,
  unprivileged,
  KERNEL_PROFILE_FORMAT,
} from './world/kernel-profile';
export type { KernelProfile, ProfileParse } from './world/kernel-profile';
export type { PredicateResult, VmgView } from './kernel/trace/events';
export { validate_mm } from './kernel/mm/validate';
export {
  traceJson,
  traceJsonHead,
  traceJsonTail,
  traceStepJson,
  TRACE_FORMAT,
} from './timeline/export';
export type { TraceJson, TraceStepJson } from './timeline/export';
export {
  mapleView,
  mapleViewBuffers,
  MAPLE_VIEW_STRIDE,
  NODE_UNCHANGED,
  NODE_WALKED,
  NODE_WRITTEN,
  NODE_NEW,
} from './timeline/maple-view';
export type { MapleView } from './timeline/maple-view';
export type {
  MapleStepChanges,
  MapleNodeChange,
  MapleSplitRecord,
  MapleRebalanceRecord,
} from './kernel/trace/maple-step';
export {
  timelineMeta,
  stepTexts,
  stepFn,
  STEP_DECISION,
  STEP_ERRNO,
} from './timeline/timeline-meta';
export type { TimelineMeta, StepColumns, StepText } from './timeline/timeline-meta';
export { forEachNode } from './kernel/maple/iterate';
export { createEngineSession } from './timeline/engine-session';
export { ROWS_WITH_STEP, HEARTBEAT_MS, SILENT_MS } from './timeline/engine-api';
export type {
  CheckedInput,
  EngineApi,
  WorkerApi,
  RunReply,
  RunRequest,
  StepData,
  ProgressCallback,
} from './timeline/engine-api';
export {
  parseRecording,
  compareCallEvents,
  describeDifference,
  Identities,
} from './timeline/event-parity';
export type {
  Recording,
  RecordedCall,
  RecordingParse,
  CallParity,
  EventDifference,
} from './timeline/event-parity';
export type { KernelEvent, KernelCache } from './kernel/trace/kernel-events';
export { MAX_NAMED_DIFFERENCES, recordingMismatch } from './timeline/recording-session';
export type {
  CallStatus,
  RecordingSummary,
  RecordingReply,
  RecordedCallData,
  CallEventsData,
  ProgramSummary,
} from './timeline/recording-session';
export {
  isProgramRecording,
  readProgramRecording,
  PROGRAM_RECORDING_VERSION,
} from './scenario/program-recording';
export type {
  ProgramRecording,
  RecordedSpace,
  RecordedSyscall,
  RecordedFault,
} from './scenario/program-recording';
export { programScript, spaceSteps } from './timeline/program-script';
export type { ProgramScript, SpaceStep } from './timeline/program-script';
export { replayProgram, comparableSmaps, spaceStart } from './timeline/program-replay';
export type { ProgramReplay, ReplayStepParity } from './timeline/program-replay';
export { MAX_COMPARED_CHARS, MAX_NAMED_PER_STEP } from './timeline/compare-recordings';
export type {
  CompareOptions,
  ComparedText,
  ComparedSide,
  ComparedStepSide,
  ComparedRow,
  ComparisonReply,
  ComparisonSummary,
  RecordingComparison,
  StepDifferenceKind,
} from './timeline/compare-recordings';
export { quizOf, MAX_QUESTIONS } from './timeline/quiz';
export type { QuizQuestion, QuizChoice, QuizKind } from './timeline/quiz';
export { generateScenario } from './scenario/generate';
export { parseLesson, checkpointStep } from './scenario/lesson';
export type {
  Lesson,
  Checkpoint,
  LessonQuestion,
  LessonParse,
  RunOutline,
} from './scenario/lesson';
