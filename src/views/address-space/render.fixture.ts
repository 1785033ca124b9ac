// SPDX-License-Identifier: GPL-2.0-or-later
// The address space the render tests draw, made by the engine from a
// scenario: every kind of mark the drawings have, in four VMAs.
import { loadProcMaps, runScenario, summarize, vmaRows } from '../../engine';
import { recordingCanvas } from '../viewport/dom-testing.fixture';
import { DEFAULT_LAYOUT, layoutRanges } from './layout';

const anon = (addr: string, len: string, prot = 'PROT_READ|PROT_WRITE') =>
  `mmap(${addr}, ${len}, ${prot}, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)`;

/** A file mapping, a sealed half, a guard page and a far mapping past a break. */
export function seededSpace() {
  const out = runScenario(
    [
      'openat(AT_FDCWD, "/data/lib.so", O_RDWR|O_CREAT, 0600) = 3',
      'mmap(0x200000000000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x3000)',
      anon('0x200000010000', '0x4000'),
      'mseal(0x200000012000, 0x2000, 0)',
      anon('0x7f0000000000', '0x8000', 'PROT_READ'),
      'madvise(0x7f0000001000, 0x1000, MADV_GUARD_INSTALL)',
    ].join('\n'),
  );
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  const mm = out.steps[out.steps.length - 1].mm;
  const summary = summarize(mm);
  const layout = layoutRanges(summary.starts, summary.ends, { ...DEFAULT_LAYOUT, width: 800 });
  return { summary, rows: vmaRows(mm), layout };
}

/** `n` one-page anonymous VMAs two pages apart: a space far wider than the line, laid out at 800 px. */
export function manyVmas(n: number) {
  const hex = (a: number) => a.toString(16);
  const lines = Array.from({ length: n }, (_, i) => {
    const start = 0x200000000000 + i * 0x3000;
    return `${hex(start)}-${hex(start + 0x1000)} rw-p 00000000 00:00 0 `;
  });
  const loaded = loadProcMaps(lines.join('\n') + '\n', 'maps');
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.diagnostics));
  const summary = summarize(loaded.mm);
  return { summary, layout: layoutRanges(summary.starts, summary.ends, DEFAULT_LAYOUT) };
}

/** A recording canvas with colours as the theme's stylesheet gives them, so that each kind shows. */
export function themedCanvas() {
  const c = recordingCanvas();
  c.canvas.style.setProperty('--anon', '#4e79a7');
  c.canvas.style.setProperty('--file', '#f28e2b');
  return c;
}
