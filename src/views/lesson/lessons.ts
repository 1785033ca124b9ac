// SPDX-License-Identifier: GPL-2.0-or-later
// The guided lessons in public/lessons/, served as static files.

export interface LessonEntry {
  /** Path below public/lessons/. */
  file: string;
  /** The lesson's title, as its file's `title:` line says it. */
  title: string;
}

const url = (file: string) => `${import.meta.env.BASE_URL}lessons/${file}`;

/** A lesson's file, or the list of them (`index.json`), as text. */
export async function fetchLessonText(file: string): Promise<string> {
  const r = await fetch(url(file));
  if (!r.ok) throw new Error(`${file}: ${r.status} ${r.statusText}`);
  return r.text();
}

export async function fetchLessonList(): Promise<LessonEntry[]> {
  return JSON.parse(await fetchLessonText('index.json')) as LessonEntry[];
}
