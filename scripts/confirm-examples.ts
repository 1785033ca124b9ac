// SPDX-License-Identifier: GPL-2.0-or-later
// Runs every example scenario on the real kernel (the judge) and writes the
// kernel's result after each call that has no `= RESULT` yet; a result that
// is written and differs from the kernel's is reported, never overwritten.
//   node --import tsx scripts/confirm-examples.ts [--check]
// With --check nothing is written: it fails when a call has no result.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { judgeScenario } from '../src/cli/judge/judge';
import { formatDiagnostic, parseScenario } from '../src/engine';

const DIR = join(import.meta.dirname, '..', 'public', 'scenarios');
const check = process.argv.includes('--check');

/** strace's words for an errno, printed in brackets after `-1 ERRNO`. */
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EFAULT: 'Bad address',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  ENODEV: 'No such device',
  EINVAL: 'Invalid argument',
  EOVERFLOW: 'Value too large for defined data type',
};

const index = JSON.parse(readFileSync(join(DIR, 'index.json'), 'utf8')) as { file: string }[];
let problems = 0;
for (const { file } of index.filter((e) => e.file.endsWith('.scn'))) {
  const path = join(DIR, file);
  const text = readFileSync(path, 'utf8');
  const kernel = await judgeScenario(text, file);
  if (!kernel.ok) {
    kernel.diagnostics.forEach((d) => console.error(formatDiagnostic(d)));
    problems++;
    continue;
  }
  const lines = text.split('\n');
  const calls = parseScenario(text, file).calls;
  kernel.results.forEach((r, i) => {
    const call = calls[i];
    if (call.name === '@note') return;
    if (call.expect) {
      if (!r.match) {
        console.error(`${file}:${r.line}: expected ${r.expected}, the kernel returned ${r.ret}`);
        problems++;
      }
      return;
    }
    if (check) {
      console.error(`${file}:${r.line}: no '= RESULT'`);
      problems++;
      return;
    }
    const errno = /^-1 (E[A-Z]+)$/.exec(r.ret)?.[1];
    const shown = errno && STRERROR[errno] ? `${r.ret} (${STRERROR[errno]})` : r.ret;
    lines[r.line - 1] = `${lines[r.line - 1]} = ${shown}`;
  });
  if (!check) writeFileSync(path, lines.join('\n'));
}
if (problems) {
  console.error(`${problems} problem(s)`);
  process.exit(1);
}
console.log(check ? 'every example call carries a result the kernel confirms' : 'examples updated');
