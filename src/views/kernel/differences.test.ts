// SPDX-License-Identifier: GPL-2.0-or-later
import { describe, expect, it } from 'vitest';
import { LINUX_6_18 } from '../../engine';
import { describeProfile, profileChanges } from './differences';

describe('kernel profile differences', () => {
  it('names each setting that differs from linux-6.18 with its value, in order', () => {
    const host = {
      ...LINUX_6_18,
      name: 'host',
      description: 'probed',
      thp: 'madvise' as const,
      zeroPage: false,
      overcommit: { ...LINUX_6_18.overcommit, memory: 2 as const },
      rlimits: { ...LINUX_6_18.rlimits, memlock: 64 * 1024, stack: null },
    };
    expect(profileChanges(host)).toEqual([
      'zeroPage off',
      'thp madvise',
      'overcommit.memory 2',
      'rlimits.memlock 64K',
      'rlimits.stack unlimited',
    ]);
    expect(describeProfile(host)).toBe(
      'host: zeroPage off, thp madvise, overcommit.memory 2, rlimits.memlock 64K, rlimits.stack unlimited',
    );
  });

  it('says a profile with the mainline settings is just that', () => {
    expect(profileChanges(LINUX_6_18)).toEqual([]);
    expect(describeProfile(LINUX_6_18)).toBe('linux-6.18: mainline defaults');
    expect(describeProfile({ ...LINUX_6_18, name: 'mine' })).toBe(
      'mine: the settings of linux-6.18',
    );
  });
});
