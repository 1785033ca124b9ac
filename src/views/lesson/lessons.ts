// SPDX-License-Identifier: GPL-2.0-or-later
// The guided lessons in public/lessons/, served as static files.
import { fetchStatic } from '../static-file';

export interface LessonEntry {
  /** Path below public/lessons/. */
  file: string;
  /** The lesson's title, as its file's `title:` line says it. */
  title: string;
}

/** A lesson's file, or the list of them (`index.json`), as text. */
export const fetchLessonText = (file: string): Promise<string> => fetchStatic('lessons', file);

export async function fetchLessonList(): Promise<LessonEntry[]> {
  return JSON.parse(await fetchLessonText('index.json')) as LessonEntry[];
}
