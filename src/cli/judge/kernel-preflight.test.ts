// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { missingForKernelTests, type Machine } from './kernel-preflight';

const good: Machine = {
  platform: 'linux',
  release: '6.18.44-fc-v1300',
  uid: 0,
  hasCompiler: () => true,
  cc: 'gcc',
};

describe('the live-kernel suites refuse to run unjudged', () => {
  it('run on Linux 6.18 as root with a compiler', () => {
    expect(missingForKernelTests(good)).toEqual([]);
  });

  it('name everything a laptop lacks', () => {
    expect(
      missingForKernelTests({ ...good, platform: 'darwin', uid: 501, hasCompiler: () => false }),
    ).toEqual([
      'Linux (this is darwin): the suites run real system calls',
      'root: the judge locks memory and reads every setting of the kernel',
      'a C compiler (gcc): the judge builds its runner with it',
    ]);
  });

  it('name another kernel release', () => {
    expect(missingForKernelTests({ ...good, release: '6.12.117-amd64' })).toEqual([
      'Linux 6.18 (this kernel is 6.12.117-amd64): the engine models 6.18',
    ]);
  });
});
