// SPDX-License-Identifier: GPL-2.0-or-later
// What the address space says about one VMA, in words: its label, its
// permission letters and the lines of its tooltip. Plain functions of the
// step's data, shared by the SVG and the canvas drawings.
import {
  MARK_GUARDS,
  MARK_INFERRED,
  MARK_MAYBE_GUARD,
  MARK_SEALED,
  VMA_KINDS,
  type StepSummary,
  type VmaKind,
  type VmaRow,
} from '../../engine';
import { formatSize } from './layout';

/** The kinds in words, in VMA_KINDS order, for the legend and tooltips. */
export const KIND_NAMES: Record<VmaKind, string> = {
  anon: 'anonymous',
  'shared-anon': 'shared anonymous',
  file: 'file',
  heap: 'heap',
  stack: 'stack',
  special: 'special mapping',
};

/** `rw-p`: the permission letters of StepSummary.perms, as /proc/PID/maps prints them. */
export function permLetters(bits: number): string {
  return (
    (bits & 1 ? 'r' : '-') +
    (bits & 2 ? 'w' : '-') +
    (bits & 4 ? 'x' : '-') +
    (bits & 8 ? 's' : 'p')
  );
}

/** The path field of a maps line (after the inode), or ''. */
export function mapsPath(maps: string): string {
  const m = /^\S+ \S+ \S+ \S+ \S+ *(.*)$/.exec(maps);
  return m ? m[1].trimEnd() : '';
}

/** What to write inside a VMA: `[heap]`, `[stack]`, `[vdso]`, a file's base name, or its size. */
export function vmaText(row: VmaRow): string {
  const path = mapsPath(row.maps);
  if (path.startsWith('[')) return path;
  if (row.file !== null) return row.file.slice(row.file.lastIndexOf('/') + 1) || row.file;
  return formatSize(row.end - row.start);
}

const hex = (n: number) => n.toString(16);

/** What an inferred VMA is, in the tooltip, the legend and the maps table. */
export const INFERRED_WORDS = 'inferred from the strace log (no call in it maps this range)';

/** A VMA's kind and marks in words: `anonymous, sealed, 2 guard pages`. */
export function vmaDescription(kind: VmaKind, marks: number, guardPages: number): string {
  const words = [KIND_NAMES[kind]];
  if (marks & MARK_SEALED) words.push('sealed');
  if (marks & MARK_GUARDS) {
    words.push(`${guardPages || 'some'} guard ${guardPages === 1 ? 'page' : 'pages'}`);
  } else if (marks & MARK_MAYBE_GUARD) {
    words.push('maybe guard (no markers now)');
  }
  if (marks & MARK_INFERRED) words.push(INFERRED_WORDS);
  return words.join(', ');
}

export function rowMarks(row: VmaRow): number {
  return (
    (row.sealed ? MARK_SEALED : 0) |
    (row.maybeGuard ? MARK_MAYBE_GUARD : 0) |
    (row.guards.length > 0 ? MARK_GUARDS : 0) |
    (row.inferred ? MARK_INFERRED : 0)
  );
}

export const guardPages = (row: VmaRow): number =>
  row.guards.reduce((n, [s, e]) => n + (e - s) / 4096, 0);

/** The tooltip of a VMA whose row is known: the maps line, VmFlags, file and offset, anon_vma. */
export function rowTooltip(row: VmaRow): string[] {
  const lines = [row.maps.trimEnd(), `VmFlags: ${row.flags.join(' ')}`];
  const size = formatSize(row.end - row.start);
  lines.push(`vma${row.id}: ${size}, ${vmaDescription(row.kind, rowMarks(row), guardPages(row))}`);
  if (row.file !== null) {
    lines.push(`file: ${row.file}, offset 0x${hex(row.pgoff * 4096)} (pgoff ${row.pgoff})`);
  } else {
    lines.push(`vm_pgoff: 0x${hex(row.pgoff)}`);
  }
  lines.push(`anon_vma: ${row.anonVma ?? 'none (no anonymous page yet)'}`);
  for (const [s, e] of row.guards) lines.push(`guard markers: ${hex(s)}-${hex(e)}`);
  return lines;
}

/** The tooltip of VMA `i` from the summary alone (beyond the rows sent with the step). */
export function summaryTooltip(s: StepSummary, i: number): string[] {
  const kind = VMA_KINDS[s.kinds[i]];
  return [
    `${hex(s.starts[i])}-${hex(s.ends[i])} ${permLetters(s.perms[i])}`,
    `vma${s.ids[i]}: ${formatSize(s.ends[i] - s.starts[i])}, ${vmaDescription(kind, s.marks[i], 0)}`,
    'VmFlags, file and anon_vma: loading…',
  ];
}
