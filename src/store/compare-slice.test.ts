// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createAppStore } from './app-store';
import { MAX_RECORDING_BYTES } from './recording-slice';
import { sessionPort } from './session-port.fixture';

const TEXT = readFileSync(
  new URL('../engine/timeline/fixtures/true.recording.json', import.meta.url),
  'utf8',
);
/** The fixture with its first mprotect failing, as a patched kernel might. */
function failing(): string {
  const rec = JSON.parse(TEXT) as { spaces: { calls: { name: string; ret: string }[] }[] };
  rec.spaces[0].calls.find((c) => c.name === 'mprotect')!.ret = '0xfffffffffffffff4';
  return JSON.stringify(rec, null, 1);
}
const FAILING = failing();
const file = (name: string, text: string, size = text.length) => ({
  name,
  size,
  text: async () => text,
});

describe('app store comparison', () => {
  it('compares two files and shows their first divergence, then steps between differences', async () => {
    const s = createAppStore(sessionPort()).getState;
    await s().compareFiles([file('stock.json', TEXT), file('patched.json', FAILING)]);
    expect(s().compareOpen).toBe(true);
    expect(s().comparison?.summary.sentence).toMatch(
      /^First divergence: step \d+, mprotect\(.*\): result 0 \(A\), -1 ENOMEM \(B\)$/,
    );
    const first = s().comparison!.summary.first!.row - 1;
    expect(s().compareRow).toBe(first);
    s().stepCompareDifference(1);
    expect(s().compareRow).toBe(first);
    s().selectCompareRow(0);
    s().stepCompareDifference(1);
    expect(s().compareRow).toBe(first);
    s().closeComparison();
    expect(s()).toMatchObject({ comparison: null, compareOpen: false });
  });

  it('refuses a damaged file by line and column, keeping the comparison shown', async () => {
    const s = createAppStore(sessionPort()).getState;
    await s().compareFiles([file('stock.json', TEXT), file('patched.json', FAILING)]);
    const shown = s().comparison;
    await s().compareFiles([file('stock.json', TEXT), file('cut.json', TEXT.slice(0, 20000))]);
    expect(s().comparison).toBe(shown);
    expect(s().compareMessage).toMatch(
      /^Could not compare: cut\.json:\d+:\d+: not JSON.*\. Still showing stock\.json against patched\.json\.$/,
    );
  });

  it('refuses one file, three, or one too large, without reading them', async () => {
    const s = createAppStore(sessionPort()).getState;
    const unread = {
      name: 'big.json',
      size: MAX_RECORDING_BYTES + 1,
      text: () => Promise.reject(new Error('read')),
    };
    await s().compareFiles([file('a.json', TEXT)]);
    expect(s().compareMessage).toBe(
      'Could not compare: choose two recordings, A then B (1 chosen).',
    );
    await s().compareFiles([file('a.json', TEXT), unread]);
    expect(s().compareMessage).toBe(
      'Could not compare: big.json is larger than 32 MB, the most read.',
    );
    expect(s().comparison).toBeNull();
  });
});
