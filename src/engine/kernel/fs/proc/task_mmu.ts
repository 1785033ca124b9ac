// SPDX-License-Identifier: GPL-2.0-or-later
// fs/proc/task_mmu.c (Linux 6.18): the lines /proc/PID/maps and smaps print
// for each VMA, and fs/seq_file.c's mangle_path() they print paths with.
import { VM_EXEC, VM_MAYSHARE, VM_READ, VM_WRITE, vmFlagNames } from '../../mm/vm-flags';
import type { MmState } from '../../mm/mm-snapshot';
import { PAGE_SHIFT, type Vma } from '../../mm/mm_types';

// fs/proc/task_mmu.c: show_vma_header_prefix() prints the fixed columns with
// "%08lx-%08lx %c%c%c%c %08llx %02x:%02x %lu " and, when the VMA has a name,
// seq_pad() fills to column 73 before one more space: the path starts at
// column 74. Device and inode are `00:00 0` but for VMAs a maps dump loaded.
const NAME_COLUMN = 25 + 8 * 6 - 1;

const hex8 = (n: number | bigint): string => n.toString(16).padStart(8, '0');

/** fs/proc/task_mmu.c: get_vma_name() (Linux 6.18) — the path or [name] /proc shows, or null. */
export function get_vma_name(mm: MmState, vma: Vma): string | null {
  // Shared anonymous memory named with prctl() shows its name, not its file.
  if (vma.file !== null) return vma.anon_name !== null ? `[anon_shmem:${vma.anon_name}]` : vma.file;
  if (vma.name !== null) return vma.name;
  // include/linux/mm.h: vma_is_initial_heap(), vma_is_initial_stack()
  if (vma.vm_start < mm.brk && vma.vm_end > mm.start_brk) return '[heap]';
  // start_stack 0: no stack (a loaded dump without one), where the kernel always has one.
  if (mm.start_stack !== 0 && vma.vm_start <= mm.start_stack && vma.vm_end >= mm.start_stack) {
    return '[stack]';
  }
  if (vma.anon_name !== null) return `[anon:${vma.anon_name}]`;
  return null;
}

/**
 * fs/seq_file.c: mangle_path() (Linux 6.18) — each character of `esc` in the
 * path as a backslash and three octal digits; every other byte as it is.
 */
export function mangle_path(path: string, esc: string): string {
  let out = '';
  for (const c of path) {
    if (!esc.includes(c)) out += c;
    else out += '\\' + c.charCodeAt(0).toString(8).padStart(3, '0');
  }
  return out;
}

/** fs/proc/task_mmu.c: show_map_vma() (Linux 6.18) — one line of /proc/PID/maps. */
export function show_map_vma(mm: MmState, vma: Vma): string {
  const f = vma.vm_flags;
  const perms =
    (f & VM_READ ? 'r' : '-') +
    (f & VM_WRITE ? 'w' : '-') +
    (f & VM_EXEC ? 'x' : '-') +
    (f & VM_MAYSHARE ? 's' : 'p');
  // Only a file-backed VMA prints its offset (a 64-bit value: exact in a
  // bigint, not in a number); anonymous memory shows 0.
  const offset = vma.file === null ? 0n : BigInt(vma.vm_pgoff) << BigInt(PAGE_SHIFT);
  const dev = vma.devInode ?? '00:00 0';
  const head = `${hex8(vma.vm_start)}-${hex8(vma.vm_end)} ${perms} ${hex8(offset)} ${dev} `;
  // A file's path goes through seq_path(m, path, "\n"): a newline prints as
  // \012 and cannot split the line; a backslash prints as it is.
  const isPath = vma.file !== null && vma.anon_name === null;
  // fs/d_path.c: d_path() of a dentry unlinked since adds " (deleted)".
  const deleted = vma.vm_file !== null && mm.unlinked.has(vma.vm_file) ? ' (deleted)' : '';
  const name = isPath ? mangle_path(vma.file as string, '\n') + deleted : get_vma_name(mm, vma);
  return name === null ? head : head.padEnd(NAME_COLUMN, ' ') + ' ' + name;
}

/** fs/proc/task_mmu.c: show_smap_vma_flags() (Linux 6.18) — the `VmFlags:` line of smaps. */
export function show_smap_vma_flags(vma: Vma): string {
  return `VmFlags: ${vmFlagNames(vma.vm_flags, vma.sealed)
    .map((n) => n + ' ')
    .join('')}`;
}

/**
 * fs/proc/task_mmu.c: proc_get_vma() (Linux 6.18) — after the last VMA,
 * /proc prints the gate area (get_gate_vma(): `[vsyscall]` on x86_64): its
 * maps line, and with `smaps` its VmFlags line. Whether there is one and its
 * permissions are the kernel's (the profile's `vsyscall`), whatever the dump
 * showed: the x86 gate VMA is VM_READ | VM_EXEC and nothing else.
 */
export function gateVmaLines(mm: MmState, smaps: boolean): string[] {
  const gate = mm.gate;
  // arch/x86/entry/vsyscall/vsyscall_64.c: get_gate_vma() — no gate area
  // with vsyscall=none; xonly clears VM_READ from the gate's flags.
  const mode = mm.kernel.vsyscall;
  if (gate === null || mode === 'none') return [];
  const line = gate.line.replace(/^(\S+) \S+/, `$1 ${mode === 'emulate' ? 'r-xp' : '--xp'}`);
  if (!smaps) return [line];
  return [line, mode === 'emulate' ? 'VmFlags: rd ex ' : 'VmFlags: ex '];
}
