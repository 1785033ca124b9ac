// SPDX-License-Identifier: GPL-2.0-or-later
// Builds runner.c with the machine's gcc (once per source version, into a
// cache directory outside the repository) and runs it.
//
// Protocol. The driver writes one line per call, all numbers as unsigned
// 64-bit decimal, strings as `s` followed by the hex of their UTF-8 bytes:
//
//   mmap ADDR LEN PROT FLAGS FD OFFSET        munmap ADDR LEN
//   mprotect ADDR LEN PROT                    pkey_mprotect ADDR LEN PROT PKEY
//   mremap OLD OLD_LEN NEW_LEN FLAGS NEW      madvise ADDR LEN ADVICE
//   mlock ADDR LEN   mlock2 ADDR LEN FLAGS    munlock ADDR LEN
//   mlockall FLAGS   munlockall               brk ADDR
//   mseal ADDR LEN FLAGS                      prctl OPTION ARG2 ADDR LEN sNAME
//   openat sPATH FLAGS MODE SCENARIO_FD|-     close FD
//   ftruncate FD LENGTH
//   @touch ADDR LEN   @read ADDR LEN   @fork   @note
//
// The runner answers one `R VALUE` line per call (the raw system call return
// as signed decimal, so -22 is EINVAL; or SIGSEGV / SIGBUS for a faulting
// pseudo-call), then `M HEADER` and `F VmFlags: ...` for every VMA in the
// window as /proc/self/smaps prints them, then `E`. `X MESSAGE` reports a
// failure of the judge itself. Before the first call's answer it prints `I
// HEADER`, `J Anonymous: ...` and `J VmFlags: ...` for every VMA of the process (inside the window
// or not), as it is once set up: the start a model needs to build the same
// maple tree (step parity).
//
// With `markerPath` (--events) the runner writes per-call markers there
// (runner.c: mark()).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { JUDGE_WINDOW_END, JUDGE_WINDOW_START } from '../../engine/world/process';
import { buildCached } from '../build-cache';

/** The runner kills itself after this long (the driver waits a little more). */
export const RUNNER_TIMEOUT_SECONDS = 20;

/** A failure of the judge itself (no gcc, a runner crash), not of the scenario. */
export class JudgeError extends Error {}

const SOURCE = fileURLToPath(new URL('./runner.c', import.meta.url));
const PAGE = 0x1000;

function compileArgs(out: string): string[] {
  const hex = (n: number): string => `0x${n.toString(16)}UL`;
  return [
    '-O2',
    '-Wall',
    '-Werror',
    '-static',
    '-nostdlib',
    '-no-pie',
    '-fno-pie',
    '-ffreestanding',
    '-fno-stack-protector',
    '-fcf-protection=none',
    `-DWINDOW_START=${hex(JUDGE_WINDOW_START)}`,
    `-DWINDOW_END=${hex(JUDGE_WINDOW_END)}`,
    `-DTIMEOUT_SECONDS=${RUNNER_TIMEOUT_SECONDS}`,
    // The anchor page ends where the window starts: there the break begins.
    `-Wl,--section-start=.judge_brk=0x${(JUDGE_WINDOW_START - PAGE).toString(16)}`,
    '-Wl,--build-id=none',
    '-o',
    out,
    SOURCE,
  ];
}

let built: Promise<string> | undefined;

/** The path of the compiled runner, building it on first use. */
export function runnerBinary(): Promise<string> {
  built ??= build().catch((e: unknown) => {
    built = undefined;
    throw e;
  });
  return built;
}

function build(): Promise<string> {
  return buildCached({
    name: 'runner',
    folder: 'vma-explorer-judge',
    source: SOURCE,
    args: compileArgs,
    patch: withInaccessibleAnchor,
    patchName: ANCHOR_PATCH,
    fail: (message) => new JudgeError(message),
  });
}

const ANCHOR_PATCH = 'anchor PT_LOAD p_flags=0';
const PT_LOAD = 1;

/**
 * The anchor page's segment made PROT_NONE (p_flags 0, which no linker option
 * gives): an accessible mapping just below the window would count in the
 * stack guard gap of a MAP_GROWSDOWN mapping at the window's start, and a
 * PROT_NONE one does not (mm/mmap.c: expand_downwards()).
 */
function withInaccessibleAnchor(elf: Buffer): Buffer {
  const phoff = Number(elf.readBigUInt64LE(0x20));
  const phentsize = elf.readUInt16LE(0x36);
  const phnum = elf.readUInt16LE(0x38);
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * phentsize;
    const vaddr = Number(elf.readBigUInt64LE(ph + 16));
    if (elf.readUInt32LE(ph) === PT_LOAD && vaddr === JUDGE_WINDOW_START - PAGE) {
      elf.writeUInt32LE(0, ph + 4);
      return elf;
    }
  }
  throw new JudgeError('the runner has no anchor segment below the window');
}

/** A directory of our own under the system's temporary directory. */
/** What the runner printed, split by kind. */
export interface RunnerOutput {
  /** One raw `R` value per call. */
  results: string[];
  /** smaps header lines (kernel's text) for the window's VMAs, lowest first. */
  headers: string[];
  /** The `VmFlags:` line of each header. */
  flags: string[];
  /** Every VMA of the process before the first call: smaps header, Anonymous and VmFlags lines. */
  initial: string[];
}

/** What a traced run adds (--events). */
export interface RunnerTracing {
  /** The tracefs trace_marker the runner marks each call in. */
  markerPath: string;
}

/** Runs the runner on protocol lines. */
export async function runRunner(
  lines: readonly string[],
  tracing?: RunnerTracing,
): Promise<RunnerOutput> {
  const bin = await runnerBinary();
  const stdout = await new Promise<string>((resolve, reject) => {
    const env = tracing ? { ...process.env, VMX_TRACE_MARKER: tracing.markerPath } : process.env;
    const child = spawn(bin, [], { stdio: ['pipe', 'pipe', 'pipe'], env });
    const chunks: Buffer[] = [];
    const errors: Buffer[] = [];
    const timer = setTimeout(() => child.kill('SIGKILL'), (RUNNER_TIMEOUT_SECONDS + 5) * 1000);
    child.stdout.on('data', (b: Buffer) => chunks.push(b));
    child.stderr.on('data', (b: Buffer) => errors.push(b));
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(new JudgeError(`cannot start the runner: ${e.message}`));
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const out = Buffer.concat(chunks).toString('utf8');
      const fatal = /^X (.*)$/m.exec(out);
      if (fatal) reject(new JudgeError(`runner: ${fatal[1]}`));
      else if (code !== 0 || !out.endsWith('E\n')) {
        const why = signal ? `signal ${signal}` : `status ${code}`;
        const stderr = Buffer.concat(errors).toString('utf8').trim();
        reject(new JudgeError(`the runner stopped with ${why}${stderr ? `: ${stderr}` : ''}`));
      } else resolve(out);
    });
    child.stdin.on('error', () => {}); // a runner that fails early closes its stdin
    child.stdin.end(lines.map((l) => l + '\n').join(''));
  });
  const out: RunnerOutput = { results: [], headers: [], flags: [], initial: [] };
  for (const line of stdout.split('\n')) {
    const body = line.slice(2);
    if (line.startsWith('R ')) out.results.push(body);
    else if (line.startsWith('M ')) out.headers.push(body);
    else if (line.startsWith('F ')) out.flags.push(body);
    else if (line.startsWith('I ') || line.startsWith('J ')) out.initial.push(body);
  }
  return out;
}
