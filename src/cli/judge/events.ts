// SPDX-License-Identifier: GPL-2.0-or-later
// Reads the text of a tracefs instance's `trace` file into KernelEvents: the
// runner writes `vmx call N begin` / `vmx call N end` to trace_marker around
// each call, events between them belong to call N, and events outside any
// call (the runner's own setup and exit) are dropped, as are those of any
// process that wrote no marker (the judge itself). Pointers become
// identities by kind, in order of first appearance (kernel-events.ts).
//
// The instance prints raw pointers (tracefs.ts turns options/hash-ptr off)
// so that a maple node written by ma_write can be matched with its
// allocation: ma_write prints the encoded node (struct maple_enode: the node's
// address with its type in the low bits), kmem_cache_alloc the address. With
// hashed pointers (%p) the two never match, but everything else still does.
import type { KernelCache, KernelEvent, MaOpEvent } from '../../engine/kernel/trace/kernel-events';

/** The caches recorded, and the prefix of their objects' identities. */
export const KERNEL_CACHES: Readonly<Record<KernelCache, string>> = {
  vm_area_struct: 'vma',
  anon_vma: 'av',
  anon_vma_chain: 'avc',
  maple_node: 'node',
};

/**
 * Callers that allocate from a cache SLUB merged into one of ours: merged
 * caches (same size and flags; mm/slab_common.c: find_mergeable()) trace
 * under the name of the cache that absorbed them, so fs_struct
 * (fs/fs_struct.c) and epoll's eppoll_entry (fs/eventpoll.c, a program's
 * epoll_ctl() and close()) show as anon_vma_chain on a 6.18 x86-64 kernel.
 */
const MERGED_CACHE_USERS: ReadonlySet<string> = new Set([
  'copy_fs_struct',
  'free_fs_struct',
  'ep_ptable_queue_proc',
  'ep_remove_wait_queue',
  'ep_unregister_pollwait',
  'eventpoll_release_file',
]);

/** The text the runner writes to trace_marker around call N. */
export const MARKER = /^vmx call (\d+) (begin|end)$/;

// kernel/trace/trace_output.c: trace_print_context() prints `TASK-PID [CPU] FLAGS TIMESTAMP: `,
// the flags only with options/irq-info (on by default).
const LINE = /^\s*.+?-(\d+)\s+\[\d+\]\s+(?:\S+\s+)?\d+\.\d+: (\w+): (.*)$/;
// include/trace/events/maple_tree.h: the TP_printk formats of ma_write and ma_op.
const MA_WRITE = /^(\w+)\s+Node (\S+) \((\d+) (\d+)\) range:(\d+)-(\d+) piv \((\d+)\) val (\S+)$/;
const MA_OP = /^(\w+)\s+Node: (\S+) \((\d+) (\d+)\) range: (\d+)-(\d+)$/;
// include/trace/events/kmem.h: call_site is %pS (`vm_area_alloc+0x1d/0x60`).
const SLAB = /^call_site=(\S+) ptr=(\S+) name=(\S+)/;

/** A hashed pointer of %p that is NULL. lib/vsprintf.c: pointer() prints `(null)`. */
const isNull = (p: string): boolean => p === '(null)' || /^0+$/.test(p);

const hex = (decimal: string): string => '0x' + BigInt(decimal).toString(16);

/** lib/maple_tree.c: mte_to_node() clears MAPLE_NODE_MASK (255) to find the node. */
const nodeOf = (ptr: string): string => ptr.slice(0, -2) + '00';

/** Hashed pointers to identities, one namespace per kind. */
class Identities {
  private readonly current = new Map<string, string>();
  private readonly counts = new Map<string, number>();

  /** A newly allocated object: always a new identity, even where an old one's memory is reused. */
  born(prefix: string, ptr: string): string {
    const id = this.next(prefix);
    this.current.set(`${prefix} ${ptr}`, id);
    return id;
  }

  /** An object named by a pointer: its identity, or a new `prefix?N` if it predates the scenario. */
  of(prefix: string, ptr: string): string {
    const key = `${prefix} ${ptr}`;
    let id = this.current.get(key);
    if (id === undefined) {
      id = this.next(`${prefix}?`);
      this.current.set(key, id);
    }
    return id;
  }

  private next(prefix: string): string {
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    return prefix + n;
  }
}

/** What parseTrace() read. */
export interface ParsedTrace {
  /** Every call's events, in the order the kernel recorded them. */
  events: KernelEvent[];
  /** How many calls have their end marker: fewer than the calls run if the buffer filled up. */
  ended: number;
}

/** The events of each call in the text of `trace` or `trace_pipe`. */
export function parseTrace(text: string): ParsedTrace {
  const ids = new Identities();
  const events: KernelEvent[] = [];
  /** The runner and its @fork child: the processes that mark calls. */
  const marking = new Set<string>();
  const ended = new Set<number>();
  let call: number | null = null;
  for (const line of text.split('\n')) {
    if (line.startsWith('#')) continue;
    const m = LINE.exec(line);
    if (!m) continue;
    const [, pid, name, body] = m;
    if (name === 'tracing_mark_write' || name === 'print') {
      const mark = MARKER.exec(body.trim());
      if (!mark) continue;
      marking.add(pid);
      call = mark[2] === 'begin' ? Number(mark[1]) : null;
      if (mark[2] === 'end') ended.add(Number(mark[1]));
      continue;
    }
    if (call === null || !marking.has(pid)) continue;
    const event = parseEvent(name, body, call, ids);
    if (event) events.push(event);
  }
  return { events, ended: ended.size };
}

/**
 * A parser of single events (name and body of one trace line) with identities
 * of its own, followed from event to event: for a recording's trace, which
 * has no call markers (src/cli/record).
 */
export function kernelEventParser(): (
  name: string,
  body: string,
  call: number,
) => KernelEvent | null {
  const ids = new Identities();
  return (name, body, call) => parseEvent(name, body, call, ids);
}

function parseEvent(name: string, body: string, call: number, ids: Identities): KernelEvent | null {
  switch (name) {
    case 'ma_write': {
      const m = MA_WRITE.exec(body);
      if (!m) return null;
      const [, , , , , , , piv, val] = m;
      return {
        kind: 'ma_write',
        ...mapleNode(m, call, ids),
        piv: hex(piv),
        entry: isNull(val) ? null : ids.of('vma', val),
      };
    }
    case 'ma_op': {
      const m = MA_OP.exec(body);
      return m ? { kind: 'ma_op', ...mapleNode(m, call, ids) } : null;
    }
    case 'kmem_cache_alloc':
    case 'kmem_cache_free': {
      const m = SLAB.exec(body);
      if (!m || !(m[3] in KERNEL_CACHES)) return null;
      const cache = m[3] as KernelCache;
      const prefix = KERNEL_CACHES[cache];
      const ptr = cache === 'maple_node' ? nodeOf(m[2]) : m[2];
      const alloc = name === 'kmem_cache_alloc';
      // `mas_dup_alloc.isra.0+0x1af/0x350`: the function, without offset and clone suffix.
      const site = m[1].replace(/\+.*$/, '').replace(/\..*$/, '');
      if (MERGED_CACHE_USERS.has(site)) return null;
      return alloc
        ? { kind: 'alloc', call, cache, id: ids.born(prefix, ptr), site }
        : { kind: 'free', call, cache, id: ids.of(prefix, ptr), site };
    }
    case 'vm_unmapped_area': {
      const f = fields(body);
      const err = Number(f.get('err') ?? '0');
      return {
        kind: 'unmapped_area',
        call,
        length: f.get('len') ?? '0x0',
        low: f.get('lo') ?? '0x0',
        high: f.get('hi') ?? '0x0',
        alignMask: f.get('mask') ?? '0x0',
        alignOffset: f.get('ofs') ?? '0x0',
        addr: err ? null : (f.get('addr') ?? null),
        err,
      };
    }
    case 'page_fault_user': {
      const f = fields(body);
      return {
        kind: 'fault',
        call,
        address: f.get('address') ?? '0x0',
        errorCode: Number(f.get('error_code') ?? '0'),
      };
    }
    default:
      return null;
  }
}

/** The fields ma_write and ma_op share, from their first six groups. */
function mapleNode(m: RegExpExecArray, call: number, ids: Identities): Omit<MaOpEvent, 'kind'> {
  const [, fn, node, min, max, index, last] = m;
  return {
    call,
    fn,
    node: ids.of('node', nodeOf(node)),
    min: hex(min),
    max: hex(max),
    index: hex(index),
    last: hex(last),
  };
}

/** `a=1 b=0x2` as a map. */
function fields(body: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of body.trim().split(/\s+/)) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

/** x86 page fault error code bits (arch/x86/include/asm/trap_pf.h), as words. */
function faultKind(code: number): string {
  const words = [code & 2 ? 'write' : 'read', code & 1 ? 'protection' : 'not-present'];
  if (code & 0x10) words.push('instruction');
  return words.join(' ');
}

/** One event as one line of text, as `npm run judge -- --events` prints it. */
export function formatKernelEvent(e: KernelEvent): string {
  switch (e.kind) {
    case 'ma_write':
      return (
        `ma_write ${e.fn} ${e.node} (${e.min} ${e.max}) range ${e.index}-${e.last}` +
        `${e.piv === '0x0' ? '' : ` piv ${e.piv}`} entry ${e.entry ?? 'NULL'}`
      );
    case 'ma_op':
      return `ma_op ${e.fn} ${e.node} (${e.min} ${e.max}) range ${e.index}-${e.last}`;
    case 'alloc':
    case 'free':
      return `${e.kind} ${e.cache} ${e.id} by ${e.site}`;
    case 'unmapped_area':
      return (
        `vm_unmapped_area len ${e.length} low ${e.low} high ${e.high}` +
        ` align ${e.alignMask}+${e.alignOffset} -> ${e.addr ?? `error ${e.err}`}`
      );
    case 'fault':
      return `page_fault_user ${e.address} ${faultKind(e.errorCode)} (error_code 0x${e.errorCode.toString(16)})`;
  }
}
