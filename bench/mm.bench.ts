// SPDX-License-Identifier: GPL-2.0-or-later
// The VMA engine's speed on a full address space: 60,000 VMAs built in the
// judge's window (max_map_count is 65,530, the judge's own process holds
// the rest), then a seeded mix of mmap/munmap/mprotect/mremap/madvise calls.
// Calls per second with tracing off and with full tracing and snapshots, side
// by side with the real kernel doing the same calls (through the judge).
import { parseScenario, runParsed } from '../src/engine';
import { judgeScenario } from '../src/cli/judge/judge';
import type { BenchRow } from './bench-row';

const BASE = 0x200000000000;
const PAGE = 0x1000;
const VMAS = 60_000;
const MIX = 20_000;

/** A seeded xorshift generator, so every run measures the same input. */
function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const hex = (n: number): string => '0x' + n.toString(16);

/** 60,000 one-page VMAs, alternately read-write and read-only, so none merge. */
function build(): string[] {
  const out: string[] = [];
  for (let i = 0; i < VMAS; i++) {
    const prot = i % 2 ? 'PROT_READ' : 'PROT_READ|PROT_WRITE';
    out.push(
      `mmap(${hex(BASE + i * PAGE)}, 0x1000, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
    );
  }
  return out;
}

/** The mix: calls over the built range that split, merge, move and advise. */
function mix(seed = 5): string[] {
  const r = rng(seed);
  const out: string[] = [];
  const page = (): string => hex(BASE + Math.floor(r() * VMAS) * PAGE);
  for (let i = 0; i < MIX; i++) {
    const k = r();
    const len = hex(PAGE * (1 + Math.floor(r() * 3)));
    if (k < 0.3)
      out.push(`mprotect(${page()}, ${len}, ${r() < 0.5 ? 'PROT_READ' : 'PROT_READ|PROT_WRITE'})`);
    else if (k < 0.5) out.push(`munmap(${page()}, ${len})`);
    else if (k < 0.7) {
      out.push(
        `mmap(${page()}, ${len}, ${r() < 0.5 ? 'PROT_READ' : 'PROT_READ|PROT_WRITE'}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`,
      );
    } else if (k < 0.85)
      out.push(`madvise(${page()}, ${len}, ${r() < 0.5 ? 'MADV_DONTFORK' : 'MADV_DOFORK'})`);
    else out.push(`mremap(${page()}, 0x1000, 0x1000, MREMAP_MAYMOVE|MREMAP_FIXED, ${page()})`);
  }
  return out;
}

/** The engine alone (the scenario is parsed before the clock starts); best of 3. */
function engineMs(lines: string[], trace: boolean): number {
  const parsed = parseScenario(lines.join('\n'), 'bench');
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    const t0 = performance.now();
    const out = runParsed(parsed, 'bench', { trace });
    if (!out.ok) throw new Error('bench scenario refused');
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

/** The judge's whole run (parse, runner protocol, the system calls, smaps); best of 3. */
async function kernelMs(lines: string[]): Promise<number | null> {
  let best = Infinity;
  for (let i = 0; i < 3; i++) {
    try {
      const t0 = performance.now();
      const out = await judgeScenario(lines.join('\n') + '\n', 'bench');
      if (!out.ok) return null;
      best = Math.min(best, performance.now() - t0);
    } catch {
      return null;
    }
  }
  return best;
}

export default async function (): Promise<BenchRow[]> {
  const prefix = build();
  const all = [...prefix, ...mix()];
  // Time per mix call: the whole run minus the build alone.
  const perCall = (whole: number, base: number): number => ((whole - base) * 1e6) / MIX;
  const offBase = engineMs(prefix, false);
  const off = perCall(engineMs(all, false), offBase);
  const onBase = engineMs(prefix, true);
  const on = perCall(engineMs(all, true), onBase);
  const kBase = await kernelMs(prefix);
  const kAll = await kernelMs(all);
  const kernel = kBase !== null && kAll !== null && kAll > kBase ? perCall(kAll, kBase) : null;
  const rows: BenchRow[] = [
    {
      suite: 'mm',
      name: `engine, tracing off: ${MIX} mixed calls on ${VMAS} VMAs`,
      value: 1e9 / off,
      unit: 'calls/s',
      target: kernel ? `>= ${Math.round(1e9 / kernel / 2)} calls/s (2x kernel)` : undefined,
    },
    {
      suite: 'mm',
      name: `engine, full tracing + snapshots: ${MIX} mixed calls`,
      value: 1e9 / on,
      unit: 'calls/s',
      target: kernel ? `>= ${Math.round(1e9 / kernel / 10)} calls/s (10x kernel)` : undefined,
    },
  ];
  if (kernel !== null) {
    rows.push({
      suite: 'mm',
      name: 'kernel (judge, incl. runner protocol): same calls',
      value: 1e9 / kernel,
      unit: 'calls/s',
    });
  }
  return rows;
}
