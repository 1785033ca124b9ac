// SPDX-License-Identifier: GPL-2.0-or-later
// The decoding of trace_pipe_raw pages, checked against the kernel's own
// text of the same buffer. fixtures/raw is laid out as a tracefs instance:
// an instance with record's events (recordEvents()) and 64 KiB per CPU
// followed a small program that, on each CPU in turn, writes a marker,
// mmaps, touches, mprotects, names (PR_SET_VMA) and munmaps, opens and
// reads a file, mallocs and frees 300 KB and fails a MAP_FIXED_NOREPLACE;
// once it exited, `trace` (which does not consume) was read, then every
// page of per_cpu/cpuN/trace_pipe_raw (fixtures/raw-capture/capture.ts
// captures it again, with program.c). events/ holds the instance's format
// files; kallsyms and printk_formats the lines of /proc/kallsyms (each named
// symbol and the one after it) and of printk_formats that the text names.
import { readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { recordEvents } from './record-command';
import {
  decodeRawTrace,
  KernelSymbols,
  pageSize,
  parseFormat,
  RawPages,
  RawTraceReader,
  readFormats,
} from './raw-trace';

const FIXTURE = fileURLToPath(new URL('./fixtures/raw', import.meta.url));
const read = (name: string): string => readFileSync(`${FIXTURE}/${name}`, 'utf8');

/** `PID [CPU] TIME: BODY` of a line of `trace`: what the decoder gives (no task name, no flags). */
function essentials(line: string): string {
  const m = /^\s*.+?-(\d+)\s+(\[\d+\])\s+(?:\S+\s+)?(\d+\.\d+: .*)$/.exec(line);
  if (!m) throw new Error(`not a trace line: ${line}`);
  return `${m[1]} ${m[2]} ${m[3]}`;
}

describe('decodeRawTrace on pages of a real instance', () => {
  const reader = new RawTraceReader(FIXTURE);
  reader.drain();
  reader.close();
  const formats = readFormats(
    FIXTURE,
    recordEvents().map(([e]) => e),
  );
  const symbols = KernelSymbols.parse(read('kallsyms'), read('printk_formats'));
  const decoded = decodeRawTrace(reader.cpus, formats, symbols);
  const text = read('trace')
    .split('\n')
    .filter((l) => l && !l.startsWith('#'));

  it('reads whole pages from each CPU, and keeps only their headers and events', () => {
    reader.cpus.forEach((cpu, n) => {
      const pages = statSync(`${FIXTURE}/per_cpu/cpu${n}/trace_pipe_raw`).size / 4096;
      expect([...cpu.pages()]).toHaveLength(pages);
      expect(cpu.bytes).toBeGreaterThan((pages - 1) * 4096);
      expect(cpu.bytes).toBeLessThanOrEqual(pages * 4096);
    });
  });

  it('gives the lines of `trace`, merged across CPUs in the same order', () => {
    // kmem_cache_alloc prints sizes and GFP flags after the name, which the parser does not read.
    const want = text
      .map(essentials)
      .map((l) => l.replace(/( kmem_cache_alloc: .*? name=\S+) .*/, '$1'));
    expect(decoded.lines.map(essentials)).toEqual(want);
    expect(decoded.missed).toBe(false);
  });

  it('has events of both CPUs and of every kind the program made', () => {
    const kinds = new Set(decoded.lines.map((l) => /: (\w+)[:( ]/.exec(l)?.[1]));
    for (const k of ['sys_mmap', 'sys_prctl', 'ma_write', 'ma_op', 'kmem_cache_free']) {
      expect(kinds).toContain(k);
    }
    for (const k of ['page_fault_user', 'page_fault_kernel', 'vm_unmapped_area']) {
      expect(kinds).toContain(k);
    }
    expect(kinds).toContain('tracing_mark_write');
    expect(new Set(decoded.lines.map((l) => /\[\d+\]/.exec(l)?.[0]))).toEqual(
      new Set(['[000]', '[001]']),
    );
  });
});

/** A format with one u64 field `v` at offset 8. */
const ONE_FIELD = `name: one
ID: 7
format:
	field:unsigned short common_type;	offset:0;	size:2;	signed:0;
	field:int common_pid;	offset:4;	size:4;	signed:1;
	field:int __syscall_nr;	offset:8;	size:4;	signed:1;
	field:long ret;	offset:16;	size:8;	signed:1;
`;

/** One page of 4096 bytes: timestamp, commit and the words given, from byte 16. */
function page(ts: number, words: number[], commitFlags = 0): Buffer {
  const b = Buffer.alloc(4096);
  b.writeBigUInt64LE(BigInt(ts), 0);
  b.writeUInt32LE(((words.length * 4) | commitFlags) >>> 0, 8);
  words.forEach((w, i) => b.writeUInt32LE(w >>> 0, 16 + 4 * i));
  return b;
}

/** A 24-byte sys_exit_one event of `pid` returning `ret`, after `delta` ns: header and data. */
const event = (delta: number, pid: number, ret: number): number[] => [
  (delta << 5) | 6, // type_len 6: 24 bytes of data
  7, // common_type 7
  pid,
  0,
  0,
  ret,
  0,
];

describe('decodeRawTrace on made-up pages', () => {
  const formats = new Map([parseFormat('syscalls/sys_exit_one', ONE_FIELD)]);
  const symbols = new KernelSymbols([], new Map());
  const decode = (...cpus: Buffer[][]) =>
    decodeRawTrace(
      cpus.map((pages) => {
        const p = new RawPages(4096, 2);
        for (const pg of pages) p.add(pg);
        return p;
      }),
      formats,
      symbols,
    );

  it('follows deltas, time extends, absolute times and padding', () => {
    const words = [
      ...event(1000, 1, 1),
      // RINGBUF_TYPE_TIME_EXTEND: 3 << 27 ns more, plus its own delta.
      (5 << 5) | 30,
      3,
      ...event(0, 2, 2),
      // A discarded 12-byte event (padding with a delta, and the data's length in
      // its first word): skipped, its delta not time.
      (1 << 5) | 29,
      12,
      0,
      0,
      // RINGBUF_TYPE_TIME_STAMP: absolute 2 << 27 + 7 ns.
      (7 << 5) | 31,
      2,
      ...event(500, 3, 3),
      // A length-word event (type_len 0): 24 bytes of data.
      0,
      28,
      ...event(0, 4, 4).slice(1),
    ];
    const base = 5_000_000_000;
    const { lines } = decode([page(base, words)]);
    const t = (ns: number): string => {
      const us = Math.floor((ns + 500) / 1000);
      return `${Math.floor(us / 1e6)}.${String(us % 1e6).padStart(6, '0')}`;
    };
    const t1 = base + 1000;
    const t2 = t1 + 3 * 2 ** 27 + 5;
    const t3 = 2 * 2 ** 27 + 7 + 500;
    expect(lines).toEqual([
      `<...>-1 [000] ${t(t1)}: sys_one -> 0x1`,
      `<...>-2 [000] ${t(t2)}: sys_one -> 0x2`,
      `<...>-3 [000] ${t(t3)}: sys_one -> 0x3`,
      `<...>-4 [000] ${t(t3)}: sys_one -> 0x4`,
    ]);
  });

  it('merges CPUs by time, the lower CPU first on a tie, across chunks', () => {
    const cpu0 = [
      page(1000, event(0, 1, 1)),
      page(3000, event(0, 1, 2)),
      page(5000, event(0, 1, 3)),
    ];
    const cpu1 = [page(1000, event(0, 2, 1)), page(2000, event(0, 2, 2))];
    const got = decode(cpu0, cpu1).lines.map((l) => l.replace(/ \d+\.\d+/, ''));
    expect(got).toEqual([
      '<...>-1 [000]: sys_one -> 0x1',
      '<...>-2 [001]: sys_one -> 0x1',
      '<...>-2 [001]: sys_one -> 0x2',
      '<...>-1 [000]: sys_one -> 0x2',
      '<...>-1 [000]: sys_one -> 0x3',
    ]);
  });

  it('keeps a page the kernel was still writing in the room its events take', () => {
    const pages = new RawPages(4096, 2);
    pages.add(Buffer.concat([page(1000, event(0, 1, 1)), page(2000, event(0, 1, 2))]));
    // Two pages of a 16-byte header and one 28-byte event, each rounded up to 8 bytes.
    expect(pages.bytes).toBe(2 * 48);
    expect(decodeRawTrace([pages], formats, symbols).lines).toHaveLength(2);
  });

  it('prints a failed vm_unmapped_area as the kernel does: addr 0 and err negative', () => {
    const format = parseFormat(
      'mmap/vm_unmapped_area',
      read('events/mmap/vm_unmapped_area/format'),
    );
    // common_type and pid, then eight u64s as [low, high] words: addr -ENOMEM (-12),
    // total_vm, flags, length, low_limit, high_limit, align_mask, align_offset.
    const u64s = [
      [0xffff_fff4, 0xffff_ffff],
      [1, 0],
      [0, 0],
      [0x2000, 0],
      [0x1000, 0],
      [0, 0x7fff],
    ];
    const data = [format[0], 77, ...u64s.flat(), 0, 0, 0, 0];
    const pages = new RawPages(4096);
    // The header: type_len is the data's length in words (at most 28), delta 0.
    pages.add(page(0, [data.length, ...data]));
    const { lines } = decodeRawTrace([pages], new Map([format]), symbols);
    expect(lines).toEqual([
      '<...>-77 [000] 0.000000: vm_unmapped_area: addr=0x0 err=-12 total_vm=0x1 flags=0x0 ' +
        'len=0x2000 lo=0x1000 hi=0x7fff00000000 mask=0x0 ofs=0x0',
    ]);
  });

  it('tells a page that follows lost events (RB_MISSED_EVENTS)', () => {
    expect(decode([page(0, event(0, 1, 1), 0x8000_0000)]).missed).toBe(true);
  });
});

describe('KernelSymbols', () => {
  const symbols = KernelSymbols.parse(
    [
      'ffffffff81000000 T _stext',
      'ffffffff81000100 t vm_area_alloc',
      'ffffffff81000100 t vm_area_alloc_alias',
      'ffffffff81000180 T mas_dup_alloc.isra.0',
      'ffffffffc0000000 t in_module\t[kvm]',
    ].join('\n'),
    '0xffffffff82000000 : "mas_wr_store_entry"\n',
  );

  it('names call sites %pS does, with offset and size (up to the next address)', () => {
    expect(symbols.withOffset(0xffff_ffff, 0x8100_011a)).toBe('vm_area_alloc_alias+0x1a/0x80');
    expect(symbols.name(0xffff_ffff, 0x8100_0190)).toBe('mas_dup_alloc.isra.0');
  });

  it('prints an address it cannot name in hex, as the kernel does', () => {
    expect(symbols.name(0x7fff, 0x1000)).toBe('0x7fff00001000');
    expect(symbols.name(0, 0)).toBe('0x0');
    expect(symbols.string(0xffff_ffff, 0x8200_0000)).toBe('mas_wr_store_entry');
    expect(symbols.string(0xffff_ffff, 0x8200_0008)).toBe('0xffffffff82000008');
  });

  it('reads the page size from header_page', () => {
    expect(pageSize(read('events/header_page'))).toBe(4096);
  });
});
