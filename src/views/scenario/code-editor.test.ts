// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { parseScenario } from '../../engine';
import { problemRange } from './CodeEditor';

describe('the editor underlines what a diagnostic names', () => {
  it('after an emoji, whose column counts one but CodeMirror two', () => {
    const text = '@note("🙂") munmap';
    const d = parseScenario(`${text}\nmmap(0, 1, PROT_READ, MAP_FIXD, -1, 0)`, 'scn').diagnostics;
    expect(d.length).toBeGreaterThan(0);
    const first = d[0];
    const line = { from: 0, to: text.length, text };
    const r = problemRange(line, {
      line: first.line,
      column: first.column,
      length: first.text.length,
      message: first.message,
    });
    expect(text.slice(r.from, r.to)).toBe(first.text);
  });
});
