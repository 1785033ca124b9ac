// SPDX-License-Identifier: GPL-2.0-or-later
// What went wrong opening or keeping the session: a link that could not be
// opened, an autosave that could not be read, a draft that could not be saved.
import { useApp } from '../store-context';

export function SessionNotice() {
  const messages = useApp((s) => s.sessionMessages);
  const dismiss = useApp((s) => s.dismissSessionMessages);
  if (messages.length === 0) return null;
  return (
    <div role="alert" aria-label="Session" className="diagnostics session-alert">
      {messages.map((m) => (
        <p key={m}>{m}</p>
      ))}
      <button type="button" aria-label="Dismiss these messages" onClick={dismiss}>
        Dismiss
      </button>
    </div>
  );
}
