// SPDX-License-Identifier: GPL-2.0-or-later
// Where the Chromium the tests drive lives: $CHROMIUM_PATH, else Debian's.
import { existsSync } from 'node:fs';

/** The flags every Chromium of ours starts with: no sandbox as root, no GPU, no calls home. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
  return candidates.find((p) => existsSync(p));
}
