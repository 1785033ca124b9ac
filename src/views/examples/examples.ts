// SPDX-License-Identifier: GPL-2.0-or-later
// The example library in public/scenarios/, served as static files.

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

const url = (file: string) => `${import.meta.env.BASE_URL}scenarios/${file}`;

async function fetchText(file: string): Promise<string> {
  const r = await fetch(url(file));
  if (!r.ok) throw new Error(`${file}: ${r.status} ${r.statusText}`);
  return r.text();
}

export async function fetchExampleList(): Promise<ExampleEntry[]> {
  return JSON.parse(await fetchText('index.json')) as ExampleEntry[];
}

export const fetchExample = fetchText;
