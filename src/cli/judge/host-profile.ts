// SPDX-License-Identifier: GPL-2.0-or-later
// The `host` kernel profile: the running kernel's settings, found by making
// it behave (a few scenarios run through the judge's runner) and read from
// /proc and /sys, never guessed from the release string or the boot line.
// Each setting keeps how it was found, so that a difference between the
// model and the kernel can name the probe behind the setting involved.
import { readFileSync } from 'node:fs';
import { LINUX_6_18, type KernelProfile } from '../../engine';
import { JUDGE_WINDOW_START } from '../../engine/world/process';
import { judgeScenario } from './judge';
import { JudgeError } from './runner';

/** How one setting was found, and what the machine answered. */
export interface ProbeReport {
  /** The profile field, `overcommit.memory` for a nested one. */
  readonly setting: string;
  readonly value: unknown;
  /** What was done or read to find it. */
  readonly how: string;
}

export interface HostProfile {
  readonly profile: KernelProfile;
  readonly probes: readonly ProbeReport[];
}

const A = '0x' + JUDGE_WINDOW_START.toString(16);
const MAP_ANON_RW = `mmap(${A}, 0x2000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/** Runs a probe scenario on the kernel; its results and smaps. */
async function probe(text: string): Promise<{ rets: string[]; smaps: string[] }> {
  const out = await judgeScenario(text, 'host-probe');
  if (!out.ok) throw new JudgeError(`host probe refused: ${out.diagnostics[0]?.message ?? ''}`);
  return { rets: out.results.map((r) => r.ret), smaps: out.smaps };
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new JudgeError(
      `cannot read ${path} to find the host's kernel profile: ${(e as Error).message}`,
    );
  }
}

function sysctl(name: string): number {
  const text = readText(`/proc/sys/vm/${name}`).trim();
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new JudgeError(`/proc/sys/vm/${name} reads '${text}'`);
  return v;
}

/** A /proc/meminfo field in kB. */
function meminfo(text: string, field: string): number {
  const m = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(text);
  if (!m) throw new JudgeError(`/proc/meminfo has no ${field}`);
  return Number(m[1]);
}

/** A soft limit from /proc/self/limits in bytes; null for unlimited. */
function rlimit(text: string, label: string): number | null {
  const m = new RegExp(`^${label}\\s+(\\S+)`, 'm').exec(text);
  if (!m) throw new JudgeError(`/proc/self/limits has no '${label}'`);
  return m[1] === 'unlimited' ? null : Number(m[1]);
}

/** Whether CapEff in /proc/self/status has capability `bit`. */
function capable(status: string, bit: number): boolean {
  const m = /^CapEff:\s+([0-9a-f]+)$/m.exec(status);
  if (!m) throw new JudgeError('/proc/self/status has no CapEff');
  return ((BigInt('0x' + m[1]) >> BigInt(bit)) & 1n) === 1n;
}

const CAP_IPC_LOCK = 14;
const CAP_SYS_ADMIN = 21;

let cached: Promise<HostProfile> | undefined;

/** The running kernel's profile (probed once per process). */
export function hostProfile(): Promise<HostProfile> {
  cached ??= probeHost();
  return cached;
}

async function probeHost(): Promise<HostProfile> {
  const probes: ProbeReport[] = [];
  const found = <T>(setting: string, value: T, how: string): T => {
    probes.push({ setting, value, how });
    return value;
  };

  // A read fault that allocates a page attaches an anon_vma, and an anon_vma
  // keeps VM_ACCOUNT through mprotect(PROT_READ) (mprotect_fixup()).
  const zero = await probe(`${MAP_ANON_RW}\n@read(${A})\nmprotect(${A}, 0x2000, PROT_READ)\n`);
  const flags = zero.smaps.find((l) => l.startsWith('VmFlags:')) ?? '';
  const zeroPage = found(
    'zeroPage',
    !/ ac /.test(flags + ' '),
    `mapped 2 private anonymous pages, read one, mprotect(PROT_READ): VmFlags '${flags.trim()}' ${/ ac /.test(flags + ' ') ? 'kept' : 'dropped'} ac`,
  );

  // Key 0 is allocated only where the CPU has protection keys (mm_pkey_is_allocated()).
  const pk = await probe(`${MAP_ANON_RW}\npkey_mprotect(${A}, 0x1000, PROT_READ, 0)\n`);
  const pku = found('pku', pk.rets[1] === '0', `pkey_mprotect(key 0) returned ${pk.rets[1]}`);

  const nm = await probe(
    `${MAP_ANON_RW}\nprctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${A}, 0x1000, "probe")\n`,
  );
  const anonVmaName = found(
    'anonVmaName',
    nm.rets[1] === '0',
    `prctl(PR_SET_VMA_ANON_NAME) returned ${nm.rets[1]}`,
  );

  const thpText = (() => {
    try {
      return readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8');
    } catch {
      return null;
    }
  })();
  const thpMode = thpText === null ? 'never' : /\[(always|madvise|never)\]/.exec(thpText)?.[1];
  if (thpMode === undefined) throw new JudgeError(`cannot read the THP mode from '${thpText}'`);
  const thp = found(
    'thp',
    thpMode as KernelProfile['thp'],
    thpText === null
      ? 'no /sys/kernel/mm/transparent_hugepage (no CONFIG_TRANSPARENT_HUGEPAGE)'
      : `/sys/kernel/mm/transparent_hugepage/enabled reads '${thpText.trim()}'`,
  );

  const mem = readText('/proc/meminfo');
  const memory = sysctl('overcommit_memory');
  if (memory !== 0 && memory !== 1 && memory !== 2) {
    throw new JudgeError(`vm.overcommit_memory is ${memory}`);
  }
  const overcommit = {
    memory: memory as 0 | 1 | 2,
    ratio: sysctl('overcommit_ratio'),
    kbytes: sysctl('overcommit_kbytes'),
    ramPages: meminfo(mem, 'MemTotal') / 4,
    swapPages: meminfo(mem, 'SwapTotal') / 4,
    adminReserveKbytes: sysctl('admin_reserve_kbytes'),
    userReserveKbytes: sysctl('user_reserve_kbytes'),
    // Only mode 2 weighs what the rest of the system has committed.
    committedPages: memory === 2 ? meminfo(mem, 'Committed_AS') / 4 : 0,
  };
  found(
    'overcommit',
    overcommit,
    '/proc/sys/vm/overcommit_{memory,ratio,kbytes}, admin_reserve_kbytes, user_reserve_kbytes; MemTotal, SwapTotal (and Committed_AS in mode 2) from /proc/meminfo',
  );
  const maxMapCount = found('maxMapCount', sysctl('max_map_count'), '/proc/sys/vm/max_map_count');

  const gate = /^\S+ (\S+) .*\[vsyscall\]$/m.exec(readText('/proc/self/maps'));
  const vsyscall = found(
    'vsyscall',
    gate === null ? 'none' : gate[1].startsWith('r') ? 'emulate' : 'xonly',
    gate === null
      ? 'no [vsyscall] line in /proc/self/maps'
      : `[vsyscall] is ${gate[1]} in /proc/self/maps`,
  ) as KernelProfile['vsyscall'];

  const status = readText('/proc/self/status');
  const capIpcLock = found(
    'capIpcLock',
    capable(status, CAP_IPC_LOCK),
    'CapEff in /proc/self/status',
  );
  const capSysAdmin = found(
    'capSysAdmin',
    capable(status, CAP_SYS_ADMIN),
    'CapEff in /proc/self/status',
  );
  const limits = readText('/proc/self/limits');
  const rlimits = found(
    'rlimits',
    {
      memlock: rlimit(limits, 'Max locked memory'),
      stack: rlimit(limits, 'Max stack size'),
      as: rlimit(limits, 'Max address space'),
      data: rlimit(limits, 'Max data size'),
    },
    "soft limits in /proc/self/limits (the judge's runner raises its own stack limit to place mmap_base)",
  );

  const profile: KernelProfile = {
    ...LINUX_6_18,
    name: 'host',
    description: `read from the running kernel (${readText('/proc/sys/kernel/osrelease').trim()})`,
    zeroPage,
    thp,
    pku,
    anonVmaName,
    overcommit,
    maxMapCount,
    vsyscall,
    capIpcLock,
    capSysAdmin,
    rlimits,
  };
  return { profile, probes };
}
