// SPDX-License-Identifier: GPL-2.0-or-later
// The scenario reader is linear in its input, whatever the lines hold.
import { describe, expect, it } from 'vitest';
import { growthRatio, LINEAR_BOUND } from '../testing/growth';
import { parseScenario } from './parse';

describe('parseScenario() work grows linearly', () => {
  it('with up to 1M blank lines', () => {
    const ratio = growthRatio((n) => parseScenario('\n'.repeat(n)), 250_000);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });

  it('with up to 100k lines of blanks and tabs', () => {
    const ratio = growthRatio((n) => parseScenario('  \t\n'.repeat(n)), 25_000);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });

  it('with one line of blanks that ends a strace log', () => {
    const log = '1 mmap(NULL, 4096, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x1000\n';
    const ratio = growthRatio((n) => parseScenario(log + ' '.repeat(n) + 'x'), 50_000);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });

  it('with a strace log of blank lines after a pid', () => {
    const ratio = growthRatio((n) => parseScenario('1 \n'.repeat(n)), 10_000);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });
});
