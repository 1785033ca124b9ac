// SPDX-License-Identifier: GPL-2.0-or-later
import { mmFromMaps } from './mm-from-maps';
import type { MmState } from '../kernel/mm/mm-snapshot';
import type { Diagnostic } from '../scenario/diagnostic';
import { parseProcMaps } from '../scenario/proc-maps-reader';

/** Reads a /proc/PID/maps or smaps dump into an address space to start a scenario from. */
export function loadProcMaps(
  text: string,
  file = 'maps',
): { ok: true; mm: MmState } | { ok: false; diagnostics: Diagnostic[] } {
  const parsed = parseProcMaps(text, file);
  if (parsed.diagnostics.length) return { ok: false, diagnostics: parsed.diagnostics };
  const { mm, diagnostics } = mmFromMaps(parsed.entries, file);
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, mm };
}
