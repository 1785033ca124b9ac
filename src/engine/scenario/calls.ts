// SPDX-License-Identifier: GPL-2.0-or-later
// The calls and pseudo-calls of the scenario contract
// (shared/spec/scenario-format.md), with the shape of their arguments.
import { closestName, type FlagFamily } from './flags';

/** What one argument position accepts. */
export type ParamKind =
  { kind: 'int' } | { kind: 'flags'; families: readonly FlagFamily[] } | { kind: 'string' };

export interface CallSignature {
  params: readonly ParamKind[];
  /** How many of the params must be given; the rest are optional. */
  required: number;
}

const int: ParamKind = { kind: 'int' };
const str: ParamKind = { kind: 'string' };
const flags = (...families: FlagFamily[]): ParamKind => ({ kind: 'flags', families });

const sig = (params: ParamKind[], required = params.length): CallSignature => ({
  params,
  required,
});

export const CALLS: Readonly<Record<string, CallSignature>> = {
  openat: sig([flags('AT'), str, flags('O'), int], 3),
  open: sig([str, flags('O'), int], 2),
  close: sig([int]),
  ftruncate: sig([int, int]),
  mmap: sig([int, int, flags('PROT'), flags('MAP'), int, int]),
  munmap: sig([int, int]),
  mprotect: sig([int, int, flags('PROT')]),
  pkey_mprotect: sig([int, int, flags('PROT'), int]),
  mremap: sig([int, int, int, flags('MREMAP'), int], 4),
  madvise: sig([int, int, flags('MADV')]),
  mlock: sig([int, int]),
  mlock2: sig([int, int, flags('MLOCK')]),
  munlock: sig([int, int]),
  mlockall: sig([flags('MCL')]),
  munlockall: sig([]),
  brk: sig([int]),
  mseal: sig([int, int, int]),
  prctl: sig([flags('PR'), flags('PR'), int, int, str]),
  '@touch': sig([int, int], 1),
  '@read': sig([int, int], 1),
  '@fork': sig([]),
  '@note': sig([str]),
};

/**
 * The call `name` was likely meant to be (`mmprotect` → `mprotect`): a
 * system call for a name without `@`, a pseudo-call for one with it.
 */
export function suggestCall(name: string): string | undefined {
  const pseudo = name.startsWith('@');
  return closestName(
    name,
    Object.keys(CALLS).filter((c) => c.startsWith('@') === pseudo),
  );
}

/** strace's names for calls that are the same as one of ours. */
export const CALL_ALIASES: Readonly<Record<string, string>> = { mmap2: 'mmap' };

/** Calls strace's `-e trace=memory` shows that the contract leaves out. */
export const KNOWN_UNSUPPORTED_MEMORY_CALLS: ReadonlySet<string> = new Set([
  'execve',
  'shmat',
  'shmdt',
  'remap_file_pages',
  'mbind',
  'set_mempolicy',
  'get_mempolicy',
  'migrate_pages',
  'move_pages',
  'mincore',
  'msync',
  'process_madvise',
  'process_mrelease',
  'map_shadow_stack',
]);
