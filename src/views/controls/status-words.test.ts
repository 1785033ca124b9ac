// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { statusWords } from './StepControls';

describe('statusWords', () => {
  it('reads idle only when nothing runs and nothing loads', () => {
    expect(statusWords('idle', [])).toBe('Engine idle');
    expect(statusWords('idle', ['example'])).toBe('Loading example');
    expect(statusWords('running', ['example'])).toBe('Engine running');
    expect(statusWords('starting', [])).toBe('Engine starting');
  });
});
