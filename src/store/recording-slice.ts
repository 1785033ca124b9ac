// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel recording compared with the run on screen: what the machine's
// kernel did during each call (`npm run judge -- --events --format json`),
// dropped on the page, opened from a file or shipped with an example. The
// engine holds it and compares every run with it; the store keeps its
// summary (each call confirmed or different) and the reason one was refused.
import type { StateCreator } from 'zustand';
import { formatDiagnostic, isProgramRecording, type RecordingSummary } from '../engine';
import type { AppState, EnginePort } from './app-store';

/**
 * The largest recording read: a recording is a few hundred bytes a call, so
 * this holds runs far longer than the app shows comfortably, and a wrong
 * file (a video dropped by mistake) is refused before it is read.
 */
export const MAX_RECORDING_BYTES = 32 * 1024 * 1024;

/**
 * Whether a text looks like a recording, cheaply: the judge's (a JSON
 * object with `results[].events`) or a program's (`vma-explorer record`).
 */
export function looksLikeRecording(text: string): boolean {
  if (isProgramRecording(text)) return true;
  return /^\s*\{/.test(text) && text.includes('"results"') && text.includes('"events"');
}

/**
 * Whether a file the user gives is meant as a recording: a JSON file (no
 * other input is JSON). The page's drop and the scenario's Open… both send
 * such a file to openRecordingFile, which refuses one that is not a recording.
 */
export const isRecordingFile = (file: { name: string; type: string }): boolean =>
  file.type === 'application/json' || file.name.toLowerCase().endsWith('.json');

/** A file the user gave (a browser File, or anything with its name, size and text). */
export interface RecordingFile {
  name: string;
  size: number;
  text(): Promise<string>;
}

export interface RecordingSlice {
  /** The recording held, as compared with the run on screen; null without one. */
  recording: RecordingSummary | null;
  /** Its name, text and replayed address space, given again to a worker that restarted. */
  recordingSource: { name: string; text: string; space?: number } | null;
  /** Why the last recording offered was refused; the one held stayed. */
  recordingMessage: string | null;
  /**
   * Compares the run (and every later one) with a recording; false when it
   * is refused. A program's recording opens its replay (address space
   * `space`) as the document, keeping the one it replaces as a draft, and runs it.
   */
  loadRecording(name: string, text: string, space?: number): Promise<boolean>;
  /**
   * Reads a file the user dropped or chose: refused unread past
   * MAX_RECORDING_BYTES, and refused when it is not a recording.
   */
  openRecordingFile(file: RecordingFile): Promise<void>;
  /** Refuses a file without reading it (too large, or not a recording). */
  refuseRecording(message: string): void;
  /** Compares with no recording from now on. */
  clearRecording(): Promise<void>;
  dismissRecordingMessage(): void;
}

export const createRecordingSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], RecordingSlice> =>
  (set, get) => {
    /** Fetches the step on screen again: it gains (or loses) the kernel's side of its call. */
    async function refreshStep(): Promise<void> {
      const { timeline, cursor } = get();
      if (timeline === null) return;
      try {
        const data = await engine.step(cursor);
        if (get().timeline === timeline && data?.step === get().cursor) set({ stepData: data });
      } catch (e) {
        // The worker stopped: the timeline's own fetches notice it and replay the run.
        if ((e as { reason?: unknown } | null)?.reason === undefined) throw e;
      }
    }
    return {
      recording: null,
      recordingSource: null,
      recordingMessage: null,
      async loadRecording(name, text, space) {
        let reply;
        try {
          reply = await engine.loadRecording(text, name, space);
        } catch (e) {
          // The worker stopped (it is replaced, and replays the run on screen without this).
          get().refuseRecording(`${name}: the engine stopped before reading it (${String(e)})`);
          return false;
        }
        if (!reply.ok) {
          get().refuseRecording(reply.diagnostics.map(formatDiagnostic).join('; '));
          return false;
        }
        set({
          recording: reply.summary,
          recordingSource: { name, text, ...(space === undefined ? {} : { space }) },
          recordingMessage: null,
        });
        if (reply.document) {
          // The replay models the kernel the program ran on (its profile can be changed after).
          if (reply.kernel) {
            get().addKernel(reply.kernel);
            set({ kernel: reply.kernel });
          }
          get().openDocument(reply.document);
          await get().run();
          return true;
        }
        await refreshStep();
        return true;
      },
      async openRecordingFile(file) {
        if (file.size > MAX_RECORDING_BYTES) {
          const mb = MAX_RECORDING_BYTES / 1024 / 1024;
          return get().refuseRecording(`${file.name}: it is larger than ${mb} MB, the most read`);
        }
        const text = await file.text();
        if (!looksLikeRecording(text)) {
          return get().refuseRecording(
            `${file.name}: it is not a kernel recording (from vma-explorer record, or a JSON ` +
              `document whose "results" have "events", from npm run judge -- --events --format json)`,
          );
        }
        await get().loadRecording(file.name, text);
      },
      refuseRecording(message) {
        const held = get().recording;
        set({
          recordingMessage:
            `Could not use the recording ${message}.` +
            (held ? ` Still comparing with ${held.name}.` : ''),
        });
      },
      async clearRecording() {
        await engine.clearRecording();
        set({ recording: null, recordingSource: null, recordingMessage: null });
        await refreshStep();
      },
      dismissRecordingMessage: () => set({ recordingMessage: null }),
    };
  };
