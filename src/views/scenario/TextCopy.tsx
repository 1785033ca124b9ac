// SPDX-License-Identifier: GPL-2.0-or-later
// The editor's text as plain, selectable text: what the scenario view shows
// if the editor itself failed to draw, so the draft can still be copied.
import { useApp } from '../store-context';

export function TextCopy() {
  const text = useApp((s) => s.text);
  return <textarea aria-label="Scenario text (copy)" readOnly value={text} rows={12} />;
}
