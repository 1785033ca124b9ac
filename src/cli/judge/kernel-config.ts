// SPDX-License-Identifier: GPL-2.0-or-later
// The running kernel's release and configuration (/proc/config.gz), so that
// configuration-dependent results are explained rather than surprising.
import { readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';

/** Options whose value changes what a scenario does or prints. */
export const RELEVANT_CONFIG = [
  'CONFIG_64BIT',
  'CONFIG_PGTABLE_LEVELS',
  'CONFIG_ANON_VMA_NAME',
  'CONFIG_MEM_SOFT_DIRTY',
  'CONFIG_ARCH_HAS_PKEYS',
  'CONFIG_X86_INTEL_MEMORY_PROTECTION_KEYS',
  'CONFIG_X86_USER_SHADOW_STACK',
  'CONFIG_MSEAL_SYSTEM_MAPPINGS',
  'CONFIG_TRANSPARENT_HUGEPAGE',
  'CONFIG_TRANSPARENT_HUGEPAGE_ALWAYS',
  'CONFIG_TRANSPARENT_HUGEPAGE_MADVISE',
  'CONFIG_KSM',
  'CONFIG_USERFAULTFD',
  'CONFIG_MEMORY_FAILURE',
  'CONFIG_PER_VMA_LOCK',
  'CONFIG_COMPAT_BRK',
  'CONFIG_SHMEM',
] as const;

/**
 * Reads a kernel configuration: `CONFIG_X=value` gives value (`y`, `m`, a
 * number or a quoted string as written), `# CONFIG_X is not set` gives `n`.
 */
export function parseKernelConfig(text: string): Map<string, string> {
  const config = new Map<string, string>();
  for (const line of text.split('\n')) {
    const set = /^(CONFIG_\w+)=(.*)$/.exec(line);
    if (set) config.set(set[1], set[2]);
    const unset = /^# (CONFIG_\w+) is not set$/.exec(line);
    if (unset) config.set(unset[1], 'n');
  }
  return config;
}

let cached: Map<string, string> | undefined;

/** The running kernel's configuration; empty when /proc/config.gz is missing. */
export function kernelConfig(path = '/proc/config.gz'): Map<string, string> {
  if (path !== '/proc/config.gz') return read(path);
  cached ??= read(path);
  return cached;
}

function read(path: string): Map<string, string> {
  try {
    return parseKernelConfig(gunzipSync(readFileSync(path)).toString('utf8'));
  } catch {
    return new Map();
  }
}

/**
 * Whether the CPU has protection keys (`pku` in /proc/cpuinfo). Without them
 * `mprotect(PROT_EXEC)` gives no execute-only key and such a page stays readable.
 */
export function cpuHasPkeys(cpuinfo = '/proc/cpuinfo'): boolean {
  try {
    const flags = /^flags\s*:(.*)$/m.exec(readFileSync(cpuinfo, 'utf8'));
    return flags !== null && flags[1].split(/\s+/).includes('pku');
  } catch {
    return false;
  }
}

export interface KernelSummary {
  release: string;
  /** RELEVANT_CONFIG's values; null for an option the configuration does not mention. */
  config: Record<string, string | null>;
  cpu: { pku: boolean };
}

/** What `--format json` reports under "kernel". */
export function kernelSummary(): KernelSummary {
  const config = kernelConfig();
  return {
    release: release(),
    config: Object.fromEntries(RELEVANT_CONFIG.map((k) => [k, config.get(k) ?? null])),
    cpu: { pku: cpuHasPkeys() },
  };
}
