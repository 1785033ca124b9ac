// SPDX-License-Identifier: GPL-2.0-or-later
// The keys that move between VMAs, one place for the SVG's elements and the
// canvas alike, so that both views of a space answer the same keys.

/** Where the arrows, Home and End take the keyboard from VMA `at` of `count`; null for other keys. */
export function moveKey(key: string, at: number, count: number): number | null {
  switch (key) {
    case 'ArrowLeft':
    case 'ArrowUp':
      return Math.max(0, at - 1);
    case 'ArrowRight':
    case 'ArrowDown':
      return Math.min(count - 1, at + 1);
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}

/** Enter and Space pick the VMA with the focus, as they press a button. */
export const isSelectKey = (key: string) => key === 'Enter' || key === ' ';
