// SPDX-License-Identifier: GPL-2.0-or-later
// `--kernel linux-6.18|host|FILE.json`: the kernel profile a run models.
import { NAMED_PROFILES, parseKernelProfile, type KernelProfile } from '../engine';
import { UsageError, readInput, type CliIo } from './io';
import { hostProfile } from './judge/host-profile';
import { JudgeError } from './judge/runner';

export const KERNEL_CHOICES = `${Object.keys(NAMED_PROFILES).join(', ')}, host, or a profile FILE.json`;

/** The profile `spec` names; a one-line UsageError for anything wrong with it. */
export async function resolveKernel(io: CliIo, spec: string): Promise<KernelProfile> {
  // Own keys only: `--kernel toString` is no profile.
  if (Object.hasOwn(NAMED_PROFILES, spec)) return NAMED_PROFILES[spec];
  if (spec === 'host') {
    if (process.platform !== 'linux') {
      throw new UsageError(
        `--kernel host reads the running Linux kernel; this is ${process.platform}`,
      );
    }
    try {
      return (await hostProfile()).profile;
    } catch (e) {
      if (e instanceof JudgeError)
        throw new UsageError(`--kernel host: ${e.message.split('\n')[0]}`);
      throw e;
    }
  }
  if (!/[./]/.test(spec)) {
    throw new UsageError(`unknown kernel profile '${spec}' (choose ${KERNEL_CHOICES})`);
  }
  const parsed = parseKernelProfile(await readInput(io, spec));
  if (!parsed.ok) throw new UsageError(`${spec}: ${parsed.message}`);
  return parsed.profile;
}
