// SPDX-License-Identifier: GPL-2.0-or-later
// For command tests: a CliIo over files held in memory, recording what is printed.
import type { CliIo } from './io';

/** One fixed-mapping call and the maps line the kernel prints for it. */
export const MMAP =
  'mmap(0x200000000000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
export const LINE = '200000000000-200000004000 rw-p 00000000 00:00 0 ';

/** A scenario and the json the contract says both the engine and the kernel print for it. */
export const JSON_SCENARIO = `${MMAP} = 0x200000000000\nmunmap(0x200000000001, 1)`;
export const JSON_EXPECTED = {
  results: [
    { line: 1, call: MMAP, ret: '0x200000000000', expected: '0x200000000000', match: true },
    { line: 2, call: 'munmap(0x200000000001, 1)', ret: '-1 EINVAL', expected: null, match: true },
  ],
  maps: [LINE],
  smaps: [LINE, 'VmFlags: rd wr mr mw me ac '],
};

/** `files` maps a path to its text, or to the error reading it throws. */
export function fakeIo(files: Record<string, string | Error>) {
  const out: string[] = [];
  const err: string[] = [];
  // What `write` gave since the last newline.
  let partial = '';
  const io: CliIo = {
    out: (l) => io.write(l + '\n'),
    write: (text) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop() ?? '';
      out.push(...lines);
    },
    err: (l) => err.push(l),
    readText: async (p) => {
      const file = files[p];
      if (file instanceof Error) throw file;
      if (file !== undefined) return file;
      throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
    },
  };
  return { io, out, err };
}
