// SPDX-License-Identifier: GPL-2.0-or-later
// Two recordings of one program side by side: the comparison the engine
// made of them, the aligned step shown in detail, and why the last pair
// offered was refused (the comparison before it stays on screen).
import type { StateCreator } from 'zustand';
import { formatDiagnostic, type ComparedText, type RecordingComparison } from '../engine';
import type { AppState, EnginePort } from './app-store';
import { MAX_RECORDING_BYTES, type RecordingFile } from './recording-slice';

export interface CompareSlice {
  /** The two recordings compared, step by step; null before a comparison. */
  comparison: RecordingComparison | null;
  /** The aligned step shown in detail (an index into `comparison.rows`). */
  compareRow: number;
  /** Whether the comparison panel is open. */
  compareOpen: boolean;
  /** While the engine compares. */
  compareBusy: boolean;
  /** Why the last pair offered was refused; the comparison before it stays. */
  compareMessage: string | null;
  /**
   * Reads the two files the user chose (A first): refused unread when
   * there are not two, or one is larger than MAX_RECORDING_BYTES.
   */
  compareFiles(files: readonly RecordingFile[]): Promise<void>;
  /** Compares two texts; false when refused. */
  compareTexts(a: ComparedText, b: ComparedText): Promise<boolean>;
  selectCompareRow(row: number): void;
  /** Moves to the next (1) or previous (-1) step that differs; stays when there is none. */
  stepCompareDifference(direction: 1 | -1): void;
  closeComparison(): void;
}

export const createCompareSlice =
  (engine: EnginePort): StateCreator<AppState, [], [], CompareSlice> =>
  (set, get) => {
    const refuse = (message: string): void => {
      const held = get().comparison;
      set({
        compareOpen: true,
        compareMessage:
          `Could not compare: ${message}.` +
          (held ? ` Still showing ${held.a.name} against ${held.b.name}.` : ''),
      });
    };
    return {
      comparison: null,
      compareRow: 0,
      compareOpen: false,
      compareBusy: false,
      compareMessage: null,
      async compareFiles(files) {
        if (files.length !== 2)
          return refuse(`choose two recordings, A then B (${files.length} chosen)`);
        const mb = MAX_RECORDING_BYTES / 1024 / 1024;
        const big = files.find((f) => f.size > MAX_RECORDING_BYTES);
        if (big) return refuse(`${big.name} is larger than ${mb} MB, the most read`);
        const [a, b] = await Promise.all(
          files.map(async (f) => ({ name: f.name, text: await f.text() })),
        );
        await get().compareTexts(a, b);
      },
      async compareTexts(a, b) {
        set({ compareBusy: true, compareOpen: true });
        let reply;
        try {
          reply = await engine.compareRecordings(a, b);
        } catch (e) {
          set({ compareBusy: false });
          refuse(`the engine stopped before comparing them (${String(e)})`);
          return false;
        }
        set({ compareBusy: false });
        if (!reply.ok) {
          refuse(reply.diagnostics.map(formatDiagnostic).join('; '));
          return false;
        }
        const first = reply.comparison.summary.first;
        set({
          comparison: reply.comparison,
          compareRow: first ? first.row - 1 : 0,
          compareMessage: null,
        });
        return true;
      },
      selectCompareRow(row) {
        const rows = get().comparison?.rows.length ?? 0;
        if (row >= 0 && row < rows) set({ compareRow: row });
      },
      stepCompareDifference(direction) {
        const c = get().comparison;
        if (!c) return;
        for (let i = get().compareRow + direction; i >= 0 && i < c.rows.length; i += direction)
          if (c.rows[i].differs.length > 0) return set({ compareRow: i });
      },
      closeComparison: () =>
        set({ comparison: null, compareRow: 0, compareOpen: false, compareMessage: null }),
    };
  };
