// SPDX-License-Identifier: GPL-2.0-or-later
export const CHROMIUM_ARGS: string[];
export function chromiumPath(): string | undefined;
