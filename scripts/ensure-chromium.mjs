// SPDX-License-Identifier: GPL-2.0-or-later
// Makes sure a Chromium is there for the end-to-end tests, never downloading
// a browser of its own: Debian's `chromium` package is installed with apt-get
// when we are root; otherwise we stop and say the exact command.
import { execFileSync } from 'node:child_process';
import { chromiumPath } from './chromium-path.mjs';

const INSTALL = 'apt-get update && apt-get install -y chromium';

if (chromiumPath()) process.exit(0);

if (typeof process.getuid === 'function' && process.getuid() === 0) {
  console.log(`No Chromium found; installing Debian's chromium: ${INSTALL}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('sh', ['-c', INSTALL], { stdio: 'inherit', env });
  if (chromiumPath()) process.exit(0);
  console.error('apt-get finished but /usr/bin/chromium is still missing.');
  process.exit(1);
}

console.error(
  `No Chromium found (looked at $CHROMIUM_PATH and /usr/bin/chromium).\n` +
    `Install Debian's chromium as root, then run the tests again:\n  sudo sh -c '${INSTALL}'`,
);
process.exit(1);
