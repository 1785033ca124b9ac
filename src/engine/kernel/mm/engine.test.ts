// SPDX-License-Identifier: GPL-2.0-or-later
// The engine's behaviour where Linux 6.18 surprises (shared/docs/kernel-notes.md,
// each checked on the judge's machine), its trace, fault injection and the
// unprivileged profile. The validators run after every call.
import { describe, expect, it } from 'vitest';
import {
  mapsLines,
  runScenario,
  smapsLines,
  type RunOptions,
  type RunOutput,
} from '../../timeline/run';
import { generateScenario } from '../../scenario/generate';
import { vmaList } from './mm-snapshot';
import { LINUX_6_18, unprivileged } from '../../world/kernel-profile';

type Ran = Extract<RunOutput, { ok: true }>;
const RW = 'PROT_READ|PROT_WRITE';
const ANON = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED';
const A = 0x200000000000;
const at = (pages: number): string => '0x' + (A + pages * 0x1000).toString(16);
const mmap = (page: number, pages: number, prot = RW, flags = ANON, fd = -1, off = 0): string =>
  `mmap(${at(page)}, ${pages * 0x1000}, ${prot}, ${flags}, ${fd}, ${off})`;

function run(lines: string[], options: RunOptions = {}): Ran {
  const out = runScenario(lines.join('\n'), 'scn', { validate: true, ...options });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}
const last = (out: Ran) => out.steps[out.steps.length - 1].mm;
const rets = (out: Ran) => out.calls.map((c) => c.ret);

describe('Linux 6.18 behaviour the engine models', () => {
  it('mprotect drops VM_ACCOUNT only from untouched private anonymous memory', () => {
    const out = run([
      mmap(0, 2),
      mmap(4, 2),
      '@touch(' + at(4) + ')',
      `mprotect(${at(0)}, 0x2000, PROT_READ)`,
      `mprotect(${at(4)}, 0x2000, PROT_READ)`,
    ]);
    expect(smapsLines(last(out))).toEqual([
      '200000000000-200000002000 r--p 00000000 00:00 0 ',
      'VmFlags: rd mr mw me ',
      '200000004000-200000006000 r--p 00000000 00:00 0 ',
      'VmFlags: rd mr mw me ac ',
    ]);
  });

  it('mremap keeps the pgoff of a touched VMA, so it does not merge at its new place', () => {
    const untouched = run([
      mmap(0, 2),
      mmap(8, 2),
      `mremap(${at(8)}, 0x2000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(2)})`,
    ]);
    expect(mapsLines(last(untouched))).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
    ]);
    const touched = run([
      mmap(0, 2),
      mmap(8, 2),
      `@touch(${at(8)})`,
      `mremap(${at(8)}, 0x2000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(2)})`,
    ]);
    expect(mapsLines(last(touched))).toHaveLength(2);
  });

  it('MADV_GUARD_INSTALL marks the whole VMA gu without a split; touching the guard faults', () => {
    const out = run([
      mmap(0, 4),
      `madvise(${at(1)}, 0x1000, MADV_GUARD_INSTALL)`,
      `@touch(${at(1)})`,
      `@touch(${at(2)})`,
      `madvise(${at(1)}, 0x1000, MADV_GUARD_REMOVE)`,
      `@touch(${at(1)})`,
    ]);
    expect(rets(out)).toEqual(['0x200000000000', '0', 'SIGSEGV', '0', '0', '0']);
    expect(smapsLines(last(out))[1]).toBe('VmFlags: rd wr mr mw me gu ac ');
  });

  it('after fork a copied touched VMA does not merge with a new neighbour', () => {
    const out = run([mmap(0, 2), `@touch(${at(0)})`, '@fork()', mmap(2, 2)]);
    expect(mapsLines(last(out))).toHaveLength(2);
    const step = out.steps.find((s) => s.fn === 'vma_merge_new_range');
    expect(step?.predicates?.some((p) => /fork/.test(p.reason) && !p.pass)).toBe(true);
  });

  it('a munmap that reaches a sealed VMA fails with EPERM and leaves its split behind', () => {
    const out = run([
      mmap(0, 4),
      mmap(4, 2, 'PROT_READ'),
      `mseal(${at(4)}, 0x2000, 0)`,
      `munmap(${at(2)}, 0x4000)`,
    ]);
    expect(rets(out)[3]).toBe('-1 EPERM');
    expect(mapsLines(last(out))).toEqual([
      '200000000000-200000002000 rw-p 00000000 00:00 0 ',
      '200000002000-200000004000 rw-p 00000000 00:00 0 ',
      '200000004000-200000006000 r--p 00000000 00:00 0 ',
    ]);
    expect(smapsLines(last(out))[5]).toBe('VmFlags: rd mr mw me sl ');
  });

  it('touching the grown part of shared anonymous memory raises SIGBUS', () => {
    const out = run([
      mmap(0, 2, RW, 'MAP_SHARED|MAP_ANONYMOUS|MAP_FIXED'),
      `mremap(${at(0)}, 0x2000, 0x4000, 0)`,
      `@touch(${at(1)})`,
      `@touch(${at(2)})`,
    ]);
    expect(rets(out)).toEqual(['0x200000000000', '0x200000000000', '0', 'SIGBUS']);
  });

  it('prctl(PR_SET_VMA_ANON_NAME) is EINVAL without CONFIG_ANON_VMA_NAME', () => {
    const out = run([mmap(0, 1), `prctl(PR_SET_VMA, PR_SET_VMA_ANON_NAME, ${at(0)}, 0x1000, "x")`]);
    expect(rets(out)[1]).toBe('-1 EINVAL');
  });

  it('a MAP_GROWSDOWN stack grows on a touch below it, unless a mapping lies in the guard gap', () => {
    const out = run([
      mmap(300, 2, RW, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED|MAP_GROWSDOWN'),
      `@touch(${at(298)})`,
      mmap(0, 1),
      `@touch(${at(200)})`,
    ]);
    expect(rets(out)).toEqual(['0x20000012c000', '0', '0x200000000000', 'SIGSEGV']);
    expect(mapsLines(last(out))[1]).toBe('20000012a000-20000012e000 rw-p 00000000 00:00 0 ');
  });

  it('places a NULL mapping top-down, and a 2 MiB multiple on a 2 MiB boundary', () => {
    const out = run([
      'mmap(NULL, 0x1000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
      'mmap(NULL, 0x200000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
    ]);
    expect(rets(out)).toEqual(['0x2ffffffff000', '0x2fffffc00000']);
  });

  it('gives the errno of each failure', () => {
    const out = run([
      'munmap(0x200000000001, 0x1000)',
      mmap(0, 1, RW, 'MAP_PRIVATE|MAP_FIXED', 9),
      `mprotect(${at(0)}, 0x1000, PROT_READ)`,
      mmap(0, 1),
      mmap(0, 1, RW, 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED_NOREPLACE'),
      `madvise(${at(0)}, 0x2000, MADV_DONTDUMP)`,
      `mlock2(${at(0)}, 0x1000, 8)`,
      `mremap(${at(5)}, 0x1000, 0x2000, MREMAP_MAYMOVE)`,
    ]);
    expect(rets(out)).toEqual([
      '-1 EINVAL',
      '-1 EBADF',
      '-1 ENOMEM',
      '0x200000000000',
      '-1 EEXIST',
      '-1 ENOMEM',
      '-1 EINVAL',
      '-1 EFAULT',
    ]);
  });

  it('refuses a split beyond max_map_count with ENOMEM', () => {
    const out = run([mmap(0, 4), `mprotect(${at(1)}, 0x1000, PROT_READ)`], {
      kernel: { ...LINUX_6_18, maxMapCount: 2 },
    });
    expect(rets(out)[1]).toBe('-1 ENOMEM');
  });
});

describe('the unprivileged profile (RLIMIT_MEMLOCK 8 MiB, no CAP_IPC_LOCK)', () => {
  it('fails locks past the limit with EAGAIN (mmap) and ENOMEM (mlock)', () => {
    const big = 'mmap(NULL, 0x1000000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_LOCKED, -1, 0)';
    expect(rets(run([big], { kernel: unprivileged(LINUX_6_18) }))).toEqual(['-1 EAGAIN']);
    const out = run(
      [
        'mmap(NULL, 0x1000000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0)',
        'mlockall(MCL_CURRENT)',
      ],
      {
        kernel: unprivileged(LINUX_6_18),
      },
    );
    expect(rets(out)[1]).toBe('-1 ENOMEM');
    expect(rets(run([big]))[0]).toMatch(/^0x/);
  });
});

describe('the trace', () => {
  it('records the merge state and every predicate with its reason', () => {
    const out = run([mmap(0, 2), `@touch(${at(0)})`, mmap(4, 2), `@touch(${at(4)})`, mmap(2, 2)]);
    const merge = out.steps.filter((s) => s.fn === 'vma_merge_new_range').pop();
    expect(merge?.vmg).toMatchObject({
      prev: expect.stringMatching(/^vma/),
      state: expect.any(String),
    });
    expect(merge?.predicates?.map((p) => p.fn)).toContain('is_mergeable_anon_vma');
    expect(merge?.message).toMatch(/merge/);
    // prev and next have different anon_vmas: only prev takes the range.
    expect(mapsLines(last(out))).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
      '200000004000-200000006000 rw-p 00000000 00:00 0 ',
    ]);
    expect(merge?.predicates?.some((p) => /anon_vmas differ \(av1 vs av2\)/.test(p.reason))).toBe(
      true,
    );
    const av = run([
      mmap(0, 2),
      mmap(2, 2),
      `@touch(${at(0)})`,
      `@touch(${at(2)})`,
      `mprotect(${at(2)}, 0x1000, PROT_READ)`,
      `mprotect(${at(2)}, 0x1000, ${RW})`,
    ]);
    expect(
      av.steps.some((s) =>
        s.predicates?.some((p) =>
          /anon_vma differs \(av\d+ vs av\d+\)|same anon_vma/.test(p.reason),
        ),
      ),
    ).toBe(true);
  });

  it('shows a merge decision with the merge state its verdict leaves', () => {
    const anonOf = (out: Ran, page: number): string | null => {
      const v = vmaList(last(out)).find((x) => x.vm_start === A + page * 0x1000);
      return v?.anon_vma == null ? null : `av${v.anon_vma}`;
    };
    // A new range merges into a written vma1: it lives on with vma1's anon_vma.
    const grown = run([mmap(0, 1), `@touch(${at(0)})`, mmap(1, 1)]);
    const decision = grown.steps.filter((s) => s.fn === 'vma_merge_new_range').pop();
    expect(decision?.message).toMatch(/^merge: vma\d+ grows up over the range/);
    expect(decision?.predicates?.some((p) => /takes vma\d+'s av\d+/.test(p.reason))).toBe(true);
    expect(decision?.vmg).toMatchObject({
      state: 'VMA_MERGE_SUCCESS',
      anon_vma: anonOf(grown, 0),
    });
    expect(anonOf(grown, 0)).toMatch(/^av\d+$/);
    // An untouched VMA given its written neighbour's protection merges into
    // it and takes its anon_vma (vmg->anon_vma, its own, is none).
    const back = run([
      mmap(0, 1),
      `@touch(${at(0)})`,
      mmap(1, 1, 'PROT_READ'),
      `mprotect(${at(1)}, 0x1000, ${RW})`,
    ]);
    const existing = back.steps.filter((s) => s.fn === 'vma_merge_existing_range').pop();
    expect(existing?.message).toMatch(/^merge:/);
    expect(existing?.vmg).toMatchObject({
      state: 'VMA_MERGE_SUCCESS',
      anon_vma: anonOf(back, 0),
    });
    // A refused merge keeps the range's own state.
    const apart = run([mmap(0, 1), mmap(1, 1, 'PROT_READ')]);
    const no = apart.steps.filter((s) => s.fn === 'vma_merge_new_range').pop();
    expect(no?.message).toMatch(/^no merge/);
    expect(no?.vmg).toMatchObject({ state: 'VMA_MERGE_NOMERGE', anon_vma: null });
  });

  it('keeps one step per call with tracing off, with the same result', () => {
    const text = generateScenario(7, 120);
    const on = runScenario(text, 'scn', { trace: true });
    const off = runScenario(text, 'scn', { trace: false });
    if (!on.ok || !off.ok) throw new Error('did not run');
    expect(off.steps).toHaveLength(off.calls.length + 1);
    expect(smapsLines(off.steps[off.steps.length - 1].mm)).toEqual(
      smapsLines(on.steps[on.steps.length - 1].mm),
    );
    expect(on.steps.length).toBeGreaterThan(off.steps.length);
  });

  it('keeps each earlier snapshot as it was', () => {
    const out = run([mmap(0, 4), `munmap(${at(1)}, 0x1000)`]);
    expect(mapsLines(out.steps[out.calls[0].lastStep].mm)).toEqual([
      '200000000000-200000004000 rw-p 00000000 00:00 0 ',
    ]);
  });
});

describe('fault injection', () => {
  it('fails each allocation site with the errno the kernel returns there', () => {
    for (const seed of [11, 5]) failEachAllocation(seed);
  });

  function failEachAllocation(seed: number): void {
    const text = generateScenario(seed, 80);
    const clean = runScenario(text, 'scn', { trace: false });
    if (!clean.ok) throw new Error('did not run');
    const kinds = new Set<string>();
    let previousCall = -1;
    let checked = 0;
    for (let n = 1; n <= 120; n++) {
      const out = runScenario(text, 'scn', { failAllocation: n, validate: true });
      if (!out.ok) throw new Error('did not run');
      const inj = out.steps.find((s) => s.source === 'fault injection');
      if (!inj) continue;
      kinds.add(/\((\w+)\)/.exec(inj.message)?.[1] ?? '');
      const call = out.calls[inj.call];
      const name = call.call.split('(')[0];
      const before = inj.call > 0 ? out.steps[out.calls[inj.call - 1].lastStep].mm : null;
      const steps = out.steps.filter((s) => s.call === inj.call);
      const anon = inj.fn === 'anon_vma_chain_alloc' || inj.fn === 'anon_vma_alloc';
      const moved = steps.findIndex((s) => s.fn === 'move_page_tables');
      const at = steps.indexOf(inj);
      let expected: string;
      if (name === 'brk') {
        // brk() answers a failure with the break it had.
        expected = '0x' + (before?.brk ?? 0).toString(16);
      } else if (name === '@touch' || name === '@read') {
        // VM_FAULT_OOM on a user access: the model's process gets SIGSEGV.
        expected = 'SIGSEGV';
      } else if (anon && (name === 'mmap' || name === 'mlockall')) {
        // MAP_POPULATE, MAP_LOCKED and mlockall() ignore populate errors.
        expected = clean.calls[inj.call].ret;
      } else if (
        name === 'mmap' &&
        steps[at - 1]?.fn === 'vma_merge_new_range' &&
        steps[at - 1].message.startsWith('merge:')
      ) {
        // __mmap_region(): a merge out of memory falls back to a new VMA.
        expected = clean.calls[inj.call].ret;
      } else if (name === 'mremap' && steps.slice(at).some((s) => s.fn === 'copy_vma')) {
        // copy_vma(): likewise, a copy of its own.
        expected = clean.calls[inj.call].ret;
      } else if (name === 'mremap' && moved >= 0 && moved < at) {
        // unmap_source_vma(): an unmap that fails after the move only fixes
        // the accounting; the move stands.
        expected = clean.calls[inj.call].ret;
      } else if (name === 'madvise') {
        expected = '-1 EAGAIN';
      } else if (name === 'mlock' && anon) {
        // __mlock_posix_error_return(): the populate's ENOMEM is EAGAIN.
        expected = '-1 EAGAIN';
      } else {
        expected = '-1 ENOMEM';
      }
      expect(call.ret, `${call.call}, ${inj.fn}`).toBe(expected);
      // The call's first allocation fails before anything changed: mmap,
      // munmap, brk and faults leave the VMAs as they were.
      const first = inj.call !== previousCall;
      previousCall = inj.call;
      if (first && before && ['mmap', 'munmap', 'brk', '@touch', '@read'].includes(name)) {
        const after = out.steps[call.lastStep].mm;
        expect(vmaList(after), `${call.call}, ${inj.fn}`).toEqual(vmaList(before));
        expect(after.map_count).toBe(before.map_count);
        expect(after.total_vm).toBe(before.total_vm);
        checked++;
      }
    }
    expect([...kinds].sort()).toEqual(['anon_vma', 'maple', 'vma']);
    expect(checked).toBeGreaterThan(10);
  }

  it('an mprotect merge that fails after dup_anon_vma gives the anon_vma back', () => {
    // A touched VMA becomes read-only like the untouched one above it: next
    // grows down over it and first takes its anon_vma (dup_anon_vma). When the
    // tree preallocation then fails, vma_merge_existing_range() leaves through
    // `abort:` and unlink_anon_vmas() drops it again.
    const lines = [
      mmap(0, 2, RW, `${ANON}|MAP_NORESERVE`),
      `mprotect(${at(1)}, 0x1000, PROT_READ)`,
      `@touch(${at(0)})`,
      `mprotect(${at(0)}, 0x1000, PROT_READ)`,
    ];
    const merged = run(lines);
    expect(mapsLines(last(merged))).toEqual(['200000000000-200000002000 r--p 00000000 00:00 0 ']);
    // The allocation the merge's commit_merge() makes (the seventh today).
    const failing = Array.from({ length: 20 }, (_, i) => i + 1).find((n) => {
      const inj = run(lines, { failAllocation: n }).steps.find(
        (s) => s.source === 'fault injection',
      );
      return inj?.call === 3 && inj.fn === 'vma_iter_prealloc';
    });
    expect(failing).toBeDefined();
    const out = run(lines, { failAllocation: failing });
    expect(rets(out)[3]).toBe('-1 ENOMEM');
    expect(out.steps.filter((s) => s.call === 3).map((s) => s.fn)).toEqual(
      expect.arrayContaining(['dup_anon_vma', 'unlink_anon_vmas']),
    );
    const before = out.steps[out.calls[2].lastStep].mm;
    expect(vmaList(last(out))).toEqual(vmaList(before));
    expect(vmaList(last(out)).map((v) => v.anon_vma !== null)).toEqual([true, false]);
  });
});

describe('a real program', () => {
  it('replays sort(1) from its starting smaps to exactly its final smaps', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { loadProcMaps } = await import('../../timeline/load-proc-maps');
    const dir = join(__dirname, '../../../../public/scenarios/real-program');
    const start = loadProcMaps(readFileSync(join(dir, 'sort.start.smaps'), 'utf8'), 'start');
    const end = loadProcMaps(readFileSync(join(dir, 'sort.end.smaps'), 'utf8'), 'end');
    if (!start.ok || !end.ok) throw new Error('fixtures did not load');
    const out = runScenario(readFileSync(join(dir, 'sort.strace'), 'utf8'), 'sort.strace', {
      initial: start.mm,
      pid: 'all',
      validate: true,
    });
    if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
    expect(out.calls.filter((c) => !c.match)).toEqual([]);
    // The files the log maps itself (locales) print 00:00 0: a strace log
    // does not say their device and inode. The loaded ones keep theirs.
    const loaded = new Set(smapsLines(start.mm).map((l) => l.slice(73)));
    const unknownDevice = (l: string): string => {
      const m = /^(\S+ \S+ \S+) (\S+ \d+) +(\/.*)$/.exec(l);
      if (!m || loaded.has(m[3])) return l;
      return `${m[1]} 00:00 0 `.padEnd(72) + ' ' + m[3];
    };
    expect(smapsLines(last(out))).toEqual(smapsLines(end.mm).map(unknownDevice));
    expect(smapsLines(last(out)).filter((l) => / fe:00 /.test(l)).length).toBeGreaterThan(10);
    expect(smapsLines(last(out)).slice(-2)[0]).toMatch(/ \[vsyscall\]$/);
  });
});
