// SPDX-License-Identifier: GPL-2.0-or-later
// Vitest's global setup for `npm run test:kernel`: the live-kernel suites
// need Linux 6.18, root and a C compiler. When any is missing the run fails
// before the first test, naming each one: it never skips and never passes
// unjudged.
import { execFileSync } from 'node:child_process';
import { release } from 'node:os';

/** What the preflight looks at; the running machine unless a test says otherwise. */
export interface Machine {
  platform: string;
  release: string;
  uid: number | null;
  /** Whether `cc --version` runs. */
  hasCompiler: (cc: string) => boolean;
  cc: string;
}

const thisMachine = (): Machine => ({
  platform: process.platform,
  release: release(),
  uid: typeof process.getuid === 'function' ? process.getuid() : null,
  hasCompiler: (cc) => {
    try {
      execFileSync(cc, ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  },
  cc: process.env.CC ?? 'gcc',
});

/** What a machine lacks to run the kernel suites; empty when it has it all. */
export function missingForKernelTests(m: Machine = thisMachine()): string[] {
  const missing: string[] = [];
  if (m.platform !== 'linux') {
    missing.push(`Linux (this is ${m.platform}): the suites run real system calls`);
  } else if (!/^6\.18\./.test(m.release)) {
    missing.push(`Linux 6.18 (this kernel is ${m.release}): the engine models 6.18`);
  }
  if (m.uid !== 0) {
    missing.push('root: the judge locks memory and reads every setting of the kernel');
  }
  if (!m.hasCompiler(m.cc)) {
    missing.push(`a C compiler (${m.cc}): the judge builds its runner with it`);
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
