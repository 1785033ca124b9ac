// SPDX-License-Identifier: GPL-2.0-or-later
// What a file the user opens is, told from its text alone (the name may say
// nothing): a strace log, a /proc/PID/maps or smaps dump, or a scenario. The
// app states it when it opens the file, and puts a dump where a start goes.
import { withoutBom } from './diagnostic';
import { looksLikeStrace, PREFIX } from './strace-log';

export type InputKind = 'scenario' | 'strace' | 'maps' | 'smaps';

export interface InputDescription {
  kind: InputKind;
  /** Of a strace log: how many processes it shows (1 without pid prefixes). */
  processes: number;
  /** Of a dump: how many VMA lines it has. */
  vmas: number;
  /** The kind in words: `a strace log, 3 processes`, `an smaps dump, 40 VMAs`. */
  words: string;
}

/** A maps line's head: `start-end perms offset dev inode`. */
const MAPS_HEAD = /^[0-9a-f]+-[0-9a-f]+ [r-][w-][x-][ps] [0-9a-f]+ [0-9a-f]+:[0-9a-f]+ \d+/;
/** A field line only smaps prints. */
const SMAPS_FIELD = /^(VmFlags|Rss|Pss|Anonymous):/;

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Tells what `text` is. Never throws; reads each line once. */
export function describeInput(text: string): InputDescription {
  const lines = withoutBom(text).split('\n');
  const first = lines.find((l) => l.trim() !== '' && !l.startsWith('#')) ?? '';
  if (MAPS_HEAD.test(first)) {
    const vmas = lines.filter((l) => MAPS_HEAD.test(l)).length;
    const smaps = lines.some((l) => SMAPS_FIELD.test(l));
    const kind = smaps ? 'smaps' : 'maps';
    return {
      kind,
      processes: 0,
      vmas,
      words: `${smaps ? 'an smaps' : 'a maps'} dump, ${plural(vmas, 'VMA')}`,
    };
  }
  if (looksLikeStrace(lines)) {
    const pids = new Set<string>();
    for (const l of lines) {
      const m = PREFIX.exec(l);
      const pid = m?.[1] ?? m?.[2];
      if (pid !== undefined) pids.add(pid);
    }
    const processes = Math.max(1, pids.size);
    return {
      kind: 'strace',
      processes,
      vmas: 0,
      words: `a strace log, ${processes === 1 ? 'one process' : plural(processes, 'process', 'processes')}`,
    };
  }
  const calls = lines.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')).length;
  return { kind: 'scenario', processes: 0, vmas: 0, words: `a scenario, ${plural(calls, 'line')}` };
}
