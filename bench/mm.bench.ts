// SPDX-License-Identifier: GPL-2.0-or-later
// The VMA engine's speed on a full address space against the live kernel's
// (issue 16): `npm run bench -- mm`. The workload (mm-workload.ts): 60,000
// one-page VMAs, then a seeded mix of 20,000 calls over them.
//
// The kernel side is kernel/mm-workload.c making the same calls as real
// system calls and timing the mix around the calls alone (the judge, used
// before, hid the kernel's speed behind its runner protocol and pipes). The
// engine sides run the mix from the built address space, each mode in a
// process of its own (mm-engine.ts says why), asked for one round at a
// time. Rounds alternate: kernel, then the engine untraced and streamed
// (each step dropped when made, as the command line's `run` keeps nothing
// to step back to: the kernel's own way), untraced keeping a checkpoint
// every 1,024 calls (any step can be read again), and traced (every internal
// step and its snapshot). Every side must end with the same smaps lines in
// the window.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchRow } from './bench-row';
import { buildMmWorkload, ratioRows, runProgram, sameRow, spreadRows } from './kernel/yardstick';
import { ENGINE_MODES, MIX, VMAS, WINDOW, build, mix, tidy, type EngineMode } from './mm-workload';

const ROUNDS = 5;
const SUITE = 'mm';
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** An engine process (mm-engine.ts) of one mode, ready for rounds. */
interface EngineProcess {
  round(): Promise<{ ns: number; smaps: string | null }>;
  close(): void;
}

/** Starts mm-engine.ts in `mode` (bundled, as `npm run bench` runs) and waits until it is ready. */
async function startEngine(mode: EngineMode): Promise<EngineProcess> {
  const child = spawn(
    process.execPath,
    [join(ROOT, 'scripts/bundle.mjs'), '--run', 'bench/mm-engine.ts', mode],
    { cwd: ROOT, stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const next = async (): Promise<string> => {
    const line = await lines.next();
    if (line.done) throw new Error(`the ${mode} engine process ended (exit ${child.exitCode})`);
    return line.value as string;
  };
  const ready = await next();
  if (ready !== 'ready') throw new Error(`the ${mode} engine process said ${ready}`);
  return {
    async round() {
      child.stdin.write('round\n');
      return JSON.parse(await next()) as { ns: number; smaps: string | null };
    },
    close() {
      child.stdin.end();
    },
  };
}

export default async function (): Promise<BenchRow[]> {
  const built = build();
  const mixed = mix();

  let bin: string | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'vma-explorer-mm-'));
  const callsFile = join(dir, 'calls.txt');
  writeFileSync(
    callsFile,
    [...built, ...mixed].map((k) => `${k.kind} ${k.a} ${k.b} ${k.c}`).join('\n') + '\n',
  );
  try {
    bin = await buildMmWorkload();
  } catch (e) {
    console.log(`mm: no kernel rows: ${(e as Error).message}`);
  }

  const kernel: number[] = [];
  const times: Record<EngineMode, number[]> = { streamed: [], untraced: [], traced: [] };
  let kernelMaps: string | null = null;
  let failed = 0;
  const engineMaps = new Set<string>();
  // All build their space at once; one that fails takes the others down.
  const started = await Promise.allSettled(ENGINE_MODES.map(startEngine));
  const engines = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure !== undefined) {
    for (const e of engines) e.close();
    rmSync(dir, { recursive: true, force: true });
    throw (failure as PromiseRejectedResult).reason;
  }
  try {
    for (let r = 0; r < ROUNDS; r++) {
      if (bin !== null) {
        const out = await runProgram(bin, [
          callsFile,
          String(VMAS),
          String(WINDOW.start),
          String(WINDOW.end),
        ]);
        const lines = out.split('\n').filter((l) => l !== '');
        const field = (name: string): number =>
          Number(lines.find((l) => l.startsWith(name + ' '))?.split(' ')[1]);
        kernel.push(field('mix'));
        failed = field('failed');
        kernelMaps ??= tidy(lines.slice(3));
      }
      for (const [m, mode] of ENGINE_MODES.entries()) {
        const { ns, smaps } = await engines[m].round();
        times[mode].push(ns);
        if (smaps !== null) engineMaps.add(smaps);
      }
    }
  } finally {
    for (const e of engines) e.close();
    rmSync(dir, { recursive: true, force: true });
  }

  const { streamed, untraced, traced } = times;
  const rows: BenchRow[] = [
    ...spreadRows(
      SUITE,
      `engine, tracing off, steps streamed: ${MIX} mixed calls on ${VMAS} VMAs`,
      streamed,
      'ns/call',
    ),
    ...spreadRows(SUITE, 'engine, tracing off, checkpoints kept: the same', untraced, 'ns/call'),
    ...spreadRows(SUITE, 'engine, full tracing + snapshots: the same', traced, 'ns/call'),
  ];
  if (kernel.length === 0 || kernelMaps === null) return rows;
  rows.push(
    ...spreadRows(SUITE, 'kernel (mm-workload.c, system calls): the same', kernel, 'ns/call'),
    {
      suite: SUITE,
      name: 'kernel: mix calls that returned an error',
      value: failed,
      unit: 'calls',
    },
    ...ratioRows(SUITE, 'engine untraced, streamed / kernel', streamed, kernel, '<= 2x'),
    ...ratioRows(SUITE, 'engine untraced, checkpoints / kernel', untraced, kernel, '<= 2x'),
    ...ratioRows(SUITE, 'engine traced / kernel', traced, kernel, '<= 10x'),
    sameRow(
      SUITE,
      `smaps in the window as the kernel (${kernelMaps.split('\n').length / 2} VMAs)`,
      engineMaps.size === 1 && engineMaps.has(kernelMaps),
    ),
  );
  return rows;
}
