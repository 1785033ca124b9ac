// SPDX-License-Identifier: GPL-2.0-or-later
// The merge predicates' reasons (note() and its NoteReason functions in
// vma.ts): each names what the check compared, in the kernel's order.
import { describe, expect, it } from 'vitest';
import { runScenario, type RunOutput } from '../../timeline/run';

type Ran = Extract<RunOutput, { ok: true }>;
const RW = 'PROT_READ|PROT_WRITE';
/** The address of page `n` of the window the scenarios use. */
const at = (n: number): string => `0x${(0x200000000000 + n * 0x1000).toString(16)}`;
/** `pages` pages at page `page`, private and anonymous unless `flags` and `fd` say otherwise. */
const mmap = (
  page: number,
  pages: number,
  prot = RW,
  flags = 'MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED',
  fd = -1,
): string => `mmap(${at(page)}, ${pages * 0x1000}, ${prot}, ${flags}, ${fd}, 0)`;

function run(lines: string[]): Ran {
  const out = runScenario(lines.join('\n'), 'scn', { trace: true });
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out;
}

/** Every predicate of a run, as `fn: reason`. */
const reasons = (out: Ran): string[] =>
  out.steps.flatMap((s) => s.predicates?.map((p) => `${p.fn}: ${p.reason}`) ?? []);

describe('merge predicates', () => {
  it("words each merge predicate's refusal or verdict from what it compared", () => {
    // Neighbours of other flags.
    expect(reasons(run([mmap(0, 1), mmap(1, 1, 'PROT_READ')]))).toContainEqual(
      expect.stringMatching(/^is_mergeable_vma: flags differ \(rd wr .* vs rd .*\)$/),
    );
    // Two files side by side.
    const files = reasons(
      run([
        'openat(AT_FDCWD, "/data/a", O_RDWR)',
        'openat(AT_FDCWD, "/data/b", O_RDWR)',
        mmap(0, 1, RW, 'MAP_SHARED|MAP_FIXED', 3),
        mmap(1, 1, RW, 'MAP_SHARED|MAP_FIXED', 4),
      ]),
    );
    expect(files).toContainEqual('is_mergeable_vma: files differ (/data/a vs /data/b)');
    // A touched VMA keeps its pgoff where mremap puts it.
    const moved = reasons(
      run([
        mmap(0, 2),
        mmap(4, 2),
        mmap(8, 2),
        `@touch(${at(8)})`,
        `mremap(${at(8)}, 0x2000, 0x2000, MREMAP_MAYMOVE|MREMAP_FIXED, ${at(2)})`,
      ]),
    );
    expect(moved).toContainEqual(
      expect.stringMatching(
        /^can_vma_merge_after: pgoff not contiguous \(0x[0-9a-f]+ vs 0x[0-9a-f]+\)$/,
      ),
    );
    expect(moved).toContainEqual(
      expect.stringMatching(
        /^can_vma_merge_before: pgoff not contiguous \(0x[0-9a-f]+ vs 0x[0-9a-f]+\)$/,
      ),
    );
    // The untouched VMA it lands next to would take its anon_vma.
    expect(moved).toContainEqual(
      expect.stringMatching(/^is_mergeable_anon_vma: vma\d+ takes av\d+$/),
    );
    // A written VMA forked with its pages, made like its untouched
    // neighbour again: its own anon_vma chain is not singular.
    const again = run([
      mmap(1, 1),
      `@touch(${at(1)})`,
      '@fork()',
      `madvise(${at(1)}, 0x1000, MADV_DONTFORK)`,
      mmap(0, 1),
      `madvise(${at(1)}, 0x1000, MADV_DOFORK)`,
    ]);
    const refused = again.steps.find((st) =>
      st.predicates?.some((p) => p.reason.includes('came from fork')),
    );
    expect(reasons(again)).toContain(
      `is_mergeable_anon_vma: ${refused?.vmg?.middle} came from fork (anon_vma chain not singular)`,
    );
    // A neighbour forked with its pages: its anon_vma chain is not singular.
    const forked = reasons(run([mmap(0, 2), `@touch(${at(0)})`, '@fork()', mmap(2, 2)]));
    expect(forked).toContainEqual(
      expect.stringMatching(
        /^is_mergeable_anon_vma: vma\d+ came from fork \(anon_vma chain not singular\)$/,
      ),
    );
  });
});
