// SPDX-License-Identifier: GPL-2.0-or-later
// `npm run judge -- FILE... [--format maps|smaps|json] [--events]`: runs scenarios as
// real system calls on this machine's kernel and prints what the engine's
// `run` prints, so the two can be diffed.
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { formatDiagnostic, kernelProfileJson } from '../../engine';
import {
  JUDGE_FILE_SIZE,
  JUDGE_MMAP_BASE,
  JUDGE_START_BRK,
  JUDGE_WINDOW_END,
  JUDGE_WINDOW_START,
} from '../../engine/world/process';
import {
  EXIT_BAD_INPUT,
  EXIT_MISMATCH,
  EXIT_OK,
  UsageError,
  processIo,
  readInput,
  type CliIo,
} from '../io';
import { formatKernelEvent } from './events';
import { hostProfile } from './host-profile';
import { judgeScenario, type JudgeResult } from './judge';
import { kernelSummary } from './kernel-config';
import { JudgeError } from './runner';
import { closeSharedTrace } from './tracefs';

export const JUDGE_FORMATS = ['maps', 'smaps', 'json'] as const;
type JudgeFormat = (typeof JUDGE_FORMATS)[number];

export const JUDGE_USAGE = `Usage: npm run judge -- FILE... [--format maps|smaps|json] [--events]
       npm run judge -- --write-profile PROFILE.json [FILE...]

Runs each scenario (shared/spec/scenario-format.md) as real system calls on
this machine's kernel and prints the final address space inside the judge's
window as /proc/PID/maps lines (default), with smaps VmFlags lines, or as JSON
(results, maps, smaps, the running kernel's release and configuration, and
its profile as probed: the settings that differ between machines).
With several files, maps and smaps print a '==> FILE <==' line before each
file's lines, and json prints one object per line with a "file" key.

Every address a call names must lie in 0x200000000000-0x300000000000.

--events also records what the kernel did during each call, from its
tracepoints (maple_tree:ma_write and ma_op, kmem_cache_alloc/free of
vm_area_struct, anon_vma, anon_vma_chain and maple_node, mmap:vm_unmapped_area,
exceptions:page_fault_user in the window), with kernel objects named vma1,
av1, avc1, node1 (vma?1 for one older than the scenario). maps and smaps
print each call and its events before the address space; json adds an
"events" array to each result and "start", the runner's whole address space
(smaps lines) before the first call. It needs root and tracefs (mounted at
/sys/kernel/tracing when it is not).

--write-profile writes this machine's kernel profile (found by probing the
kernel, and from /proc and /sys) as JSON, to use on another machine with
'vma-explorer run --kernel PROFILE.json'; it prints how each setting was found.

Exit status: 0 success, 1 a result differs from its '= RESULT', 2 bad input,
usage, or the judge itself failed.`;

const hex = (n: number): string => '0x' + n.toString(16);

export async function judgeMain(argv: string[], io: CliIo = processIo): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof JudgeError) {
      io.err(`vma-explorer judge: ${e.message.split('\n')[0]}`);
      return EXIT_BAD_INPUT;
    }
    throw e;
  } finally {
    // --events: the tracefs instance goes as soon as the last file is judged.
    closeSharedTrace();
    io.flush?.();
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        format: { type: 'string', default: 'maps' },
        'write-profile': { type: 'string' },
        events: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (e) {
    const m = /option '([^']+)'/.exec((e as Error).message);
    if ((e as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && m) {
      throw new UsageError(`unknown option '${m[1]}' (try --help)`);
    }
    throw new UsageError((e as Error).message.split(/\. |\n/)[0]);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.out(JUDGE_USAGE);
    return EXIT_OK;
  }
  const format = values.format;
  if (!(JUDGE_FORMATS as readonly string[]).includes(format)) {
    throw new UsageError(`unknown format '${format}' (choose ${JUDGE_FORMATS.join(', ')})`);
  }
  const profileFile = values['write-profile'];
  if (profileFile !== undefined) await writeProfile(io, profileFile);
  if (positionals.length === 0) {
    if (profileFile !== undefined) return EXIT_OK;
    throw new UsageError('judge takes one or more FILEs');
  }
  const texts = [];
  for (const file of positionals) texts.push(await readInput(io, file));

  let status = EXIT_OK;
  for (const [i, file] of positionals.entries()) {
    const several = positionals.length > 1;
    const s = await judgeFile(io, file, texts[i], format as JudgeFormat, several, values.events);
    status = Math.max(status, s);
  }
  return status;
}

/** --write-profile: the host profile to FILE, and how each setting was found to stderr. */
async function writeProfile(io: CliIo, file: string): Promise<void> {
  const { profile, probes } = await hostProfile();
  try {
    writeFileSync(file, kernelProfileJson(profile));
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? e}`);
  }
  for (const p of probes) io.err(`${p.setting} = ${JSON.stringify(p.value)}: ${p.how}`);
  io.err(`wrote ${file}`);
}

async function judgeFile(
  io: CliIo,
  file: string,
  text: string,
  format: JudgeFormat,
  several: boolean,
  events: boolean,
): Promise<number> {
  const out = await judgeScenario(text, file, { events });
  if (!out.ok) {
    for (const d of out.diagnostics) io.err(formatDiagnostic(d));
    return EXIT_BAD_INPUT;
  }
  if (several && format !== 'json') io.out(`==> ${file} <==`);
  if (events && format !== 'json') printEvents(io, out.results);
  if (format === 'maps') out.maps.forEach((l) => io.out(l));
  else if (format === 'smaps') out.smaps.forEach((l) => io.out(l));
  else {
    io.out(
      JSON.stringify({
        ...(several ? { file } : {}),
        results: out.results,
        maps: out.maps,
        smaps: out.smaps,
        // The runner's whole address space before the first call: where a
        // model must start for its events to be the kernel's (step parity).
        ...(events ? { start: out.initial } : {}),
        kernel: {
          ...kernelSummary(),
          profile: (await hostProfile()).profile,
          judge: {
            window: [hex(JUDGE_WINDOW_START), hex(JUDGE_WINDOW_END)],
            mmapBase: hex(JUDGE_MMAP_BASE),
            startBrk: hex(JUDGE_START_BRK),
            fileSize: JUDGE_FILE_SIZE,
          },
        },
      }),
    );
  }
  const misses = out.results.filter((r) => !r.match);
  for (const r of misses) {
    io.err(`${file}:${r.line}: ${r.call} returned ${r.ret}, expected ${r.expected}`);
  }
  return misses.length ? EXIT_MISMATCH : EXIT_OK;
}

/** --events in maps and smaps: each call as `LINE: CALL = RET`, then its events indented. */
function printEvents(io: CliIo, results: readonly JudgeResult[]): void {
  for (const r of results) {
    io.out(`${r.line}: ${r.call} = ${r.ret}`);
    for (const e of r.events ?? []) io.out(`  ${formatKernelEvent(e)}`);
  }
}
