// SPDX-License-Identifier: GPL-2.0-or-later
// The binary side of a recording's trace: `record` drains each CPU's
// per_cpu/cpuN/trace_pipe_raw (whole ring-buffer pages, no formatting in the
// kernel, so it keeps up with a memory-heavy program where trace_pipe's text
// does not) and, once the command has exited, decodes the pages into the
// lines `trace` prints, which parseRecordingTrace() (recording.ts) reads:
// `<...>-PID [CPU] SECONDS.MICROS: BODY` (no task name and no flags, which
// the parser does not read), each CPU's events merged by time as the
// kernel's own iterator merges them (kernel/trace/trace.c:
// __find_next_entry(), the lowest CPU on a tie).
//
// kernel/trace/ring_buffer.c lays a page out as a u64 timestamp, a commit
// word (its low bits the data's length, RB_MISSED_EVENTS at bit 31) and the
// data from byte 16 (events/header_page says so); each event has a u32
// header of a 5-bit type and a 27-bit time delta. The fields of each event
// are where its `format` file says; the kernel pointers the text prints by
// name (%pS call sites, %ps fault ips, the maple tree's function names) are
// looked up in /proc/kallsyms and printk_formats.
import { closeSync, constants, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import { join } from 'node:path';
import {
  bytes,
  KernelSymbols,
  printer,
  TextWriter,
  type EventData,
  type EventFormat,
  type Field,
  type Printer,
} from './trace-text';

export { KernelSymbols, type EventFormat } from './trace-text';

// include/linux/ring_buffer.h: enum ring_buffer_type.
const RINGBUF_TYPE_DATA_TYPE_LEN_MAX = 28;
const RINGBUF_TYPE_PADDING = 29;
const RINGBUF_TYPE_TIME_EXTEND = 30;
const RINGBUF_TYPE_TIME_STAMP = 31;
/** kernel/trace/ring_buffer.c: TS_SHIFT, the bits of the delta in an event header. */
const TS_SHIFT = 27;
/** kernel/trace/ring_buffer.c: RB_MISSED_EVENTS and RB_MISSED_STORED in the commit word. */
const RB_MISSED_EVENTS = 0x8000_0000;
const COMMIT_MASK = 0x3fff_ffff;
const PAGE_DATA = 16;

/** The formats of `events` (`system/name`) and of trace_marker's `ftrace/print`, by id. */
export function readFormats(instance: string, events: readonly string[]): Map<number, EventFormat> {
  const formats = new Map<number, EventFormat>();
  for (const event of [...events, 'ftrace/print']) {
    const text = readFileSync(join(instance, 'events', event, 'format'), 'utf8');
    const [id, format] = parseFormat(event, text);
    formats.set(id, format);
  }
  return formats;
}

/** An event's `format` file: its id and fields (the `common_` ones left out). */
export function parseFormat(event: string, text: string): [number, EventFormat] {
  const id = /^ID: (\d+)$/m.exec(text);
  if (!id) throw new Error(`${event}/format has no ID`);
  const fields = new Map<string, Field>();
  for (const m of text.matchAll(
    /field:([^;]*?)(\w+)(?:\[\d*\])?;\s*offset:(\d+);\s*size:(\d+);/g,
  )) {
    if (m[2].startsWith('common_')) continue;
    fields.set(m[2], { offset: Number(m[3]), size: Number(m[4]) });
  }
  const [system, name] = event.split('/');
  return [Number(id[1]), { system, name, fields }];
}

/** The size of a ring-buffer page, from events/header_page (data's offset plus size). */
export function pageSize(headerPage: string): number {
  const m = /field: char data;\s*offset:(\d+);\s*size:(\d+);/.exec(headerPage);
  return m ? Number(m[1]) + Number(m[2]) : 4096;
}

/**
 * Each CPU's pages, as read from trace_pipe_raw: kept in large Buffers that
 * fill page by page, so that memory grows with the trace and nothing is
 * copied twice.
 */
export class RawPages {
  private readonly chunks: Buffer[] = [];
  /** Bytes of the last chunk that hold pages. */
  private used = 0;
  /** Bytes of all chunks that hold pages. */
  private held = 0;

  constructor(
    readonly pageSize: number,
    private readonly pagesPerChunk = 256,
  ) {}

  /** Reads one page from `fd` into the store; false when there is none (EAGAIN or end). */
  readFrom(fd: number): boolean {
    const size = this.pageSize;
    let chunk = this.chunks.at(-1);
    if (!chunk || this.used === chunk.length) {
      chunk = Buffer.allocUnsafeSlow(size * this.pagesPerChunk);
      this.chunks.push(chunk);
      this.used = 0;
    }
    let n: number;
    try {
      n = readSync(fd, chunk, this.used, size, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
      throw e;
    }
    if (n <= 0) return false;
    // A read of a page's size gives a whole page (kernel/trace/trace.c:
    // tracing_buffers_read()), its header saying how much of it is events.
    this.used += size;
    this.held += size;
    return true;
  }

  /** Adds pages already read (a fixture), whole pages only. */
  add(pages: Uint8Array): void {
    const whole = pages.length - (pages.length % this.pageSize);
    const chunk = Buffer.allocUnsafeSlow(whole);
    chunk.set(pages.subarray(0, whole));
    this.chunks.push(chunk);
    this.used = whole;
    this.held += whole;
  }

  /** The pages held, as views of the chunks. */
  *pages(): Generator<Buffer> {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      const end = c === this.chunks.length - 1 ? this.used : chunk.length;
      for (let o = 0; o < end; o += this.pageSize) yield chunk.subarray(o, o + this.pageSize);
    }
  }

  /** The bytes held. */
  get bytes(): number {
    return this.held;
  }
}

/**
 * An instance's per-CPU trace_pipe_raw files, open without blocking, and the
 * pages read from them. Reading consumes the buffer, as trace_pipe does.
 */
export class RawTraceReader {
  readonly cpus: RawPages[];
  private fds: number[];

  constructor(instance: string) {
    const size = pageSize(readFileSync(join(instance, 'events', 'header_page'), 'utf8'));
    const perCpu = join(instance, 'per_cpu');
    const names = readdirSync(perCpu)
      .filter((c) => /^cpu\d+$/.test(c))
      .sort((a, b) => Number(a.slice(3)) - Number(b.slice(3)));
    this.fds = [];
    try {
      for (const cpu of names) {
        const path = join(perCpu, cpu, 'trace_pipe_raw');
        this.fds.push(openSync(path, constants.O_RDONLY | constants.O_NONBLOCK));
      }
    } catch (e) {
      this.close();
      throw e;
    }
    this.cpus = names.map(() => new RawPages(size));
  }

  /**
   * Reads at most `limit` pages from each CPU (all there are without a
   * limit); whether some CPU may have more.
   */
  drain(limit = Infinity): boolean {
    let more = false;
    this.fds.forEach((fd, i) => {
      let n = 0;
      while (n < limit && this.cpus[i].readFrom(fd)) n++;
      if (n === limit) more = true;
    });
    return more;
  }

  /** Closes the files; the pages stay. */
  close(): void {
    for (const fd of this.fds) closeSync(fd);
    this.fds = [];
  }
}

/** What decodeRawTrace() made of the pages. */
export interface DecodedTrace {
  /** The events as `trace` prints them (see the top of this file), in time order. */
  lines: string[];
  /** Whether a page said that the kernel lost events before it (a full buffer). */
  missed: boolean;
}

/** The text of one CPU's events, a line each, turned into strings every FLUSH_BYTES. */
const FLUSH_BYTES = 32 << 20;

/**
 * The events of `cpus` (each CPU's pages, in the order read) as `trace`
 * prints them. `formats` are the instance's (readFormats()); an event of
 * another id is left out.
 */
export function decodeRawTrace(
  cpus: readonly RawPages[],
  formats: ReadonlyMap<number, EventFormat>,
  symbols: KernelSymbols,
): DecodedTrace {
  const printers = new Map<number, Printer>();
  for (const [id, f] of formats) {
    const p = printer(f, symbols);
    if (p) printers.set(id, p);
  }
  let missed = false;
  const out = new TextWriter();
  const perCpu = cpus.map((pages, cpu) => {
    const times: number[] = [];
    const lines: string[] = [];
    const flush = (): void => {
      const text = out.buf.toString('utf8', 0, out.len);
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        lines.push(text.slice(start, nl));
        start = nl + 1;
      }
      out.len = 0;
    };
    // `<...>-PID [CPU] `, the task's name unknown, as `trace` prints a task it did not save.
    let prefix: Uint8Array = new Uint8Array(0);
    let lastPid = NaN;
    const d: EventData = { u8: new Uint8Array(0), u32: new Uint32Array(0), at: 0 };
    let lastUs = -1;
    const stamp = new Uint8Array(32);
    let stampLen = 0;
    for (const page of pages.pages()) {
      const u32 = new Uint32Array(page.buffer, page.byteOffset, page.length >> 2);
      d.u8 = page;
      d.u32 = u32;
      let ts = u32[1] * 0x1_0000_0000 + u32[0];
      const commit = u32[2];
      if (commit & RB_MISSED_EVENTS) missed = true;
      const end = Math.min(PAGE_DATA + (commit & COMMIT_MASK), page.length);
      let o = PAGE_DATA;
      while (o + 4 <= end) {
        const h = u32[o >> 2];
        const type = h & 0x1f;
        const delta = h >>> 5;
        if (type === RINGBUF_TYPE_PADDING) {
          // Padding to the page's end (no delta), or a discarded event; its delta is not time.
          if (delta === 0) break;
          o += 8 + u32[(o + 4) >> 2];
          continue;
        }
        if (type === RINGBUF_TYPE_TIME_EXTEND) {
          ts += u32[(o + 4) >> 2] * 2 ** TS_SHIFT + delta;
          o += 8;
          continue;
        }
        if (type === RINGBUF_TYPE_TIME_STAMP) {
          // An absolute time (the clock's low 59 bits; the global clock never has more).
          ts = u32[(o + 4) >> 2] * 2 ** TS_SHIFT + delta;
          o += 8;
          continue;
        }
        let len: number;
        if (type === 0) {
          len = u32[(o + 4) >> 2] - 4;
          d.at = o + 8;
        } else {
          len = type * 4;
          d.at = o + 4;
        }
        ts += delta;
        o = d.at + ((len + 3) & ~3);
        if (type > RINGBUF_TYPE_DATA_TYPE_LEN_MAX || len < 8) continue;
        const print = printers.get(u32[d.at >> 2] & 0xffff);
        if (!print) continue;
        // kernel/trace/trace_output.c: `%5llu.%06lu: `, microseconds rounded (ns2usecs()).
        const us = Math.floor((ts + 500) / 1000);
        if (us !== lastUs) {
          const at = out.len;
          const secs = Math.floor(us / 1e6);
          out.dec(secs);
          out.byte(46);
          out.dec(us - secs * 1e6, 6);
          out.byte(58);
          out.byte(32);
          stampLen = out.len - at;
          stamp.set(out.buf.subarray(at, out.len));
          out.len = at;
          lastUs = us;
        }
        const pid = u32[(d.at >> 2) + 1] | 0;
        if (pid !== lastPid) {
          lastPid = pid;
          prefix = bytes(`<...>-${pid} [${String(cpu).padStart(3, '0')}] `);
        }
        out.put(prefix);
        out.put(stamp, 0, stampLen);
        print(out, d);
        out.byte(10);
        times.push(ts);
        if (out.len > FLUSH_BYTES) flush();
      }
    }
    flush();
    return { times, lines };
  });
  return { lines: merge(perCpu), missed };
}

/** Each CPU's lines merged by time, the lower CPU first on a tie. */
function merge(cpus: Array<{ times: number[]; lines: string[] }>): string[] {
  if (cpus.length === 1) return cpus[0].lines;
  const out: string[] = [];
  const at = cpus.map(() => 0);
  for (;;) {
    let best = -1;
    let bestTs = Infinity;
    for (let c = 0; c < cpus.length; c++) {
      const i = at[c];
      if (i < cpus[c].times.length && (best < 0 || cpus[c].times[i] < bestTs)) {
        best = c;
        bestTs = cpus[c].times[i];
      }
    }
    if (best < 0) return out;
    out.push(cpus[best].lines[at[best]++]);
  }
}
