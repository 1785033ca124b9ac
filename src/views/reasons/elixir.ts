// SPDX-License-Identifier: GPL-2.0-or-later
// Links to the kernel source the engine models, on elixir.bootlin.com.

/** The kernel release whose behaviour the engine models. */
export const KERNEL_VERSION = 'v6.18';

const C_IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Where `fn` is defined in Linux 6.18, or null for steps that are not a
 * kernel function (`@note`, `@touch`, fault injection). Elixir's identifier
 * page lists the definition with its file and line, and every reference.
 */
export function elixirUrl(fn: string): string | null {
  if (!C_IDENTIFIER.test(fn)) return null;
  return `https://elixir.bootlin.com/linux/${KERNEL_VERSION}/A/ident/${fn}`;
}
