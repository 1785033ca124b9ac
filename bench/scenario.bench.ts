// SPDX-License-Identifier: GPL-2.0-or-later
// How fast scenarios and strace logs are read and run.
import { parseScenario, runScenario } from '../src/engine';
import type { BenchRow } from './bench-row';
import { rng } from './rng';

/** A strace -f -tt log of `lines` lines: memory calls with reads mixed in. */
export function straceLog(lines: number, seed = 1): string {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < lines; i++) {
    const pid = 4000 + Math.floor(r() * 3);
    const t = `12:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(6, '0').slice(-6)}`;
    const addr = (0x7f0000000000 + Math.floor(r() * 0x100000) * 0x1000).toString(16);
    const pick = r();
    if (pick < 0.4) {
      out.push(
        `${pid}  ${t} mmap(NULL, ${4096 * (1 + Math.floor(r() * 64))}, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0) = 0x${addr}`,
      );
    } else if (pick < 0.6) {
      out.push(`${pid}  ${t} munmap(0x${addr}, 8192) = 0`);
    } else if (pick < 0.75) {
      out.push(`${pid}  ${t} mprotect(0x${addr}, 4096, PROT_READ) = 0`);
    } else {
      out.push(`${pid}  ${t} read(3, "\\177ELF\\2\\1\\1\\0"..., 832) = 832`);
    }
  }
  return out.join('\n') + '\n';
}

function fixedScenario(calls: number, seed = 2): string {
  const r = rng(seed);
  const out: string[] = [];
  for (let i = 0; i < calls; i++) {
    const addr = '0x' + (0x200000000000 + Math.floor(r() * 4096) * 0x1000).toString(16);
    const len = 0x1000 * (1 + Math.floor(r() * 8));
    out.push(
      r() < 0.6
        ? `mmap(${addr}, ${len}, PROT_READ${r() < 0.5 ? '|PROT_WRITE' : ''}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`
        : `munmap(${addr}, ${len})`,
    );
  }
  return out.join('\n');
}

function best(times: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    fn();
    min = Math.min(min, performance.now() - t0);
  }
  return min;
}

export default async function (): Promise<BenchRow[]> {
  const log = straceLog(100_000);
  let skipped = 0;
  const parseMs = best(5, () => {
    skipped = parseScenario(log).skipped;
  });
  if (skipped === 0) throw new Error('the generated log should have skipped lines');

  const scenario = fixedScenario(2_000);
  const runMs = best(3, () => {
    const out = runScenario(scenario);
    if (!out.ok) throw new Error('bench scenario did not parse');
  });
  return [
    {
      suite: 'scenario',
      name: 'parse a 100,000-line strace -f -tt log',
      value: parseMs,
      unit: 'ms',
      target: '< 1000 ms',
    },
    {
      suite: 'scenario',
      name: 'engine: run 2,000 fixed mmap/munmap, every step kept',
      value: runMs,
      unit: 'ms',
    },
  ];
}
