// SPDX-License-Identifier: GPL-2.0-or-later
// Where the Chromium the tests drive lives: $CHROMIUM_PATH, else Debian's.
import { existsSync } from 'node:fs';

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium'].filter(Boolean);
  return candidates.find((p) => existsSync(p));
}
