// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useId, useRef } from 'react';
import type { Checkpoint } from '../../engine';
import { lessonOnScreen, lessonStep } from '../../store/lesson-slice';
import { QuestionCard } from '../question/QuestionCard';
import { useApp } from '../store-context';
import { proseParts } from './prose';
import './lesson.css';

/** A paragraph of lesson prose, its `code` runs as code. */
function Prose({ text }: { text: string }) {
  return (
    <p>
      {proseParts(text).map((part, i) =>
        part.code ? <code key={i}>{part.text}</code> : <span key={i}>{part.text}</span>,
      )}
    </p>
  );
}

/** A prompt or choice is plain text: its `code` marks are dropped. */
const plain = (text: string) => text.replaceAll('`', '');

/** What a checkpoint says: its prose, the maps it states, its question. */
function CheckpointBody({ cp, id }: { cp: Checkpoint; id: string }) {
  const q = cp.question;
  return (
    <div className="lesson-body">
      {cp.prose.map((p, i) => (
        <Prose key={i} text={p} />
      ))}
      {cp.maps !== null && (
        <figure className="lesson-maps" aria-labelledby={`${id}-maps`}>
          <figcaption id={`${id}-maps`}>/proc/PID/maps here</figcaption>
          <pre>{cp.maps.length > 0 ? cp.maps.join('\n') : '(no VMA)'}</pre>
        </figure>
      )}
      {q && (
        <QuestionCard
          key={id}
          prompt={plain(q.prompt)}
          choices={q.choices.map((c, i) => ({
            id: String(i),
            label: c.code ? c.text : plain(c.text),
            code: c.code,
          }))}
          answer={String(q.answer)}
          explanation={<Prose text={q.explanation} />}
        />
      )}
    </div>
  );
}

/**
 * The guided lesson open: its title, the checkpoint shown ("Checkpoint 2
 * of 6") with its prose, stated maps and question, and Previous / Next
 * (Finish at the last), which move the timeline to each checkpoint's step.
 */
export function LessonPanel() {
  const lesson = useApp((s) => s.lesson);
  const file = useApp((s) => s.lessonFile);
  const index = useApp((s) => s.checkpoint);
  const done = useApp((s) => s.lessonDone);
  const problem = useApp((s) => s.lessonProblem);
  const onScreen = useApp(lessonOnScreen);
  const cursor = useApp((s) => s.cursor);
  const timeline = useApp((s) => s.timeline);
  const goToCheckpoint = useApp((s) => s.goToCheckpoint);
  const restart = useApp((s) => s.restartLesson);
  const finish = useApp((s) => s.finishLesson);
  const close = useApp((s) => s.closeLesson);
  const id = useId();
  const title = useRef<HTMLHeadingElement>(null);

  // A lesson just opened takes the focus, so that its first words are read.
  useEffect(() => {
    if (file !== null) title.current?.focus();
  }, [file]);

  if (!lesson && !problem) return null;
  const total = lesson?.checkpoints.length ?? 0;
  const cp = lesson?.checkpoints[index];
  const step = lesson && timeline && onScreen ? lessonStep(timeline, lesson, index) : null;
  const last = index === total - 1;
  return (
    <section className="lesson" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Lesson</h2>
      {problem && (
        <p role="alert" className="lesson-problem">
          Could not follow the lesson: {problem}
        </p>
      )}
      {lesson && cp && (
        <>
          <div className="lesson-head">
            <h3 ref={title} tabIndex={-1}>
              {lesson.title}
            </h3>
            <p className="lesson-progress" aria-live="polite">
              Checkpoint {index + 1} of {total}
            </p>
            <button type="button" className="lesson-close" onClick={close}>
              Close lesson
            </button>
          </div>
          <ol className="lesson-track" aria-hidden="true">
            {lesson.checkpoints.map((_, i) => (
              <li key={i} className={i < index ? 'past' : i === index ? 'here' : undefined} />
            ))}
          </ol>
          {!onScreen ? (
            <p className="lesson-away">
              The scenario run is no longer this lesson&apos;s.{' '}
              <button type="button" onClick={() => void restart()}>
                Restart lesson
              </button>
            </p>
          ) : (
            step !== null &&
            cursor !== step && (
              <p className="lesson-away">
                The steps have moved on from this checkpoint.{' '}
                <button type="button" onClick={() => goToCheckpoint(index)}>
                  Back to checkpoint
                </button>
              </p>
            )
          )}
          <CheckpointBody key={`${file}:${index}`} cp={cp} id={`${id}-${index}`} />
          <div className="lesson-nav">
            <button
              type="button"
              disabled={index === 0 || !onScreen}
              onClick={() => goToCheckpoint(index - 1)}
            >
              Previous
            </button>
            {last ? (
              <button type="button" disabled={done} onClick={finish}>
                Finish
              </button>
            ) : (
              <button type="button" disabled={!onScreen} onClick={() => goToCheckpoint(index + 1)}>
                Next
              </button>
            )}
          </div>
          {done && (
            <p role="note" aria-label="Lesson complete" className="lesson-done">
              Lesson complete: you have reached the end of “{lesson.title}”. Choose another under
              Lessons, or step on through the scenario.
            </p>
          )}
        </>
      )}
    </section>
  );
}
