// SPDX-License-Identifier: GPL-2.0-or-later
// Why the current step happened: the kernel function, the vma_merge_struct it
// decided with, and each merge predicate with its verdict in plain words, so
// a reader can follow a merge (or its refusal) against the C source.
import {
  STEP_DECISION,
  stepFn,
  type TimelineMeta,
  type TraceEvent,
  type VmgView,
} from '../../engine';
import { useStepTexts } from '../steps/use-step-texts';
import { quizAsking } from '../../store/quiz-slice';
import { useApp } from '../store-context';
import { elixirUrl, KERNEL_VERSION } from './elixir';
import { VmaName } from './vma-name';
import './reasons.css';

export function Reasons() {
  const data = useApp((s) => s.stepData);
  const timeline = useApp((s) => s.timeline);
  const cursor = useApp((s) => s.cursor);
  const event = data?.step === cursor ? data.event : null;
  return (
    <section className="reasons" aria-labelledby="reasons-heading">
      <h2 id="reasons-heading">Reasons</h2>
      {!timeline || !event ? (
        <p className="empty">
          {timeline ? 'Loading the step…' : 'Run a scenario to see why each step happens.'}
        </p>
      ) : (
        <>
          <FunctionLine event={event} />
          <p className="verdict">{event.message}</p>
          {event.errno && <p className="errno">The call fails with -{event.errno}.</p>}
          {event.predicates && <Predicates event={event} />}
          {event.vmg && <MergeStruct vmg={event.vmg} />}
          {!event.vmg && <CallDecisions timeline={timeline} cursor={cursor} />}
        </>
      )}
    </section>
  );
}

function FunctionLine({ event }: { event: TraceEvent }) {
  const url = elixirUrl(event.fn);
  return (
    <p className="reason-fn">
      {url ? (
        <a
          href={url}
          target="_blank"
          rel="noreferrer"
          title={`${event.fn} in Linux ${KERNEL_VERSION}`}
        >
          <code>{event.fn}()</code>
        </a>
      ) : (
        <code>{event.fn}</code>
      )}{' '}
      <span className="source">{event.source}</span>
    </p>
  );
}

/**
 * The decision in one sentence: whether the range merged, and the check that
 * kept each neighbour apart, as the kernel's predicates reported it.
 */
export function verdictOf(event: TraceEvent): string {
  const list = event.predicates ?? [];
  const failed = list.filter((p) => !p.pass);
  const why = failed.map((p) => `${p.vma ? `${p.vma}: ` : ''}${p.reason} (${p.fn})`).join('; ');
  if (event.message.startsWith('merge')) {
    const target = event.vmg?.target ?? 'a neighbour';
    return failed.length === 0
      ? `Every check passes: the range merges into ${target}.`
      : `The range merges into ${target}, but not further: ${why}.`;
  }
  if (failed.length === 0) return 'No merge.';
  return `Not mergeable: ${why}.`;
}

function Predicates({ event }: { event: TraceEvent }) {
  const list = event.predicates ?? [];
  if (list.length === 0) return null;
  return (
    <>
      <h3 id="predicates-heading">Merge checks</h3>
      <p className="predicate-verdict">{verdictOf(event)}</p>
      <ul className="predicates" aria-labelledby="predicates-heading">
        {list.map((p, i) => {
          const url = elixirUrl(p.fn);
          const verdict = p.pass ? 'passes' : 'fails';
          return (
            <li
              key={i}
              data-pass={p.pass}
              aria-label={`${p.fn}${p.vma ? ` on ${p.vma}` : ''} ${verdict}: ${p.reason}`}
            >
              <span className="mark" aria-hidden="true">
                {p.pass ? '✓' : '✗'}
              </span>{' '}
              {url ? (
                <a href={url} target="_blank" rel="noreferrer">
                  <code>{p.fn}</code>
                </a>
              ) : (
                <code>{p.fn}</code>
              )}
              {p.vma && (
                <>
                  {' '}
                  (<VmaName name={p.vma} />)
                </>
              )}{' '}
              <strong>{verdict}</strong>: {p.reason}
            </li>
          );
        })}
      </ul>
    </>
  );
}

const FIELD_HELP: Record<keyof VmgView, string> = {
  prev: 'the VMA before the range',
  middle: 'the VMA being changed (existing-range merges)',
  next: 'the VMA after the range',
  target: 'the VMA that will grow to cover the range',
  start: 'start of the range',
  end: 'end of the range',
  pgoff: 'page offset of the range',
  flags: 'vm_flags the range would have',
  anon_vma: 'anon_vma the range would use',
  file: 'file the range maps',
  state: 'vmg->state when the decision was made',
};

function MergeStruct({ vmg }: { vmg: VmgView }) {
  const value = (key: keyof VmgView) => {
    switch (key) {
      case 'prev':
      case 'middle':
      case 'next':
      case 'target':
        return <VmaName name={vmg[key]} />;
      case 'flags':
        return <code>{vmg.flags.join(' ')}</code>;
      case 'pgoff':
        return <code>0x{vmg.pgoff.toString(16)}</code>;
      default:
        return vmg[key] === null ? <span className="none">none</span> : <code>{vmg[key]}</code>;
    }
  };
  return (
    <>
      <h3 id="vmg-heading">vma_merge_struct</h3>
      <dl className="vmg" aria-labelledby="vmg-heading">
        {(Object.keys(FIELD_HELP) as (keyof VmgView)[]).map((key) => (
          <div key={key} title={FIELD_HELP[key]}>
            <dt>{key}</dt>
            <dd>{value(key)}</dd>
          </div>
        ))}
      </dl>
    </>
  );
}

/** On a step that decided nothing itself, the merge decisions of its call, one click away. */
function CallDecisions({ timeline, cursor }: { timeline: TimelineMeta; cursor: number }) {
  const goTo = useApp((s) => s.goTo);
  const call = timeline.steps.call[cursor] ?? -1;
  const last = call >= 0 ? timeline.calls[call].lastStep : -1;
  let first = last;
  while (first > 0 && timeline.steps.call[first - 1] === call) first--;
  const textOf = useStepTexts(Math.max(first, 0), last + 1);
  // A quiz question waiting for its answer: the call's later decisions would give it away.
  const asking = useApp((s) => quizAsking(s) !== null);
  const decisions: number[] = [];
  for (let i = first; i >= 0 && i <= (asking ? Math.min(last, cursor) : last); i++)
    if (timeline.steps.flags[i] & STEP_DECISION) decisions.push(i);
  if (decisions.length === 0) return null;
  return (
    <>
      <h3 id="decisions-heading">Merge decisions in this call</h3>
      <ul className="decisions" aria-labelledby="decisions-heading">
        {decisions.map((i) => (
          <li key={i}>
            <button type="button" onClick={() => goTo(i)}>
              <code>{stepFn(timeline, i)}</code>: {textOf(i)?.message ?? '…'}
            </button>
          </li>
        ))}
      </ul>
    </>
  );
}
