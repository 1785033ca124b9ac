// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel a run models. Linux 6.18 on x86_64 behaves the same everywhere
// except for a handful of settings that come from the CPU, the build's
// configuration, the boot line and sysctls. Each of them changes a result a
// scenario can see, so each is named here, and a run carries exactly one
// profile: `linux-6.18` (mainline defaults) or one read from a machine.
//
// A profile is also a small JSON document (`vma-explorer run --kernel FILE`,
// `npm run judge -- --write-profile FILE`, the app's "Load profile"): this
// file reads and writes it, and refuses any field it does not model.

/** Resource limits in bytes; `null` is RLIM_INFINITY. */
export interface ProfileRlimits {
  /** RLIMIT_MEMLOCK: mlock, MAP_LOCKED, mlockall. */
  readonly memlock: number | null;
  /** RLIMIT_STACK: how far a MAP_GROWSDOWN stack may grow (acct_stack_growth()). */
  readonly stack: number | null;
  /** RLIMIT_AS: may_expand_vm() against total_vm. */
  readonly as: number | null;
  /** RLIMIT_DATA: may_expand_vm() against data_vm. */
  readonly data: number | null;
}

/** vm.overcommit_* and the memory __vm_enough_memory() weighs a charge against. */
export interface ProfileOvercommit {
  /** vm.overcommit_memory: 0 heuristic (OVERCOMMIT_GUESS), 1 always, 2 never. */
  readonly memory: 0 | 1 | 2;
  /** vm.overcommit_ratio (percent of RAM), used by mode 2 when `kbytes` is 0. */
  readonly ratio: number;
  /** vm.overcommit_kbytes, used by mode 2 instead of the ratio when non-zero. */
  readonly kbytes: number;
  /** totalram_pages(): RAM in 4 KiB pages (MemTotal in /proc/meminfo). */
  readonly ramPages: number;
  /** total_swap_pages (SwapTotal). */
  readonly swapPages: number;
  /** vm.admin_reserve_kbytes: kept back from tasks without CAP_SYS_ADMIN in mode 2. */
  readonly adminReserveKbytes: number;
  /** vm.user_reserve_kbytes: kept back from one large process in mode 2. */
  readonly userReserveKbytes: number;
  /** Pages the rest of the system has committed (vm_committed_as without this process), mode 2. */
  readonly committedPages: number;
}

export interface KernelProfile {
  /** `linux-6.18`, `host`, or a name of the user's. */
  readonly name: string;
  /** One line saying where the settings came from. */
  readonly description: string;
  /**
   * A read fault of private anonymous memory maps the shared zero page
   * (mm/memory.c: do_anonymous_page(), mainline); false where the kernel
   * allocates a page and an anon_vma as for a write (mm_forbids_zeropage(),
   * e.g. `pvm_no_zero_page=1`).
   */
  readonly zeroPage: boolean;
  /**
   * /sys/kernel/mm/transparent_hugepage/enabled: where THP applies, a read
   * fault of a whole aligned 2 MiB block goes through
   * do_huge_pmd_anonymous_page(), which prepares an anon_vma even for the
   * huge zero page.
   */
  readonly thp: 'always' | 'madvise' | 'never';
  /**
   * The CPU has protection keys (X86_FEATURE_OSPKE): PROT_EXEC alone takes
   * the execute-only key (reads fault) and pkey_mprotect() accepts key 0;
   * without them arch_max_pkey() is 1 and no key is allocated, so any key
   * other than -1 is EINVAL.
   */
  readonly pku: boolean;
  /** CONFIG_ANON_VMA_NAME: prctl(PR_SET_VMA_ANON_NAME) names anonymous VMAs; else EINVAL. */
  readonly anonVmaName: boolean;
  readonly overcommit: ProfileOvercommit;
  /** vm.max_map_count (DEFAULT_MAX_MAP_COUNT is 65530). */
  readonly maxMapCount: number;
  /**
   * The legacy vsyscall page (CONFIG_LEGACY_VSYSCALL_* or `vsyscall=`): the
   * `[vsyscall]` gate area printed last in /proc/PID/maps, `--xp` (xonly),
   * `r-xp` (emulate), or not at all (none).
   */
  readonly vsyscall: 'xonly' | 'emulate' | 'none';
  /** The process runs with CAP_IPC_LOCK (lock limits do not apply). */
  readonly capIpcLock: boolean;
  /** The process runs with CAP_SYS_ADMIN (mode 2 overcommit keeps no admin reserve back). */
  readonly capSysAdmin: boolean;
  readonly rlimits: ProfileRlimits;
}

/** The `format` field of a profile document. */
export const KERNEL_PROFILE_FORMAT = 'vma-explorer-kernel-profile';
export const KERNEL_PROFILE_VERSION = 1;

const MiB = 1 << 20;

/**
 * Mainline Linux 6.18 on x86_64 with its default configuration and sysctls,
 * run as root, on a machine of this project's size (24 GiB, no swap) whose
 * CPU has no protection keys (as the project's machines).
 */
export const LINUX_6_18: KernelProfile = Object.freeze({
  name: 'linux-6.18',
  description: 'mainline Linux 6.18 x86_64 defaults, as root, 24 GiB RAM, no swap, no PKU',
  zeroPage: true,
  thp: 'always',
  pku: false,
  anonVmaName: false,
  overcommit: Object.freeze({
    memory: 0,
    ratio: 50,
    kbytes: 0,
    ramPages: (24 * 1024 * MiB) / 4096,
    swapPages: 0,
    adminReserveKbytes: 8192,
    userReserveKbytes: 131072,
    committedPages: 0,
  }),
  maxMapCount: 65530,
  vsyscall: 'xonly',
  capIpcLock: true,
  capSysAdmin: true,
  rlimits: Object.freeze({ memlock: 8 * MiB, stack: 8 * MiB, as: null, data: null }),
} satisfies KernelProfile);

/** The same kernel, run by an unprivileged user: lock limits apply, no admin reserve. */
export function unprivileged(profile: KernelProfile): KernelProfile {
  return {
    ...profile,
    name: `${profile.name}-unprivileged`,
    capIpcLock: false,
    capSysAdmin: false,
  };
}

/** The profiles known by name (the judge adds `host`, read from the machine). */
export const NAMED_PROFILES: Readonly<Record<string, KernelProfile>> = {
  'linux-6.18': LINUX_6_18,
};

/** A profile as its JSON document. */
export function kernelProfileJson(profile: KernelProfile): string {
  return (
    JSON.stringify(
      { format: KERNEL_PROFILE_FORMAT, version: KERNEL_PROFILE_VERSION, ...profile },
      null,
      2,
    ) + '\n'
  );
}

export type ProfileParse = { ok: true; profile: KernelProfile } | { ok: false; message: string };

type Check = (v: unknown) => boolean;
const isBool: Check = (v) => typeof v === 'boolean';
const isCount: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isLimit: Check = (v) => v === null || isCount(v);
const oneOf =
  (...values: unknown[]): Check =>
  (v) =>
    values.includes(v);

const TOP_FIELDS: Readonly<Record<string, [Check, string]>> = {
  name: [
    (v) => typeof v === 'string' && v.length > 0 && v.length <= 100,
    'a name of 1-100 characters',
  ],
  description: [(v) => typeof v === 'string' && v.length <= 1000, 'a string'],
  zeroPage: [isBool, 'true or false'],
  thp: [oneOf('always', 'madvise', 'never'), '"always", "madvise" or "never"'],
  pku: [isBool, 'true or false'],
  anonVmaName: [isBool, 'true or false'],
  maxMapCount: [isCount, 'a whole number'],
  vsyscall: [oneOf('xonly', 'emulate', 'none'), '"xonly", "emulate" or "none"'],
  capIpcLock: [isBool, 'true or false'],
  capSysAdmin: [isBool, 'true or false'],
};
const OVERCOMMIT_FIELDS: Readonly<Record<keyof ProfileOvercommit, [Check, string]>> = {
  memory: [oneOf(0, 1, 2), '0, 1 or 2'],
  ratio: [isCount, 'a whole number'],
  kbytes: [isCount, 'a whole number'],
  ramPages: [isCount, 'a whole number'],
  swapPages: [isCount, 'a whole number'],
  adminReserveKbytes: [isCount, 'a whole number'],
  userReserveKbytes: [isCount, 'a whole number'],
  committedPages: [isCount, 'a whole number'],
};
const RLIMIT_FIELDS: Readonly<Record<keyof ProfileRlimits, [Check, string]>> = {
  memlock: [isLimit, 'a byte count or null (unlimited)'],
  stack: [isLimit, 'a byte count or null (unlimited)'],
  as: [isLimit, 'a byte count or null (unlimited)'],
  data: [isLimit, 'a byte count or null (unlimited)'],
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Reads a profile document. Every field must be present and of its type; a
 * field this engine does not model is an error (a setting silently ignored
 * would make the run claim to model a kernel it does not).
 */
export function parseKernelProfile(text: string): ProfileParse {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return { ok: false, message: `not JSON: ${(e as Error).message}` };
  }
  if (!isObject(doc)) return { ok: false, message: 'not a JSON object' };
  if (doc.format !== KERNEL_PROFILE_FORMAT) {
    return { ok: false, message: `field "format": expected "${KERNEL_PROFILE_FORMAT}"` };
  }
  if (doc.version !== KERNEL_PROFILE_VERSION) {
    return { ok: false, message: `field "version": expected ${KERNEL_PROFILE_VERSION}` };
  }
  const fail = (field: string, want: string): ProfileParse => ({
    ok: false,
    message: `field "${field}": expected ${want}`,
  });
  const unknown = (field: string): ProfileParse => ({
    ok: false,
    message: `field "${field}": not a setting this engine models`,
  });
  const known = new Set([...Object.keys(TOP_FIELDS), 'format', 'version', 'overcommit', 'rlimits']);
  for (const k of Object.keys(doc)) if (!known.has(k)) return unknown(k);
  for (const [k, [check, want]] of Object.entries(TOP_FIELDS)) {
    if (!check(doc[k])) return fail(k, want);
  }
  const groups: [string, Readonly<Record<string, [Check, string]>>][] = [
    ['overcommit', OVERCOMMIT_FIELDS],
    ['rlimits', RLIMIT_FIELDS],
  ];
  for (const [group, fields] of groups) {
    const g = doc[group];
    if (!isObject(g)) return fail(group, 'an object');
    for (const k of Object.keys(g)) if (!(k in fields)) return unknown(`${group}.${k}`);
    for (const [k, [check, want]] of Object.entries(fields)) {
      if (!check(g[k])) return fail(`${group}.${k}`, want);
    }
  }
  const { format: _f, version: _v, ...profile } = doc;
  void _f;
  void _v;
  return { ok: true, profile: profile as unknown as KernelProfile };
}

/** The settings two profiles differ in, by field name (`overcommit.memory`). */
export function profileDifferences(a: KernelProfile, b: KernelProfile): string[] {
  const out: string[] = [];
  const walk = (x: unknown, y: unknown, path: string): void => {
    if (isObject(x) && isObject(y)) {
      for (const k of Object.keys(x)) walk(x[k], y[k], path ? `${path}.${k}` : k);
    } else if (x !== y && path !== 'name' && path !== 'description') {
      out.push(path);
    }
  };
  walk(a, b, '');
  return out;
}
