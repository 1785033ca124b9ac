// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { runScenario, summarize, vmaRows } from '../../engine';
import { mapsPath, permLetters, rowTooltip, summaryTooltip, vmaText } from './describe';

function last(...lines: string[]) {
  const out = runScenario(lines.join('\n'));
  if (!out.ok) throw new Error(JSON.stringify(out.diagnostics));
  return out.steps[out.steps.length - 1].mm;
}

describe('describe', () => {
  it('prints permission bits as maps letters', () => {
    expect([1 | 2, 1 | 4, 1 | 8, 0].map(permLetters)).toEqual(['rw-p', 'r-xp', 'r--s', '---p']);
  });

  it('labels a VMA with its file, its bracketed name or its size', () => {
    expect(mapsPath('7f00-7f01 r--p 00000000 08:01 42   /usr/lib/libc.so.6')).toBe(
      '/usr/lib/libc.so.6',
    );
    expect(mapsPath('7f00-7f01 rw-p 00000000 00:00 0 ')).toBe('');
    const mm = last(
      'openat(AT_FDCWD, "/data/lib.so", O_RDWR|O_CREAT, 0600) = 3',
      'mmap(0x200000000000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_FIXED, 3, 0x3000)',
      'mmap(0x200000010000, 0x4000, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
      'madvise(0x200000011000, 0x1000, MADV_GUARD_INSTALL)',
    );
    const [file, anon] = vmaRows(mm);
    expect(vmaText(file)).toBe('lib.so');
    expect(vmaText(anon)).toBe('16 KiB');
    expect(rowTooltip(file)).toEqual([
      file.maps.trimEnd(),
      'VmFlags: rd mr mw me',
      `vma${file.id}: 8 KiB, file`,
      'file: /data/lib.so, offset 0x3000 (pgoff 3)',
      'anon_vma: none (no anonymous page yet)',
    ]);
    const tip = rowTooltip(anon);
    expect(tip[2]).toBe(`vma${anon.id}: 16 KiB, anonymous, 1 guard page`);
    expect(tip).toContain('guard markers: 200000011000-200000012000');
    expect(tip.find((l) => l.startsWith('anon_vma:'))).toMatch(/^anon_vma: av\d+$/);
    expect(summaryTooltip(summarize(mm), 1)[0]).toBe('200000010000-200000014000 rw-p');
  });
});
