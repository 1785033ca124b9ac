// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel the results are for: a select of the named and loaded profiles,
// the settings the chosen one changes from linux-6.18 beside it, and a file
// picker for a profile written by `npm run judge -- --write-profile FILE`.
import { useId, useRef, type ChangeEvent } from 'react';
import { NAMED_PROFILES, type KernelProfile } from '../../engine';
import { namedKernel } from '../../store/kernel-slice';
import { useApp } from '../store-context';
import { describeProfile, profileSummary } from './differences';

const LOAD = 'load';
const NAMED = Object.values(NAMED_PROFILES);

/** The option a profile is: named ones by name, loaded ones by theirs (a name may be both). */
const keyOf = (k: KernelProfile): string =>
  namedKernel(k) ? `named:${k.name}` : `loaded:${k.name}`;

export function KernelPicker() {
  const kernel = useApp((s) => s.kernel);
  const loaded = useApp((s) => s.loadedKernels);
  const message = useApp((s) => s.kernelMessage);
  const setKernel = useApp((s) => s.setKernel);
  const loadKernelFile = useApp((s) => s.loadKernelFile);
  const dismiss = useApp((s) => s.dismissKernelMessage);
  const fileInput = useRef<HTMLInputElement>(null);
  const descriptionId = useId();

  const choose = (e: ChangeEvent<HTMLSelectElement>) => {
    // The select stays on the profile in use until a file is read.
    if (e.target.value === LOAD) return fileInput.current?.click();
    const profile = [...NAMED, ...loaded].find((k) => keyOf(k) === e.target.value);
    if (profile) void setKernel(profile);
  };
  const load = async (e: ChangeEvent<HTMLInputElement>) => {
    const input = e.target;
    const file = input.files?.[0];
    if (!file) return;
    const text = await file.text();
    // The same file may be chosen again (after fixing it).
    input.value = '';
    await loadKernelFile(file.name, text);
  };

  return (
    <span className="kernel-picker">
      <label>
        Kernel{' '}
        <select
          aria-label="Kernel"
          aria-describedby={descriptionId}
          value={keyOf(kernel)}
          onChange={choose}
        >
          {NAMED.map((k) => (
            <option key={keyOf(k)} value={keyOf(k)}>
              {k.name}
            </option>
          ))}
          {loaded.map((k) => (
            <option key={keyOf(k)} value={keyOf(k)}>
              {Object.hasOwn(NAMED_PROFILES, k.name) ? `${k.name} (loaded)` : k.name}
            </option>
          ))}
          <option value={LOAD}>Load profile file…</option>
        </select>
      </label>
      {/* The select shows the name: read, not drawn, again. */}
      <span
        id={descriptionId}
        className="kernel-changes"
        title={`${describeProfile(kernel)}\n${kernel.description}`}
      >
        <span className="visually-hidden">{kernel.name}: </span>
        {profileSummary(kernel)}
      </span>
      <input
        ref={fileInput}
        type="file"
        accept=".json,application/json"
        aria-label="Load kernel profile"
        className="visually-hidden"
        tabIndex={-1}
        onChange={(e) => void load(e)}
      />
      {message && (
        <div role="alert" className="diagnostics kernel-alert">
          <p>{message}</p>
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </span>
  );
}
