// SPDX-License-Identifier: GPL-2.0-or-later
// Replays one address space of a program recording on the model: from the
// smaps the recording started with, through every call and fault in the
// order they took effect, and holds the outcome against the kernel's: each
// call's result, each step's kernel events, and the final smaps.
import type { KernelEvent } from '../kernel/trace/kernel-events';
import { MTREE_INIT } from '../kernel/maple/tree';
import { mtree_store_range } from '../kernel/maple/store';
import { mmSnapshot, type MmState } from '../kernel/mm/mm-snapshot';
import type { Vma } from '../kernel/mm/mm_types';
import { VM_GROWSDOWN } from '../kernel/mm/vm-flags';
import { parseScenario } from '../scenario/parse';
import type { Diagnostic } from '../scenario/diagnostic';
import type { ProgramRecording, RecordedSpace } from '../scenario/program-recording';
import {
  KERNEL_PROFILE_FORMAT,
  KERNEL_PROFILE_VERSION,
  parseKernelProfile,
  type KernelProfile,
} from '../world/kernel-profile';
import { Identities, compareCallEvents, comparedEvent, describeDifference } from './event-parity';
import { loadProcMaps } from './load-proc-maps';
import { comparedStepEvents, programScript, type ProgramScript } from './program-script';
import { runParsed, smapsLines, type RunOptions, type RunOutput, type Step } from './run';

/** The kernel a recording was made on, as a profile, or null when it carries none that reads. */
export function recordingProfile(rec: ProgramRecording): KernelProfile | null {
  if (rec.kernel.profile === undefined) return null;
  // The recording carries the profile's fields; a profile document names its format.
  const read = parseKernelProfile(
    JSON.stringify({
      format: KERNEL_PROFILE_FORMAT,
      version: KERNEL_PROFILE_VERSION,
      ...(rec.kernel.profile as object),
    }),
  );
  return read.ok ? read.profile : null;
}

/**
 * The space's first top-down free-area search (a search from the bottom of
 * memory up to mmap_base), its calls' events before its faults', as they
 * are listed; read in place, since it is nearly always among the first.
 */
function firstTopDownSearch(
  space: RecordedSpace,
): Extract<KernelEvent, { kind: 'unmapped_area' }> | null {
  for (const steps of [space.calls, space.faults])
    for (const s of steps)
      for (const e of s.events)
        if (e.kind === 'unmapped_area' && BigInt(e.low) <= 0x10000n) return e;
  return null;
}

/**
 * The address space a space started with: its smaps, with what no dump
 * shows taken from the calls. The break from the first brk() (at execve the
 * break is where the heap will start); mmap_base from the first top-down
 * free-area search (vm_unmapped_area()'s high limit is mm->mmap_base).
 */
export function spaceStart(
  space: RecordedSpace,
  rec: ProgramRecording,
  file: string,
): { ok: true; mm: MmState } | { ok: false; diagnostics: Diagnostic[] } {
  const forked =
    space.from === 'fork' && space.parent ? forkedStart(rec, space.parent, file) : null;
  if (forked) return forked;
  const loaded = loadProcMaps(space.start.join('\n') + '\n', `${file} start`);
  if (!loaded.ok) return loaded;
  let mm = space.from === 'exec' ? mmSnapshot(loaded.mm, { mt: execTree(loaded.mm) }) : loaded.mm;
  const heap = mm.start_brk !== 0;
  const firstBrk = space.calls.find((c) => c.name === 'brk');
  if (!heap && firstBrk && BigInt(firstBrk.args[0]) === 0n && firstBrk.ret !== null) {
    const brk = Number(BigInt(firstBrk.ret));
    mm = mmSnapshot(mm, { start_brk: brk, brk });
  }
  const search = firstTopDownSearch(space);
  if (search !== null) mm = mmSnapshot(mm, { mmap_base: Number(BigInt(search.high)) });
  // Every file the program opened or mapped, as long as it may be: a real
  // file's size is not the model's 64 KiB, and a replay never raises a
  // SIGBUS the program did not get.
  const sizes = new Map(mm.fileSizes);
  for (const f of rec.files) sizes.set(f.path, Infinity);
  for (const s of rec.spaces) for (const c of s.calls) if (c.path) sizes.set(c.path, Infinity);
  return { ok: true, mm: mmSnapshot(mm, { fileSizes: sizes, fileInodes: recordedInodes(rec) }) };
}

/**
 * A forked child's first address space: the copy dup_mmap() made of its
 * parent's at the fork (the maple tree __mt_dup() copied node for node,
 * anon_vmas linked to the parent's, which the child's smaps cannot show),
 * by replaying the parent up to that call on the model.
 */
function forkedStart(
  rec: ProgramRecording,
  at: { space: number; call: number },
  file: string,
): { ok: true; mm: MmState } | { ok: false; diagnostics: Diagnostic[] } | null {
  const parent = rec.spaces[at.space];
  const start = spaceStart(parent, rec, file);
  if (!start.ok) return start;
  const script = programScript(rec, at.space);
  const forkStep = script.steps.findIndex((s) => s.kind === 'call' && s.index === at.call);
  if (forkStep < 0) return null;
  const lines = script.text.split('\n');
  const before = lines.slice(0, script.firstLine - 1 + forkStep);
  // The contract's @fork(): the run goes on in the child, as this space does.
  const parsed = parseScenario([...before, '@fork()'].join('\n') + '\n', file);
  const forks = new Set([...script.forkAt].filter((i) => i < forkStep));
  const run = runParsed(parsed, file, {
    initial: start.mm,
    kernel: recordingProfile(rec) ?? undefined,
    trace: false,
    kernelEvents: false,
    adoptUntracedFds: true,
    forkParentAt: forks,
    unlinkAt: new Map([...script.unlinkAt].filter(([i]) => i < forkStep)),
  });
  if (!run.ok) return run;
  return { ok: true, mm: run.steps[run.steps.length - 1].mm };
}

/**
 * The maple tree execve leaves, whose node boundaries later writes show: a
 * tree stored in address order splits its nodes elsewhere. fs/binfmt_elf.c:
 * load_elf_binary() stores the stack first (__bprm_mm_init()), then the
 * program's segments and its bss (elf_load(), vm_brk_flags()), then the
 * interpreter's (load_elf_interp(), mapped top-down above them), and last
 * the vDSO text and its data pages (arch_setup_additional_pages(): map_vdso()
 * installs [vdso], then [vvar] and [vvar_vclock]).
 */
function execTree(mm: MmState): MmState['mt'] {
  const vmas = mm.vmas;
  const isStack = (v: Vma): boolean => (v.vm_flags & VM_GROWSDOWN) !== 0;
  const specials = vmas.filter((v) => v.name !== null);
  const firstSpecial = Math.min(...specials.map((v) => v.vm_start));
  const program = vmas.filter((v) => v.vm_start < firstSpecial && !isStack(v) && v.name === null);
  const interpreter = vmas.filter(
    (v) => v.vm_start > firstSpecial && !isStack(v) && v.name === null,
  );
  const named = (name: string): Vma[] => specials.filter((v) => v.name === name);
  const order = [
    ...vmas.filter(isStack),
    ...program,
    ...interpreter,
    ...named('[vdso]'),
    ...named('[vvar]'),
    ...named('[vvar_vclock]'),
  ];
  // Anything else special (a [uprobes] page) keeps its address order after them.
  for (const v of vmas) if (!order.includes(v)) order.push(v);
  let mt = MTREE_INIT<Vma>();
  for (const v of order) mt = mtree_store_range(mt, v.vm_start, v.vm_end - 1, v);
  return mt;
}

/** Each mapped file's device and inode, from every smaps the recording holds. */
function recordedInodes(rec: ProgramRecording): Map<string, string> {
  const inodes = new Map<string, string>();
  for (const s of rec.spaces)
    for (const line of [...s.start, ...(s.end ?? [])]) {
      const m = /^[0-9a-f]+-[0-9a-f]+ \S+ \S+ (\S+) (\d+)\s+(\/.*)$/.exec(line);
      if (!m || m[2] === '0') continue;
      // A file unlinked by then prints " (deleted)"; it was opened by its name.
      inodes.set(m[3], `${m[1]} ${m[2]}`);
      if (m[3].endsWith(' (deleted)')) inodes.set(m[3].slice(0, -10), `${m[1]} ${m[2]}`);
    }
  return inodes;
}

/** How one step of the replay compares with the kernel. */
export interface ReplayStepParity {
  line: number;
  text: string;
  /** The result the kernel gave is the model's (always true for faults and notes). */
  resultMatches: boolean;
  events: 'confirmed' | 'different';
  /** How many events were compared (the longer side's count). */
  compared: number;
  differences: string[];
}

export interface ProgramReplay {
  script: ProgramScript;
  run: Extract<RunOutput, { ok: true }>;
  steps: ReplayStepParity[];
  /** The model's final smaps (headers and VmFlags) beside the recording's. */
  finalModel: string[];
  finalKernel: string[] | null;
  /** The first line where the final smaps differ, or null when they are the same. */
  finalDifference: string | null;
}

/** The lines of a real smaps dump the model prints: each header and its VmFlags. */
export function comparableSmaps(lines: readonly string[]): string[] {
  return lines
    .filter((l) => /^[0-9a-f]+-[0-9a-f]+ /.test(l) || l.startsWith('VmFlags:'))
    .map((l) => l.trimEnd());
}

/** The first line where the model's smaps differ from the kernel's, in words; null when none. */
export function smapsDifference(
  model: readonly string[],
  kernel: readonly string[],
): string | null {
  for (let i = 0; i < Math.max(model.length, kernel.length); i++)
    if (model[i] !== kernel[i])
      return `line ${i + 1}: model ${JSON.stringify(model[i] ?? null)}, kernel ${JSON.stringify(kernel[i] ?? null)}`;
  return null;
}

/** The model's events of each call, by call index. */
function eventsByCall(steps: readonly Step[], calls: number): KernelEvent[][] {
  const out: KernelEvent[][] = Array.from({ length: calls }, () => []);
  for (const s of steps) if (s.call >= 0 && s.kernelEvents) out[s.call].push(...s.kernelEvents);
  return out;
}

/** Replays space `index`; diagnostics when the recording's start or script cannot be read. */
export function replayProgram(
  rec: ProgramRecording,
  index: number,
  file = 'recording.json',
  options: Pick<RunOptions, 'kernel' | 'validate'> = {},
): { ok: true; replay: ProgramReplay } | { ok: false; diagnostics: Diagnostic[] } {
  const space = rec.spaces[index];
  const script = programScript(rec, index);
  const start = spaceStart(space, rec, file);
  if (!start.ok) return start;
  const parsed = parseScenario(script.text, file);
  const kernel = options.kernel ?? recordingProfile(rec) ?? undefined;
  const run = runParsed(parsed, file, {
    initial: start.mm,
    kernel,
    validate: options.validate,
    trace: true,
    kernelEvents: true,
    adoptUntracedFds: true,
    forkParentAt: script.forkAt,
    unlinkAt: script.unlinkAt,
  });
  if (!run.ok) return run;
  const model = eventsByCall(run.steps, run.calls.length);
  const ids = new Identities();
  const steps = script.steps.map((s, i): ReplayStepParity => {
    const call = run.calls[i];
    const parity = compareCallEvents(model[i], comparedStepEvents(s), ids, comparedEvent);
    return {
      line: call.line,
      text: call.call,
      resultMatches: call.match,
      events: parity.status,
      compared: parity.compared,
      differences: parity.differences.map((d) => describeDifference(d)),
    };
  });
  const last = run.steps[run.steps.length - 1].mm;
  const finalModel = smapsLines(last).map((l) => l.trimEnd());
  const finalKernel = space.end === null ? null : comparableSmaps(space.end);
  const finalDifference = finalKernel === null ? null : smapsDifference(finalModel, finalKernel);
  return { ok: true, replay: { script, run, steps, finalModel, finalKernel, finalDifference } };
}
