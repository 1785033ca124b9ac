// SPDX-License-Identifier: GPL-2.0-or-later
// The drafts of other documents kept in this browser (another tab's, the one
// a link opened over): one button each opens it in the editor, and the text
// on screen is kept in its place.
import { useApp } from '../store-context';

const firstLine = (text: string) => {
  const line = text.split('\n', 1)[0].trim();
  return line.length > 60 ? `${line.slice(0, 60)}…` : line || '(blank first line)';
};

export function DraftsList() {
  const drafts = useApp((s) => s.keptDrafts);
  const open = useApp((s) => s.openKeptDraft);
  if (drafts.length === 0) return null;
  return (
    <details className="drafts">
      <summary>Drafts kept in this browser ({drafts.length})</summary>
      <ul aria-label="Drafts">
        {drafts.map((d) => (
          <li key={d.id}>
            <button type="button" onClick={() => open(d.id)}>
              Open draft: {firstLine(d.text)} ({new Date(d.savedAt).toLocaleString()})
            </button>
          </li>
        ))}
      </ul>
    </details>
  );
}
