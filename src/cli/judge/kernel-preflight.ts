// SPDX-License-Identifier: GPL-2.0-or-later
// Vitest's global setup for `npm run test:kernel`: the live-kernel suites
// need Linux 6.18, root and a C compiler. When any is missing the run fails
// before the first test, naming each one: it never skips and never passes
// unjudged.
import { execFileSync } from 'node:child_process';
import { release } from 'node:os';

/** What this machine lacks to run the kernel suites; empty when it has it all. */
export function missingForKernelTests(): string[] {
  const missing: string[] = [];
  if (process.platform !== 'linux') {
    missing.push(`Linux (this is ${process.platform}): the suites run real system calls`);
  } else if (!/^6\.18\./.test(release())) {
    missing.push(`Linux 6.18 (this kernel is ${release()}): the engine models 6.18`);
  }
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    missing.push('root: the judge locks memory and reads every setting of the kernel');
  }
  const cc = process.env.CC ?? 'gcc';
  try {
    execFileSync(cc, ['--version'], { stdio: 'ignore' });
  } catch {
    missing.push(`a C compiler (${cc}): the judge builds its runner with it`);
  }
  return missing;
}

export default function setup(): void {
  const missing = missingForKernelTests();
  if (missing.length) {
    throw new Error(
      `npm run test:kernel cannot run here; it needs:\n${missing.map((m) => `  - ${m}`).join('\n')}`,
    );
  }
}
