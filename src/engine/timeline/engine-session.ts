// SPDX-License-Identifier: GPL-2.0-or-later
// The engine behind the worker boundary: keeps the last good run and answers
// for any step of it. Plain data in and out; the worker file adds only the
// messaging, and tests use this directly.
import { traceJson } from './export';
import { loadProcMaps } from './load-proc-maps';
import { mapleView } from './maple-view';
import { mapleCallView } from './maple-call';
import { gateVmaLines } from '../kernel/fs/proc/task_mmu';
import { runScenario, type RunOutput } from './run';
import { parseScenario } from '../scenario/parse';
import { diffSteps, summarize, vmaRows, type StepSummary, type VmaRow } from './step-view';
import type { MmState } from '../kernel/mm/mm-snapshot';
import { stepTexts, timelineMeta } from './timeline-meta';
import { ROWS_WITH_STEP, type EngineApi, type StepData } from './engine-api';
import { judgeStart } from './judge-start';
import { HeldRecording, callEvents, stepEvents } from './recording-session';
import { compareRecordings } from './compare-recordings';
import { quizOf } from './quiz';

/** The gate area's maps and VmFlags lines, as /proc prints them after the VMAs. */
function gateOf(mm: Parameters<typeof gateVmaLines>[0]): StepData['gate'] {
  const [maps, vmFlags] = gateVmaLines(mm, true);
  return maps === undefined ? null : { maps, vmFlags };
}

type RunRequestOf<K extends keyof EngineApi> = Parameters<EngineApi[K]>[0];

/**
 * Compares a recording with the run on screen or, when the recording
 * carries the judge's process, with the same scenario run from that
 * process: the kernel wrote its maple tree around the runner's own
 * mappings, and only a tree holding them too takes the same paths.
 * Returns why the recording cannot be held against this run, or null.
 */
function compareHeld(
  held: HeldRecording,
  kept: Extract<RunOutput, { ok: true }>,
  request: RunRequestOf<'run'>,
): string | null {
  held.twin = null;
  const start = held.recording.start;
  if (!start) return held.compare(kept.calls, kept.steps);
  const initial = judgeStart(start);
  if (typeof initial === 'string') return `its start is not a judge's process: ${initial}`;
  const { text, kernel, pid } = request;
  const twin = runScenario(text, 'scenario', { initial, kernel, pid });
  if (!twin.ok) return held.compare(kept.calls, kept.steps);
  held.twin = { calls: twin.calls, steps: twin.steps, mappings: initial.map_count };
  return held.compare(twin.calls, twin.steps);
}

/** Every row of a step that has at most ROWS_WITH_STEP VMAs, else none (the views ask). */
function rowsWithStep(mm: MmState, summary: StepSummary): VmaRow[] {
  return summary.count <= ROWS_WITH_STEP ? vmaRows(mm) : [];
}

export function createEngineSession(): EngineApi {
  let kept: Extract<RunOutput, { ok: true }> | null = null;
  let held: HeldRecording | null = null;
  let request: RunRequestOf<'run'> | null = null;
  return {
    async run(req, onProgress) {
      const { text, startMaps, kernel, pid } = req;
      try {
        let initial;
        // A program recording's replay starts where execve left it, which
        // its smaps alone do not say (the tree's shape, the break, mmap_base).
        // Its descriptors may come from calls it did not record (pipe, dup2).
        let forkParentAt;
        let unlinkAt;
        let adoptUntracedFds = false;
        if (held?.program && startMaps === held.program.startText) {
          initial = held.program.start;
          forkParentAt = held.program.forkAt;
          unlinkAt = held.program.unlinkAt;
          adoptUntracedFds = true;
        } else if (startMaps !== undefined && startMaps.trim() !== '') {
          const loaded = loadProcMaps(startMaps, 'maps');
          if (!loaded.ok) return loaded;
          initial = loaded.mm;
        }
        const out = runScenario(text, 'scenario', {
          initial,
          kernel,
          pid,
          onProgress,
          forkParentAt,
          unlinkAt,
          adoptUntracedFds,
        });
        if (!out.ok) return out;
        kept = out;
        request = req;
        // A recording that is not of this scenario stays held, and says so.
        if (held) compareHeld(held, out, req);
        return {
          ok: true,
          timeline: timelineMeta(out),
          recording: held?.summary(out.calls) ?? null,
        };
      } catch (e) {
        // A throw here is the model's own assertion (a VM_WARN_ON): report it.
        return { ok: false, crash: e instanceof Error ? e.message : String(e) };
      }
    },
    async step(index, options) {
      const step = kept?.steps[index];
      if (!kept || !step) return null;
      // A whole system call's change is measured from the state before it.
      const from = options?.from;
      const whole = from !== undefined && from >= 0 && from < index;
      const before = whole ? kept.steps[from].mm : index > 0 ? kept.steps[index - 1].mm : step.mm;
      const { fn, source, message, vmg, predicates, errno } = step;
      const summary = summarize(step.mm);
      const data: StepData = {
        step: index,
        event: { fn, source, message, vmg, predicates, errno },
        summary,
        rows: rowsWithStep(step.mm, summary),
        diff: diffSteps(before, step.mm),
        maple: whole ? mapleCallView(kept.steps, from, index) : mapleView(step.mm, step.maple),
        gate: gateOf(step.mm),
        kernelEvents: stepEvents(step),
        callEvents: callEvents(kept.calls, kept.steps, index, held),
      };
      if (whole) {
        const was = summarize(before);
        data.before = { step: from, summary: was, rows: rowsWithStep(before, was) };
      }
      return data;
    },
    async diff(from, to) {
      const a = kept?.steps[from];
      const b = kept?.steps[to];
      return a && b ? diffSteps(a.mm, b.mm) : null;
    },
    async stepTexts(from, count) {
      return kept ? stepTexts(kept, from, count) : [];
    },
    async traceJson() {
      return kept ? JSON.stringify(traceJson(kept), null, 1) : null;
    },
    async check(text, input) {
      if (input === 'scenario') return parseScenario(text, 'scenario').diagnostics;
      const loaded = loadProcMaps(text, 'maps');
      return loaded.ok ? [] : loaded.diagnostics;
    },
    async quiz() {
      return kept ? quizOf(kept) : [];
    },
    async loadRecording(text, name, space) {
      const next = HeldRecording.parse(text, name, space);
      if (!(next instanceof HeldRecording)) return { ok: false, diagnostics: [next] };
      if (next.program) {
        // A program's recording brings its own scenario: the app opens it.
        held = next;
        const { script, startText, kernel } = next.program;
        return {
          ok: true,
          summary: held.summary([]),
          document: { text: script, startMaps: startText },
          ...(kernel ? { kernel } : {}),
        };
      }
      if (kept && request) {
        const mismatch = compareHeld(next, kept, request);
        if (mismatch !== null) {
          // Refused: the recording held before stays, compared as it was.
          return {
            ok: false,
            diagnostics: [{ file: name, line: 1, column: 1, message: mismatch, text: '' }],
          };
        }
      }
      held = next;
      return { ok: true, summary: held.summary(kept?.calls ?? []) };
    },
    async clearRecording() {
      held = null;
    },
    async compareRecordings(a, b, options) {
      try {
        return compareRecordings(a, b, options);
      } catch (e) {
        // A throw is the model's own assertion while replaying a side.
        const message = `the model failed replaying it: ${e instanceof Error ? e.message : String(e)}`;
        return {
          ok: false,
          diagnostics: [{ file: `${a.name}, ${b.name}`, line: 1, column: 1, message, text: '' }],
        };
      }
    },
    async rows(index, from, count) {
      const step = kept?.steps[index];
      return step ? vmaRows(step.mm, from, count) : [];
    },
  };
}
