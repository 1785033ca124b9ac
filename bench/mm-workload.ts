// SPDX-License-Identifier: GPL-2.0-or-later
// The mm bench's workload (issue 16), shared by the bench (which hands it to
// the kernel's C program) and its engine processes (mm-engine.ts): 60,000
// one-page VMAs built in the judge's window (max_map_count is 65,530), then
// a seeded mix of 20,000 mmap/munmap/mprotect/mremap/madvise calls over them.
import { parseScenario, runParsed, type MmState, type ParsedScenario } from '../src/engine';
import { rng } from './rng';

export const BASE = 0x200000000000;
export const PAGE = 0x1000;
export const VMAS = 60_000;
export const MIX = 20_000;
/** The window both sides' smaps are compared in: every call stays inside it. */
export const WINDOW = { start: BASE, end: BASE + 2 * VMAS * PAGE };

const hex = (n: number): string => '0x' + n.toString(16);
const RW = 3; // PROT_READ|PROT_WRITE
const RO = 1; // PROT_READ
const MADV_DONTFORK = 10;
const MADV_DOFORK = 11;

/**
 * One call, in the numeric form mm-workload.c reads (`m ADDR LEN PROT`,
 * `p ADDR LEN PROT`, `u ADDR LEN 0`, `a ADDR LEN ADVICE`, `r OLD NEW 0`).
 */
export interface Call {
  kind: 'm' | 'p' | 'u' | 'a' | 'r';
  a: number;
  b: number;
  c: number;
}

const PROT = (p: number): string => (p === RW ? 'PROT_READ|PROT_WRITE' : 'PROT_READ');

/** The same call as a scenario line. */
function scenarioLine(k: Call): string {
  switch (k.kind) {
    case 'm':
      return `mmap(${hex(k.a)}, ${hex(k.b)}, ${PROT(k.c)}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;
    case 'p':
      return `mprotect(${hex(k.a)}, ${hex(k.b)}, ${PROT(k.c)})`;
    case 'u':
      return `munmap(${hex(k.a)}, ${hex(k.b)})`;
    case 'a':
      return `madvise(${hex(k.a)}, ${hex(k.b)}, ${k.c === MADV_DONTFORK ? 'MADV_DONTFORK' : 'MADV_DOFORK'})`;
    case 'r':
      return `mremap(${hex(k.a)}, 0x1000, 0x1000, MREMAP_MAYMOVE|MREMAP_FIXED, ${hex(k.b)})`;
  }
}

/** 60,000 one-page VMAs, alternately read-write and read-only, so none merge. */
export function build(): Call[] {
  const out: Call[] = [];
  for (let i = 0; i < VMAS; i++)
    out.push({ kind: 'm', a: BASE + i * PAGE, b: PAGE, c: i % 2 ? RO : RW });
  return out;
}

/** The mix: calls over the built range that split, merge, move and advise. */
export function mix(seed = 5): Call[] {
  const r = rng(seed);
  const out: Call[] = [];
  const page = (): number => BASE + Math.floor(r() * VMAS) * PAGE;
  for (let i = 0; i < MIX; i++) {
    const k = r();
    const len = PAGE * (1 + Math.floor(r() * 3));
    // Each argument drawn in the order the scenario line writes it.
    if (k < 0.3) {
      const a = page();
      out.push({ kind: 'p', a, b: len, c: r() < 0.5 ? RO : RW });
    } else if (k < 0.5) out.push({ kind: 'u', a: page(), b: len, c: 0 });
    else if (k < 0.7) {
      const a = page();
      out.push({ kind: 'm', a, b: len, c: r() < 0.5 ? RO : RW });
    } else if (k < 0.85) {
      const a = page();
      out.push({ kind: 'a', a, b: len, c: r() < 0.5 ? MADV_DONTFORK : MADV_DOFORK });
    } else {
      const a = page();
      out.push({ kind: 'r', a, b: page(), c: 0 });
    }
  }
  return out;
}

export const parse = (calls: Call[]): ParsedScenario =>
  parseScenario(calls.map(scenarioLine).join('\n'), 'bench');

/**
 * How the engine runs the mix: `streamed`, untraced with each step dropped
 * as soon as it is made (the command line's `run` for maps, smaps and json:
 * nothing is kept to step back to); `untraced`, keeping a checkpoint every
 * 1,024 calls so that any step can be read again (untraced-history.ts);
 * `traced`, every internal step with its snapshot (the app).
 */
export type EngineMode = 'streamed' | 'untraced' | 'traced';
export const ENGINE_MODES: readonly EngineMode[] = ['streamed', 'untraced', 'traced'];

const dropStep = (): void => {};

/** ms of one engine run from `initial`, and the space it ends with. */
export function timeRun(
  parsed: ParsedScenario,
  mode: EngineMode,
  initial?: MmState,
): { ms: number; mm: MmState } {
  const trace = mode === 'traced';
  const onStep = mode === 'streamed' ? dropStep : undefined;
  const t0 = performance.now();
  const out = runParsed(parsed, 'bench', { trace, initial, onStep });
  const ms = performance.now() - t0;
  if (!out.ok) throw new Error('bench scenario refused');
  return { ms, mm: out.steps[out.steps.length - 1].mm };
}

/** The kernel's smaps lines as the engine writes them (no trailing blanks). */
export const tidy = (lines: string[]): string => lines.map((l) => l.trimEnd()).join('\n');
