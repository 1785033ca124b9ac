// SPDX-License-Identifier: GPL-2.0-or-later
// Seeded random scenarios for differential testing against the real kernel
// (src/cli/judge). Every call of the contract appears, aimed at a small region
// so that merges, splits, moves and refusals happen often.
//
// The process it aims at is the judge's (world/process.ts).
import { JUDGE_FILE_SIZE, JUDGE_START_BRK, JUDGE_WINDOW_START } from '../world/process';

const PAGE = 0x1000;
/** The generator's region: 64 pages at the start of the window, where the break starts too. */
export const GENERATOR_REGION_START = JUDGE_WINDOW_START;
export const GENERATOR_REGION_PAGES = 64;

const PATHS = ['/data/a', '/data/b', '/lib/libfoo.so'];
const FIRST_FD = 3;

/** Mostly read-write, so that touches succeed and attach anon_vmas. */
const PROTS = [
  'PROT_READ|PROT_WRITE',
  'PROT_READ|PROT_WRITE',
  'PROT_READ|PROT_WRITE',
  'PROT_READ|PROT_WRITE',
  'PROT_READ',
  'PROT_READ',
  'PROT_NONE',
  'PROT_READ|PROT_EXEC',
  'PROT_EXEC',
  'PROT_WRITE',
  'PROT_READ|PROT_WRITE|PROT_EXEC',
];
/** The advice that changes VMA flags or layout (all of them), then page-level advice. */
const ADVICE = [
  'MADV_DONTFORK',
  'MADV_DOFORK',
  'MADV_WIPEONFORK',
  'MADV_KEEPONFORK',
  'MADV_DONTDUMP',
  'MADV_DODUMP',
  'MADV_HUGEPAGE',
  'MADV_NOHUGEPAGE',
  'MADV_MERGEABLE',
  'MADV_UNMERGEABLE',
  'MADV_SEQUENTIAL',
  'MADV_RANDOM',
  'MADV_NORMAL',
  'MADV_GUARD_INSTALL',
  'MADV_GUARD_REMOVE',
  'MADV_DONTNEED',
  'MADV_FREE',
  'MADV_WILLNEED',
  'MADV_COLD',
  'MADV_PAGEOUT',
  'MADV_POPULATE_READ',
  'MADV_POPULATE_WRITE',
  'MADV_DONTNEED_LOCKED',
  'MADV_REMOVE',
];
const MLOCKALL = [
  'MCL_CURRENT',
  'MCL_FUTURE',
  'MCL_CURRENT|MCL_FUTURE',
  'MCL_CURRENT|MCL_ONFAULT',
  'MCL_FUTURE|MCL_ONFAULT',
  'MCL_ONFAULT',
];

/** mulberry32: a small, fast, well-mixed 32-bit generator; the same seed gives the same stream. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const hex = (n: number): string => '0x' + n.toString(16);

/**
 * A scenario of `calls` calls drawn from `seed`. Fixed mappings go to the
 * 64-page region at GENERATOR_REGION_START; `mmap(NULL, ...)` and moving
 * `mremap` land where the kernel puts them (the top of the judge's window).
 */
export function generateScenario(seed: number, calls: number): string {
  const rnd = prng(seed);
  const int = (n: number): number => Math.floor(rnd() * n);
  const chance = (p: number): boolean => rnd() < p;
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];

  const openFds: number[] = [];
  /** Ranges fixed mmaps asked for, latest last: most calls aim at (part of) one of them. */
  const mapped: Array<{ start: number; pages: number }> = [];
  let forked = false;

  const page = (): number => GENERATOR_REGION_START + int(GENERATOR_REGION_PAGES) * PAGE;
  /** An address in the region, now and then not page aligned. */
  const addr = (): number => page() + (chance(0.04) ? 0x10 : 0);
  /** 1 to 16 pages; now and then zero, or one byte more or less than whole pages. */
  const len = (): number => {
    const r = rnd();
    if (r < 0.04) return 0;
    const pages = 1 + int(r < 0.5 ? 4 : 16);
    if (r > 0.96) return pages * PAGE + 1;
    if (r > 0.93) return pages * PAGE - 0x100;
    return pages * PAGE;
  };
  /** A range: mostly inside a recent mapping, else anywhere in the region. */
  const target = (): [number, number] => {
    if (mapped.length === 0 || chance(0.35)) return [addr(), len()];
    const m = mapped[mapped.length - 1 - int(Math.min(mapped.length, 4))];
    const first = int(m.pages);
    return [m.start + first * PAGE, (1 + int(m.pages - first)) * PAGE];
  };
  const prot = (): string => pick(PROTS);

  const mmap = (): string => {
    const kind = int(10);
    let flags: string[];
    let fd = -1;
    let offset = 0;
    if (kind < 5) {
      flags = ['MAP_PRIVATE', 'MAP_ANONYMOUS'];
    } else if (kind < 6) {
      flags = ['MAP_SHARED', 'MAP_ANONYMOUS'];
    } else if (openFds.length > 0 || chance(0.1)) {
      flags = [kind < 9 ? 'MAP_PRIVATE' : 'MAP_SHARED'];
      fd = openFds.length > 0 && chance(0.95) ? pick(openFds) : FIRST_FD + 7;
      offset = int(20) * PAGE + (chance(0.03) ? 0x200 : 0);
    } else {
      flags = ['MAP_PRIVATE', 'MAP_ANONYMOUS'];
    }
    const placement = rnd();
    let at = 0; // NULL: the kernel chooses
    const length = len();
    if (placement < 0.9) {
      flags.push(placement < 0.8 ? 'MAP_FIXED' : 'MAP_FIXED_NOREPLACE');
      at = addr();
      if (length > 0) mapped.push({ start: at - (at % PAGE), pages: Math.ceil(length / PAGE) });
    } else if (placement < 0.95) {
      at = page(); // a hint
    }
    if (chance(0.05)) flags.push('MAP_NORESERVE');
    if (chance(0.03)) flags.push('MAP_GROWSDOWN');
    if (chance(0.03)) flags.push('MAP_POPULATE');
    if (chance(0.02)) flags.push('MAP_LOCKED');
    return `mmap(${at === 0 ? 'NULL' : hex(at)}, ${hex(length)}, ${prot()}, ${flags.join('|')}, ${fd}, ${hex(offset)})`;
  };

  const mremap = (): string => {
    const [old, span] = target();
    const oldLen = Math.max(PAGE, span - (span % PAGE));
    const kind = int(6);
    if (kind === 0) return `mremap(${hex(old)}, ${hex(oldLen)}, ${hex(oldLen - PAGE)}, 0)`;
    if (kind === 1) return `mremap(${hex(old)}, ${hex(oldLen)}, ${hex(oldLen + int(4) * PAGE)}, 0)`;
    if (kind === 2) {
      return `mremap(${hex(old)}, ${hex(oldLen)}, ${hex(oldLen + (1 + int(8)) * PAGE)}, MREMAP_MAYMOVE)`;
    }
    if (kind === 3 || kind === 4) {
      const newLen = chance(0.7) ? oldLen : (1 + int(8)) * PAGE;
      return `mremap(${hex(old)}, ${hex(oldLen)}, ${hex(newLen)}, MREMAP_MAYMOVE|MREMAP_FIXED, ${hex(page())})`;
    }
    const fixed = chance(0.6);
    const flags = 'MREMAP_MAYMOVE|MREMAP_DONTUNMAP' + (fixed ? '|MREMAP_FIXED' : '');
    return `mremap(${hex(old)}, ${hex(oldLen)}, ${hex(oldLen)}, ${flags}${fixed ? `, ${hex(page())}` : ''})`;
  };

  const openat = (): string => {
    const path = pick(PATHS);
    const flags = pick(['O_RDONLY', 'O_RDWR', 'O_RDONLY|O_CLOEXEC', 'O_RDWR|O_CLOEXEC']);
    let fd = FIRST_FD;
    while (openFds.includes(fd)) fd++;
    openFds.push(fd);
    return chance(0.2) ? `open("${path}", ${flags})` : `openat(AT_FDCWD, "${path}", ${flags})`;
  };

  const close = (): string => {
    if (openFds.length === 0 || chance(0.1)) return `close(${FIRST_FD + 9})`;
    const fd = pick(openFds);
    openFds.splice(openFds.indexOf(fd), 1);
    return `close(${fd})`;
  };

  /** A new size around the mapped file ranges (0..128 KiB), now and then not page aligned. */
  const ftruncate = (): string => {
    const fd = openFds.length > 0 && chance(0.9) ? pick(openFds) : FIRST_FD + 9;
    const r = rnd();
    let length = int(33) * PAGE + (chance(0.25) ? 1 + int(PAGE - 1) : 0);
    if (r < 0.1) length = JUDGE_FILE_SIZE;
    else if (r < 0.13) length = -1;
    return `ftruncate(${fd}, ${length < 0 ? length : hex(length)})`;
  };

  const range = (name: string): string => {
    const [at, length] = target();
    return `${name}(${hex(at)}, ${hex(length)}`;
  };
  const access = (name: string): string => {
    const [at, length] = target();
    return `${name}(${hex(at)}${chance(0.3) ? '' : `, ${hex(Math.min(length, 4 * PAGE))}`})`;
  };

  // Weights: how often each call comes up.
  const table: ReadonlyArray<readonly [number, () => string]> = [
    [30, mmap],
    [8, () => `${range('munmap')})`],
    [10, () => `${range('mprotect')}, ${prot()})`],
    [2, () => `${range('pkey_mprotect')}, ${prot()}, -1)`],
    [7, mremap],
    [10, () => `${range('madvise')}, ${pick(ADVICE)})`],
    [2, () => `${range('mlock')})`],
    [2, () => `${range('mlock2')}, ${pick(['0', 'MLOCK_ONFAULT'])})`],
    [2, () => `${range('munlock')})`],
    [1, () => `mlockall(${pick(MLOCKALL)})`],
    [1, () => 'munlockall()'],
    [2, () => `brk(${chance(0.3) ? 'NULL' : hex(JUDGE_START_BRK + int(12) * PAGE)})`],
    [1, () => `${range('mseal')}, 0)`],
    [1, () => `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${hex(page())}, ${hex(PAGE)}, "gen")`],
    [3, openat],
    [2, close],
    [2, ftruncate],
    [8, () => access('@touch')],
    [4, () => access('@read')],
    [1, () => `@note("seed ${seed}")`],
  ];
  const total = table.reduce((s, [w]) => s + w, 0);
  const draw = (): string => {
    let r = int(total);
    for (const [w, make] of table) {
      if (r < w) return make();
      r -= w;
    }
    return table[0][1]();
  };

  const out = [`# generated: seed ${seed}, ${calls} calls`];
  for (let i = 0; i < calls; i++) {
    if (i < 3) {
      out.push(mmap());
    } else if (!forked && i > calls / 2 && chance(0.015)) {
      forked = true;
      out.push('@fork()');
    } else {
      out.push(draw());
    }
  }
  return out.join('\n') + '\n';
}

/**
 * A /proc/PID/maps dump of `n` one-page anonymous VMAs side by side from the
 * judge's window, alternating rw-p and r--p so that none merge: the large
 * space the benches and the size tests start from (65,530 is the kernel's
 * default vm.max_map_count).
 */
export function largeSpaceMaps(n: number): string {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const start = JUDGE_WINDOW_START + i * 0x1000;
    lines.push(
      `${start.toString(16)}-${(start + 0x1000).toString(16)} ${i % 2 ? 'r--p' : 'rw-p'} 00000000 00:00 0 `,
    );
  }
  return lines.join('\n') + '\n';
}
