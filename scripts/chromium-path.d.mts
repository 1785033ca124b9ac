// SPDX-License-Identifier: GPL-2.0-or-later
export function chromiumPath(): string | undefined;
