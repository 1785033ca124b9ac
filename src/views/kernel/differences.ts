// SPDX-License-Identifier: GPL-2.0-or-later
// What a kernel profile changes, in words a teacher can read next to the
// results: the settings that differ from linux-6.18, with their values, in
// the profile's own order (the fault and THP settings first).
import { LINUX_6_18, profileDifferences, type KernelProfile } from '../../engine';

/** Bytes as the scenario format writes them: `8M`, `64K`, else the number. */
function bytes(n: number): string {
  for (const [unit, size] of [
    ['G', 2 ** 30],
    ['M', 2 ** 20],
    ['K', 2 ** 10],
  ] as const) {
    if (n >= size && n % size === 0) return `${n / size}${unit}`;
  }
  return String(n);
}

function valueAt(profile: KernelProfile, path: string): unknown {
  let v: unknown = profile;
  for (const key of path.split('.')) v = (v as Record<string, unknown>)[key];
  return v;
}

function shown(path: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  if (value === null) return 'unlimited';
  if (path.startsWith('rlimits.') && typeof value === 'number') return bytes(value);
  return String(value);
}

/** Each setting `profile` differs from linux-6.18 in: `zeroPage off`, `thp madvise`. */
export function profileChanges(profile: KernelProfile): string[] {
  return profileDifferences(LINUX_6_18, profile).map(
    (path) => `${path} ${shown(path, valueAt(profile, path))}`,
  );
}

/** What the profile changes, in a few words: `zeroPage off, thp madvise`, or that nothing does. */
export function profileSummary(profile: KernelProfile): string {
  const changes = profileChanges(profile);
  if (changes.length > 0) return changes.join(', ');
  return profile.name === LINUX_6_18.name
    ? 'mainline defaults'
    : `the settings of ${LINUX_6_18.name}`;
}

/** One line for the toolbar: `host: zeroPage off, thp madvise`. */
export const describeProfile = (profile: KernelProfile): string =>
  `${profile.name}: ${profileSummary(profile)}`;
