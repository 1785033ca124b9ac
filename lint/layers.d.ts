// SPDX-License-Identifier: GPL-2.0-or-later
// Types of lint/layers.js, for the tests that read it.
export interface Layer {
  name: string;
  path: string;
  allow: string[];
}
export interface Debt {
  from: string;
  to: string;
  why: string;
}
export const LAYERS: Layer[];
export const TEST_ALLOW: Record<string, string[]>;
export const KNOWN_DEBT: Debt[];
