// SPDX-License-Identifier: GPL-2.0-or-later
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutatedLine } from '../testing/arbitraries';
import { growthRatio, LINEAR_BOUND } from '../testing/growth';
import { formatDiagnostic } from './diagnostic';
import { checkpointStep, parseLesson, type Checkpoint } from './lesson';

const MMAP = 'mmap(0x200000000000, 8K, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';

/** A small lesson; `edit` changes its lines before it is read. */
function lesson(edit: (lines: string[]) => void = () => {}): string {
  const lines = [
    'title: One VMA', //                                                   1
    '', //                                                                 2
    '[scenario]', //                                                       3
    '# a comment line of the scenario', //                                 4
    `${MMAP} = 0x200000000000`, //                                         5
    'munmap(0x200000000000, 8K) = 0', //                                   6
    '', //                                                                 7
    '[checkpoint line 2 step __mmap_new_vma]', //                          8
    'A new VMA, with `code`', //                                           9
    'over two lines.', //                                                  10
    '', //                                                                 11
    'A second paragraph.', //                                              12
    '', //                                                                 13
    '[checkpoint line 2]', //                                              14
    'One line in maps.', //                                                15
    'maps:', //                                                            16
    '  200000000000-200000002000 r--p 00000000 00:00 0', //                17
    '', //                                                                 18
    'question: How many pages?', //                                        19
    '- 1', //                                                              20
    '* 2', //                                                              21
    '- `200000000000-200000002000 r--p`', //                               22
    'why: 8K is two pages', //                                             23
    'of 4K.', //                                                           24
    '', //                                                                 25
    '[checkpoint line 3]', //                                              26
    'Gone.', //                                                            27
    'maps:', //                                                            28
  ];
  edit(lines);
  return lines.join('\n');
}

/** The diagnostics of a lesson, as the command line prints them. */
function problems(text: string): string[] {
  const r = parseLesson(text, 'l');
  return r.ok ? [] : r.diagnostics.map(formatDiagnostic);
}

describe('parseLesson', () => {
  it('reads the title, the scenario as the editor holds it, and each checkpoint', () => {
    const r = parseLesson(lesson(), 'l');
    if (!r.ok) throw new Error(r.diagnostics.map(formatDiagnostic).join('\n'));
    const { title, scenario, scenarioFileLine, checkpoints } = r.lesson;
    expect(title).toBe('One VMA');
    expect(scenario).toBe(
      `# a comment line of the scenario\n${MMAP} = 0x200000000000\nmunmap(0x200000000000, 8K) = 0`,
    );
    expect(scenarioFileLine).toBe(4);
    expect(checkpoints).toEqual<Checkpoint[]>([
      {
        line: 2,
        step: '__mmap_new_vma',
        prose: ['A new VMA, with `code` over two lines.', 'A second paragraph.'],
        maps: null,
        question: null,
        fileLine: 8,
      },
      {
        line: 2,
        step: null,
        prose: ['One line in maps.'],
        maps: ['200000000000-200000002000 r--p 00000000 00:00 0'],
        question: {
          prompt: 'How many pages?',
          choices: [
            { text: '1', code: false },
            { text: '2', code: false },
            { text: '200000000000-200000002000 r--p', code: true },
          ],
          answer: 1,
          explanation: '8K is two pages of 4K.',
        },
        fileLine: 14,
      },
      { line: 3, step: null, prose: ['Gone.'], maps: [], question: null, fileLine: 26 },
    ]);
  });

  it('takes CRLF line ends and a byte-order mark', () => {
    const r = parseLesson(`\ufeff${lesson().replace(/\n/g, '\r\n')}`);
    expect(r.ok && r.lesson.checkpoints.length).toBe(3);
  });

  it('needs a title first', () => {
    expect(problems(lesson((l) => (l[0] = 'One VMA')))).toEqual([
      'l:1:1: a lesson starts with its title: `title: What a VMA is`',
    ]);
  });

  it('needs [scenario] after the title', () => {
    expect(problems(lesson((l) => (l[2] = '[scenarios]')))).toEqual([
      'l:3:2: a lesson has a [scenario] after its title',
    ]);
    expect(problems(lesson((l) => (l[1] = 'stray words')))).toEqual([
      'l:2:1: expected [scenario] after the title',
    ]);
  });

  it("reports the scenario's own problems at their place in the lesson file", () => {
    expect(problems(lesson((l) => (l[4] = l[4].replace('MAP_FIXED', 'MAP_FIXD'))))).toEqual([
      'l:5:63: unknown flag MAP_FIXD (did you mean MAP_FIXED?)',
    ]);
  });

  it('needs every call to state its result', () => {
    expect(problems(lesson((l) => (l[5] = 'munmap(0x200000000000, 8K)')))).toEqual([
      "l:6:1: munmap: a lesson's call states its result (= RESULT)",
    ]);
  });

  it('anchors each checkpoint at a line that holds a call, in order', () => {
    expect(problems(lesson((l) => (l[13] = '[checkpoint line 1]')))).toEqual([
      'l:14:18: line 1 of the scenario holds no call',
    ]);
    expect(problems(lesson((l) => (l[13] = '[checkpoint line two]')))).toEqual([
      'l:14:18: two is not a line number',
    ]);
    expect(
      problems(
        lesson((l) => (l[25] = '[checkpoint line 2]')).replace(
          '[checkpoint line 2]\nOne',
          '[checkpoint line 3]\nOne',
        ),
      ),
    ).toEqual(["l:26:2: checkpoints go in the scenario's order: line 2 comes after line 3"]);
    expect(problems(lesson((l) => (l[25] = '[checkpoint 3]')))).toEqual([
      'l:26:2: unknown section [checkpoint 3]; expected [checkpoint line N]',
    ]);
  });

  it('needs a checkpoint, and prose in each', () => {
    expect(problems(lesson((l) => l.splice(7)))).toEqual([
      'l:3:2: a lesson has at least one [checkpoint line N] after its scenario',
    ]);
    expect(problems(lesson((l) => l.splice(8, 5)))).toEqual([
      'l:8:1: a checkpoint says something: add its prose',
    ]);
  });

  it('states maps only after a whole call, once, as maps lines', () => {
    expect(problems(lesson((l) => l.splice(9, 0, 'maps:')))).toEqual([
      'l:10:1: maps are stated after a whole call: the kernel shows no state inside one',
    ]);
    expect(problems(lesson((l) => (l[16] = '  200000000000 r--p')))).toEqual([
      'l:17:3: not a maps line',
    ]);
    expect(problems(lesson((l) => l.splice(17, 0, 'maps:')))).toEqual([
      'l:18:1: a checkpoint states its maps once',
    ]);
    expect(problems(lesson((l) => (l[14] = '  indented prose')))).toEqual([
      'l:15:1: an indented line belongs in a `maps:` block',
    ]);
  });

  it('needs a question to have a prompt, two choices, one right, and why', () => {
    expect(problems(lesson((l) => (l[18] = 'question:')))).toEqual([
      'l:19:10: a question has its prompt after `question:`',
    ]);
    expect(problems(lesson((l) => (l[20] = '- 2')))).toEqual([
      'l:19:1: a question marks exactly one choice right with `*`',
    ]);
    expect(problems(lesson((l) => l.splice(19, 2)))).toEqual([
      'l:19:1: a question has at least two choices',
      'l:19:1: a question marks exactly one choice right with `*`',
    ]);
    expect(problems(lesson((l) => l.splice(22, 2)))).toEqual([
      'l:19:1: a question explains its answer with `why:`',
    ]);
    expect(problems(lesson((l) => (l[21] = '+ 3')))).toEqual([
      'l:22:1: expected a choice (`- ` or `* `) or `why:`',
    ]);
    expect(
      problems(lesson((l) => l.splice(25, 0, 'question: Again?', '- a', '* b', 'why: c'))),
    ).toEqual(['l:26:1: a checkpoint asks one question']);
  });

  it('counts columns in code points', () => {
    const crab = 'openat(AT_FDCWD, "/🦀", O_RDWR|O_CREATE, 0600) = 3';
    expect(problems(lesson((l) => l.splice(5, 0, crab)))).toEqual([
      'l:6:31: unknown flag O_CREATE (did you mean O_CREAT?)',
    ]);
  });
});

describe('checkpointStep', () => {
  // Steps: 0 start; call 0 (line 2): 1 __get_unmapped_area, 2 __mmap_new_vma, 3 sys_mmap;
  // call 1 (line 3): 4 __split_vma, 5 sys_munmap.
  const fns = [
    'mm_init',
    '__get_unmapped_area',
    '__mmap_new_vma',
    'sys_mmap',
    '__split_vma',
    'sys_munmap',
  ];
  const calls = [-1, 0, 0, 0, 1, 1];
  const run = {
    calls: [
      { line: 2, lastStep: 3 },
      { line: 3, lastStep: 5 },
    ],
    stepCall: (s: number) => calls[s],
    stepFn: (s: number) => fns[s],
  };
  const at = (line: number, step: string | null = null) =>
    checkpointStep({ line, step, prose: [], maps: null, question: null, fileLine: 1 }, run);

  it("stops after the call on the checkpoint's line, or at its named step", () => {
    expect(at(2)).toBe(3);
    expect(at(3)).toBe(5);
    expect(at(2, '__mmap_new_vma')).toBe(2);
    expect(at(3, '__split_vma')).toBe(4);
  });

  it('finds no step for a line without a call or a function the call did not run', () => {
    expect(at(1)).toBeNull();
    expect(at(3, '__mmap_new_vma')).toBeNull();
  });
});

describe('parseLesson on damaged input', () => {
  const seeds = lesson()
    .split('\n')
    .filter((l) => l !== '');
  const pieces = [
    '[',
    ']',
    '`',
    '*',
    '- ',
    ' ',
    'maps:',
    'why:',
    'question:',
    '\r',
    '\ud83d\ude00',
    '\n',
  ];
  /** A lesson's lines cut, spliced and mixed, maybe with a byte-order mark. */
  const damaged = fc
    .tuple(fc.array(mutatedLine(seeds, pieces), { maxLength: 30 }), fc.boolean())
    .map(([ls, bom]) => (bom ? '\ufeff' : '') + ls.join('\n'));

  it('never throws, and names only lines and columns of the input', () => {
    fc.assert(
      fc.property(damaged, (text) => {
        const r = parseLesson(text);
        const lines = text.replace(/^\ufeff/, '').split('\n');
        for (const d of r.ok ? [] : r.diagnostics) {
          expect(d.line).toBeGreaterThanOrEqual(1);
          expect(d.line).toBeLessThanOrEqual(lines.length);
          expect(d.column).toBeGreaterThanOrEqual(1);
          expect(d.column).toBeLessThanOrEqual(
            [...lines[d.line - 1].replace(/\r$/, '')].length + 1,
          );
        }
      }),
      { numRuns: 300 },
    );
  });

  it('does work linear in the number of checkpoints', () => {
    const head = lesson().split('[checkpoint')[0];
    const checkpoint =
      '[checkpoint line 2]\nProse.\nmaps:\n  200000000000-200000002000 r--p 0 00:00 0\n';
    const ratio = growthRatio((n) => parseLesson(head + checkpoint.repeat(n)), 2_000);
    expect(ratio).toBeLessThan(LINEAR_BOUND);
  });
});
