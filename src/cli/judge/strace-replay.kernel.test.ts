// SPDX-License-Identifier: GPL-2.0-or-later
// A fresh strace log of `python3 -c 'import json'`, from its execve, made on
// this machine with the command the README gives and replayed without a
// capture of its start: each process gives the logged result for at least
// 99% of its calls, and every VMA the replay had to infer is marked so in
// the rows the views draw. strace missing here fails the suite.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isInferred } from '../../engine/timeline/strace-start';
import { parseScenario } from '../../engine/scenario/parse';
import { runScenario } from '../../engine/timeline/run';
import { vmaRows } from '../../engine/timeline/step-view';
import { vmaList } from '../../engine/kernel/mm/mm-snapshot';

const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-strace-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a fresh strace log of python3 -c "import json"', () => {
  const log = join(dir, 'py.strace');
  execFileSync('strace', [
    '-f',
    '-tt',
    '-e',
    'trace=memory,openat,open,close,execve',
    '-o',
    log,
    'python3',
    '-c',
    'import json',
  ]);
  const text = readFileSync(log, 'utf8');
  const pids = parseScenario(text, 'py.strace').pids;

  it('replays each process with at least 99% of its calls giving the logged result', () => {
    expect(pids.length).toBeGreaterThan(0);
    expect(pids[0].calls).toBeGreaterThan(300);
    for (const { pid } of pids) {
      const out = runScenario(text, 'py.strace', { pid });
      if (!out.ok) throw new Error(`${pid}: ${out.diagnostics[0].message}`);
      const matched = out.calls.filter((c) => c.match).length;
      const misses = out.calls
        .filter((c) => !c.match)
        .map((c) => `${c.line}: ${c.call} = ${c.ret}, logged ${c.expected}`);
      expect(
        matched / out.calls.length,
        `process ${pid}: ${misses.join('; ')}`,
      ).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('marks every VMA it inferred in the rows the views draw', () => {
    const out = runScenario(text, 'py.strace', { pid: pids[0].pid });
    if (!out.ok) throw new Error(out.diagnostics[0].message);
    expect(out.log?.inferred).toBeGreaterThan(0);
    let seen = 0;
    for (const step of [out.steps[0], ...out.calls.map((c) => out.steps[c.lastStep])]) {
      const rows = vmaRows(step.mm);
      const vmas = vmaList(step.mm);
      vmas.forEach((v, i) => expect(rows[i].inferred).toBe(isInferred(v)));
      seen += vmas.filter(isInferred).length;
    }
    expect(seen).toBeGreaterThan(0);
  });
});
