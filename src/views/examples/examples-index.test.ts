// SPDX-License-Identifier: GPL-2.0-or-later
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { render } from '../../../scripts/list-examples.mjs';

describe('public/scenarios/index.json', () => {
  it('lists every example (regenerate with node scripts/list-examples.mjs)', () => {
    const onDisk = readFileSync(join(process.cwd(), 'public', 'scenarios', 'index.json'), 'utf8');
    expect(onDisk).toBe(render());
    expect(JSON.parse(onDisk).length).toBeGreaterThanOrEqual(20);
  });
});
