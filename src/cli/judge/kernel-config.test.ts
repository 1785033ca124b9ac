// SPDX-License-Identifier: GPL-2.0-or-later
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { kernelConfig, parseKernelConfig } from './kernel-config';

describe('kernel configuration', () => {
  it('reads set, unset and valued options', () => {
    const config = parseKernelConfig(
      [
        '# Automatically generated file; DO NOT EDIT.',
        'CONFIG_64BIT=y',
        '# CONFIG_ANON_VMA_NAME is not set',
        'CONFIG_PGTABLE_LEVELS=5',
        'CONFIG_LOCALVERSION="-fc"',
        'CONFIG_KSM=m',
      ].join('\n'),
    );
    expect([...config]).toEqual([
      ['CONFIG_64BIT', 'y'],
      ['CONFIG_ANON_VMA_NAME', 'n'],
      ['CONFIG_PGTABLE_LEVELS', '5'],
      ['CONFIG_LOCALVERSION', '"-fc"'],
      ['CONFIG_KSM', 'm'],
    ]);
  });

  it('gunzips a config.gz, and gives an empty map when there is none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vma-config-'));
    const file = join(dir, 'config.gz');
    writeFileSync(file, gzipSync('CONFIG_MEM_SOFT_DIRTY=y\n'));
    expect(kernelConfig(file)).toEqual(new Map([['CONFIG_MEM_SOFT_DIRTY', 'y']]));
    rmSync(dir, { recursive: true });
    expect(kernelConfig(join(tmpdir(), 'no-such-config.gz')).size).toBe(0);
  });
});
