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
 * Each CPU's pages, as read from trace_pipe_raw, in large Buffers that fill
 * page by page, so that nothing is copied twice. Each page keeps its header
 * and its events only: a drain that finds a page the kernel is still
 * writing gets a page of a few events, and a slow program makes many.
 */
export class RawPages {
  private readonly chunks: Buffer[] = [];
  /** How many bytes of each chunk hold pages. */
  private readonly ends: number[] = [];
  private held = 0;

  constructor(
    readonly pageSize: number,
    private readonly pagesPerChunk = 256,
  ) {}

  /** Reads one page from `fd` into the store; false when there is none (EAGAIN or end). */
  readFrom(fd: number): boolean {
    const [chunk, at] = this.room();
    let n: number;
    try {
      n = readSync(fd, chunk, at, this.pageSize, null);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') return false;
      throw e;
    }
    // A read of a page's size gives a whole page (kernel/trace/trace.c: tracing_buffers_read()).
    if (n < PAGE_DATA) return false;
    this.keep(chunk, at);
    return true;
  }

  /** Adds pages already read (a fixture), whole pages only. */
  add(pages: Uint8Array): void {
    for (let o = 0; o + this.pageSize <= pages.length; o += this.pageSize) {
      const [chunk, at] = this.room();
      chunk.set(pages.subarray(o, o + this.pageSize), at);
      this.keep(chunk, at);
    }
  }

  /** The pages held, each as long as its header and events (8-byte aligned views of the chunks). */
  *pages(): Generator<Buffer> {
    for (let c = 0; c < this.chunks.length; c++) {
      const chunk = this.chunks[c];
      for (let o = 0; o < this.ends[c];) {
        const length = this.stored(chunk, o);
        yield chunk.subarray(o, o + length);
        o += length;
      }
    }
  }

  /** The bytes held. */
  get bytes(): number {
    return this.held;
  }

  /** The chunk and offset where the next page is to be read, with room for a whole page. */
  private room(): [Buffer, number] {
    const last = this.chunks.length - 1;
    if (last >= 0 && this.chunks[last].length - this.ends[last] >= this.pageSize) {
      return [this.chunks[last], this.ends[last]];
    }
    this.chunks.push(Buffer.allocUnsafeSlow(this.pageSize * this.pagesPerChunk));
    this.ends.push(0);
    return [this.chunks[last + 1], 0];
  }

  /** Keeps the page just read at `at` of the last chunk: its header and events. */
  private keep(chunk: Buffer, at: number): void {
    const length = this.stored(chunk, at);
    this.ends[this.ends.length - 1] = at + length;
    this.held += length;
  }

  /** The bytes a page at `at` takes: its header and its events, rounded up to 8. */
  private stored(chunk: Buffer, at: number): number {
    const commit = chunk.readUInt32LE(at + 8) & COMMIT_MASK;
    return Math.min(this.pageSize, (PAGE_DATA + commit + 7) & ~7);
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
          // Padding to the page's end (no delta), or a discarded event, whose data's
          // length array[0] holds (rb_event_discard()); its delta is not time.
          if (delta === 0) break;
          o += 4 + u32[(o + 4) >> 2];
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
