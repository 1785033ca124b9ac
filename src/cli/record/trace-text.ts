// SPDX-License-Identifier: GPL-2.0-or-later
// How `trace` prints the events a recording enables, written as bytes into
// one growing buffer (raw-trace.ts decodes the ring buffer's pages with
// them): a million events printed as JavaScript strings, each glued from a
// dozen pieces, spend most of their time in the garbage collector; bytes in
// a buffer, turned into one string at the end, do not. Each printer is
// built once per event id from the event's format file, and prints what its
// TP_printk prints (kmem_cache_alloc only up to `name=`, all that events.ts
// reads). Kernel pointers that the text prints by name (%pS call sites, %ps
// fault ips, the maple tree's function names) are looked up in /proc/kallsyms
// and printk_formats.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One field of an event, from its format file. */
export interface Field {
  offset: number;
  size: number;
}

/** An event's format: its `system/name` and fields by name (the `common_` ones left out). */
export interface EventFormat {
  system: string;
  name: string;
  fields: Map<string, Field>;
}

const HEX = Uint8Array.from('0123456789abcdef', (c) => c.charCodeAt(0));

/** Text written as bytes (ASCII, and the markers' UTF-8 as it is) into a buffer that grows. */
export class TextWriter {
  buf = Buffer.allocUnsafe(1 << 20);
  len = 0;

  /** Makes room for `n` more bytes. */
  room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }

  /** Bytes (text already encoded: bytes() of a string). */
  put(b: Uint8Array, start = 0, end = b.length): void {
    this.room(end - start);
    const buf = this.buf;
    let at = this.len;
    for (let i = start; i < end; i++) buf[at++] = b[i];
    this.len = at;
  }

  byte(c: number): void {
    this.room(1);
    this.buf[this.len++] = c;
  }

  /** `n` (a safe non-negative integer) in decimal, at least `width` digits with zeros. */
  dec(n: number, width = 1): void {
    this.room(20);
    let digits = 1;
    for (let m = n; m >= 10; m = Math.floor(m / 10)) digits++;
    if (digits < width) digits = width;
    const buf = this.buf;
    for (let i = this.len + digits - 1; i >= this.len; i--) {
      const q = Math.floor(n / 10);
      buf[i] = 48 + n - q * 10;
      n = q;
    }
    this.len += digits;
  }

  /** A u64, given as its two u32 halves, in lower-case hex: without zeros in front, or all 16. */
  hex(hi: number, lo: number, full = false): void {
    this.room(16);
    const buf = this.buf;
    let digits = 16;
    if (!full) {
      const top = hi || lo;
      digits = (hi ? 8 : 0) + (top ? 8 - (Math.clz32(top) >> 2) : 1);
    }
    let at = this.len + digits;
    for (let i = 0; i < digits; i++) {
      const word = i < 8 ? lo : hi;
      buf[--at] = HEX[(word >>> ((i & 7) * 4)) & 15];
    }
    this.len += digits;
  }

  /** A u64 in decimal (%lu). */
  dec64(hi: number, lo: number): void {
    if (hi < 0x20_0000) this.dec(hi * 0x1_0000_0000 + lo);
    else this.put(bytes(((BigInt(hi) << 32n) | BigInt(lo)).toString()));
  }
}

/** A string's UTF-8 bytes. */
export const bytes = (s: string): Uint8Array => Buffer.from(s, 'utf8');

/**
 * Kernel text addresses by name: the text symbols of /proc/kallsyms (for
 * %pS and %ps) and the strings of printk_formats (the maple tree's __func__).
 * Only addresses in the top 4 GiB (0xffffffff........), the kernel's text on
 * x86-64, have names; others print as numbers, as the kernel prints them.
 * Each name is encoded once, at its first use.
 */
export class KernelSymbols {
  private readonly starts: Uint32Array;
  private readonly ends: Uint32Array;
  private readonly names: string[];
  private readonly strings: Map<number, string>;
  private readonly printed = {
    withOffset: new Map<number, Uint8Array>(),
    name: new Map<number, Uint8Array>(),
    string: new Map<number, Uint8Array>(),
  };

  /** `symbols` and `strings`: [low 32 bits of the address, name]. */
  constructor(symbols: Array<[number, string]>, strings: Map<number, string>) {
    const sorted = [...symbols].sort((a, b) => a[0] - b[0]);
    this.starts = Uint32Array.from(sorted, (s) => s[0]);
    this.names = sorted.map((s) => s[1]);
    // kernel/kallsyms.c: get_symbol_pos(): a symbol ends where the next one at a higher address begins.
    this.ends = new Uint32Array(sorted.length);
    for (let i = sorted.length - 1, next = 0; i >= 0; i--) {
      if (i + 1 < sorted.length && this.starts[i + 1] > this.starts[i]) next = this.starts[i + 1];
      this.ends[i] = next;
    }
    this.strings = strings;
  }

  /** This machine's: /proc/kallsyms (the core kernel's symbols) and TRACEFS/printk_formats. */
  static read(tracefs: string): KernelSymbols {
    return KernelSymbols.parse(
      readFileSync('/proc/kallsyms', 'utf8'),
      readFileSync(join(tracefs, 'printk_formats'), 'utf8'),
    );
  }

  /** From the text of /proc/kallsyms and printk_formats (modules' symbols left out). */
  static parse(kallsyms: string, printkFormats: string): KernelSymbols {
    const symbols: Array<[number, string]> = [];
    for (const m of kallsyms.matchAll(/^ffffffff([0-9a-f]{8}) \w (\S+)$/gm)) {
      symbols.push([parseInt(m[1], 16), m[2]]);
    }
    const strings = new Map<number, string>();
    for (const m of printkFormats.matchAll(/^0xffffffff([0-9a-f]{8}) : "(.*)"$/gm)) {
      strings.set(parseInt(m[1], 16), m[2]);
    }
    return new KernelSymbols(symbols, strings);
  }

  /** lib/vsprintf.c: %pS, `name+0xOFFSET/0xSIZE`, or the address in hex. */
  withOffset(hi: number, lo: number): string {
    const i = this.find(hi, lo);
    if (i < 0) return hex64(hi, lo);
    const start = this.starts[i];
    return `${this.names[i]}+0x${(lo - start).toString(16)}/0x${(this.ends[i] - start).toString(16)}`;
  }

  /** lib/vsprintf.c: %ps, `name`, or the address in hex. */
  name(hi: number, lo: number): string {
    const i = this.find(hi, lo);
    return i < 0 ? hex64(hi, lo) : this.names[i];
  }

  /** A string of printk_formats at the address (%s of a kernel constant), or the address in hex. */
  string(hi: number, lo: number): string {
    return (hi === 0xffff_ffff ? this.strings.get(lo) : undefined) ?? hex64(hi, lo);
  }

  /** Writes %pS, %ps or a kernel string (`how`) of a kernel address, encoded once per address. */
  write(out: TextWriter, how: 'withOffset' | 'name' | 'string', hi: number, lo: number): void {
    if (hi !== 0xffff_ffff) {
      out.byte(48);
      out.byte(120);
      out.hex(hi, lo);
      return;
    }
    const printed = this.printed[how];
    let b = printed.get(lo);
    if (!b) {
      b = bytes(this[how](hi, lo));
      printed.set(lo, b);
    }
    out.put(b);
  }

  /** The symbol holding the address, or -1. */
  private find(hi: number, lo: number): number {
    if (hi !== 0xffff_ffff || !this.starts.length || lo < this.starts[0]) return -1;
    let l = 0;
    let h = this.starts.length - 1;
    while (l < h) {
      const mid = (l + h + 1) >> 1;
      if (this.starts[mid] <= lo) l = mid;
      else h = mid - 1;
    }
    return this.ends[l] > lo || this.ends[l] === 0 ? l : -1;
  }
}

/** `0x` and the lower-case hex of a u64 given as two u32 halves. */
function hex64(hi: number, lo: number): string {
  return '0x' + (hi ? hi.toString(16) + lo.toString(16).padStart(8, '0') : lo.toString(16));
}

/** The event being printed: its data from byte `at` (a multiple of 4) of the page. */
export interface EventData {
  u8: Uint8Array;
  u32: Uint32Array;
  at: number;
}

/** Writes the body of one event, as `trace` prints it after the timestamp and `: `. */
export type Printer = (out: TextWriter, d: EventData) => void;

/** The printer of an event with this format, or null for an event a recording does not read. */
export function printer(f: EventFormat, symbols: KernelSymbols): Printer | null {
  const field = (name: string): number => {
    const x = f.fields.get(name);
    if (!x) throw new Error(`${f.system}/${f.name}/format has no field ${name}`);
    return x.offset;
  };
  // The halves of the u64 at byte `offset` of the event.
  const hi = (d: EventData, offset: number): number => d.u32[((d.at + offset) >> 2) + 1];
  const lo = (d: EventData, offset: number): number => d.u32[(d.at + offset) >> 2];
  if (f.system === 'syscalls') return syscallPrinter(f, field, hi, lo);
  const name = bytes(`${f.name}: `);
  switch (`${f.system}/${f.name}`) {
    case 'ftrace/print': {
      // kernel/trace/trace_output.c: trace_print_print(), `%ps: %s`; the text ends at its newline.
      const buf = field('buf');
      const mark = bytes('tracing_mark_write: ');
      return (out, d) => {
        out.put(mark);
        const start = d.at + buf;
        let end = start;
        while (end < d.u8.length && d.u8[end] !== 0 && d.u8[end] !== 10) end++;
        out.put(d.u8, start, end);
      };
    }
    case 'exceptions/page_fault_user':
    case 'exceptions/page_fault_kernel': {
      const [address, ip, code] = [field('address'), field('ip'), field('error_code')];
      const [a, i, e] = [bytes('address='), bytes(' ip='), bytes(' error_code=0x')];
      return (out, d) => {
        out.put(name);
        out.put(a);
        symbols.write(out, 'name', hi(d, address), lo(d, address));
        out.put(i);
        symbols.write(out, 'name', hi(d, ip), lo(d, ip));
        out.put(e);
        out.hex(hi(d, code), lo(d, code));
      };
    }
    case 'kmem/kmem_cache_alloc':
    case 'kmem/kmem_cache_free': {
      const [site, ptr, loc] = [field('call_site'), field('ptr'), field('name')];
      const [c, p, n] = [bytes('call_site='), bytes(' ptr='), bytes(' name=')];
      return (out, d) => {
        out.put(name);
        out.put(c);
        symbols.write(out, 'withOffset', hi(d, site), lo(d, site));
        out.put(p);
        out.hex(hi(d, ptr), lo(d, ptr), true);
        out.put(n);
        // __data_loc: the length (with its NUL) << 16 | the offset in the event.
        const l = lo(d, loc);
        const start = d.at + (l & 0xffff);
        out.put(d.u8, start, start + Math.max(0, (l >>> 16) - 1));
      };
    }
    case 'maple_tree/ma_write':
    case 'maple_tree/ma_op': {
      // include/trace/events/maple_tree.h:
      // ma_write "%s\tNode %p (%lu %lu) range:%lu-%lu piv (%lu) val %p",
      // ma_op "%s\tNode: %p (%lu %lu) range: %lu-%lu".
      const write = f.name === 'ma_write';
      const [fn, node, min, max, index, last] = ['fn', 'node', 'min', 'max', 'index', 'last'].map(
        field,
      );
      const [piv, val] = write ? [field('piv'), field('val')] : [0, 0];
      const [nodeText, range] = write
        ? [bytes('\tNode '), bytes(' range:')]
        : [bytes('\tNode: '), bytes(' range: ')];
      const [pivText, valText] = [bytes(' piv ('), bytes(') val ')];
      return (out, d) => {
        out.put(name);
        symbols.write(out, 'string', hi(d, fn), lo(d, fn));
        out.put(nodeText);
        out.hex(hi(d, node), lo(d, node), true);
        out.byte(32);
        out.byte(40);
        out.dec64(hi(d, min), lo(d, min));
        out.byte(32);
        out.dec64(hi(d, max), lo(d, max));
        out.byte(41);
        out.put(range);
        out.dec64(hi(d, index), lo(d, index));
        out.byte(45);
        out.dec64(hi(d, last), lo(d, last));
        if (!write) return;
        out.put(pivText);
        out.dec64(hi(d, piv), lo(d, piv));
        out.put(valText);
        out.hex(hi(d, val), lo(d, val), true);
      };
    }
    case 'mmap/vm_unmapped_area': {
      // include/trace/events/mmap.h: an address of -4095 or above is an error, printed as err.
      const names = ['addr', 'total_vm', 'flags', 'length', 'low_limit', 'high_limit'];
      const o = [...names, 'align_mask', 'align_offset'].map(field);
      const labels = [
        'addr=0x',
        ' total_vm=0x',
        ' flags=0x',
        ' len=0x',
        ' lo=0x',
        ' hi=0x',
        ' mask=0x',
        ' ofs=0x',
      ].map(bytes);
      const err = bytes(' err=');
      return (out, d) => {
        out.put(name);
        const isErr = hi(d, o[0]) === 0xffff_ffff && lo(d, o[0]) >= 0xffff_f001;
        for (let i = 0; i < o.length; i++) {
          out.put(labels[i]);
          if (i === 0 && isErr) out.byte(48);
          else out.hex(hi(d, o[i]), lo(d, o[i]));
          if (i > 0) continue;
          out.put(err);
          if (isErr) {
            out.byte(45);
            out.dec(0x1_0000_0000 - lo(d, o[0]));
          } else out.byte(48);
        }
      };
    }
  }
  return null;
}

/** kernel/trace/trace_syscalls.c: print_syscall_enter() and print_syscall_exit(). */
function syscallPrinter(
  f: EventFormat,
  field: (name: string) => number,
  hi: (d: EventData, offset: number) => number,
  lo: (d: EventData, offset: number) => number,
): Printer {
  const enter = f.name.startsWith('sys_enter_');
  const call = `sys_${f.name.slice(enter ? 'sys_enter_'.length : 'sys_exit_'.length)}`;
  if (!enter) {
    const ret = field('ret');
    const head = bytes(`${call} -> 0x`);
    return (out, d) => {
      out.put(head);
      out.hex(hi(d, ret), lo(d, ret));
    };
  }
  // Each argument below 10 in decimal, else in hex.
  const args = [...f.fields].filter(([name]) => name !== '__syscall_nr');
  const labels = args.map(([name], i) => bytes(`${i ? ', ' : `${call}(`}${name}: `));
  const offsets = args.map(([, x]) => x.offset);
  const none = bytes(`${call}(`);
  return (out, d) => {
    if (!args.length) out.put(none);
    for (let i = 0; i < offsets.length; i++) {
      out.put(labels[i]);
      const h = hi(d, offsets[i]);
      const l = lo(d, offsets[i]);
      if (h === 0 && l < 10) out.byte(48 + l);
      else {
        out.byte(48);
        out.byte(120);
        out.hex(h, l);
      }
    }
    out.byte(41);
  };
}
