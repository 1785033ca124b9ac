// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { useApp } from '../store-context';
import { fetchLessonList, fetchLessonText, type LessonEntry } from './lessons';

/**
 * Lessons (toolbar): a button that opens the list of guided lessons by
 * title; choosing one opens it (the Lesson panel takes it from there).
 */
export function LessonPicker() {
  const openLesson = useApp((s) => s.openLesson);
  const whileLoading = useApp((s) => s.whileLoading);
  const [open, setOpen] = useState(false);
  const [lessons, setLessons] = useState<LessonEntry[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const listId = useId();
  const button = useRef<HTMLButtonElement>(null);
  const list = useRef<HTMLOListElement>(null);

  // The list is fetched once, the first time it is opened.
  useEffect(() => {
    if (!open || lessons !== null) return;
    whileLoading('lessons', fetchLessonList).then(setLessons, (e: Error) =>
      setProblem(`Could not list the lessons: ${e.message}`),
    );
  }, [open, lessons, whileLoading]);
  useEffect(() => {
    if (open && lessons) list.current?.querySelector('button')?.focus();
  }, [open, lessons]);

  const choose = async (entry: LessonEntry) => {
    setOpen(false);
    try {
      await whileLoading('lesson', async () =>
        openLesson(entry.file, await fetchLessonText(entry.file)),
      );
      setProblem(null);
    } catch (e) {
      setProblem(`Could not open the lesson: ${(e as Error).message}`);
    }
  };
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'Escape') return;
    e.stopPropagation();
    setOpen(false);
    button.current?.focus();
  };

  return (
    <div
      className="lesson-picker"
      onKeyDown={onKey}
      // The list closes when the focus goes elsewhere, as a menu does.
      onBlur={(e) => {
        if (!e.currentTarget.contains(e.relatedTarget as Node | null)) setOpen(false);
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        Lessons
      </button>
      {open && (
        <ol id={listId} ref={list} className="lesson-list" aria-label="Lessons">
          {lessons === null && !problem && <li className="empty">Loading…</li>}
          {(lessons ?? []).map((entry) => (
            <li key={entry.file}>
              <button type="button" onClick={() => void choose(entry)}>
                {entry.title}
              </button>
            </li>
          ))}
        </ol>
      )}
      {problem && (
        <p role="alert" className="lesson-picker-alert">
          {problem}
        </p>
      )}
    </div>
  );
}
