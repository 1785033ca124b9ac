// SPDX-License-Identifier: GPL-2.0-or-later
// The example library in public/scenarios/, served as static files.
import { fetchStatic } from '../static-file';

export interface ExampleEntry {
  /** Path below public/scenarios/. */
  file: string;
  title: string;
  /** A recorded log's starting /proc/PID/smaps dump, below public/scenarios/. */
  start?: string;
  /** A recorded log's process to replay (`all`: threads of one process). */
  pid?: number | 'all';
  /** The kernel's recording of it (`npm run judge -- --events`), below public/scenarios/. */
  recording?: string;
}

export const DEFAULT_EXAMPLE = 'default.scn';

/** A file of public/scenarios/ as text. */
export const fetchExample = (file: string): Promise<string> => fetchStatic('scenarios', file);

export async function fetchExampleList(): Promise<ExampleEntry[]> {
  return JSON.parse(await fetchExample('index.json')) as ExampleEntry[];
}
