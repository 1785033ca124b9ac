// SPDX-License-Identifier: GPL-2.0-or-later
// The version of VMA Explorer: its engine and app are released together, as
// package.json says. A shared link records it, so that one opened by another
// version can say its steps may differ from the ones that were shared.
import { version } from '../../package.json';

export const ENGINE_VERSION: string = version;
