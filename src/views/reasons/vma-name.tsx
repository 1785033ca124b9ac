// SPDX-License-Identifier: GPL-2.0-or-later
// The engine names VMAs `vma3` in its messages; here such a name becomes a
// button that highlights and selects that VMA in every view.
import { useApp } from '../store-context';

const VMA_NAME = /^vma(\d+)$/;

export function VmaName({ name }: { name: string | null }) {
  const hoverVma = useApp((s) => s.hoverVma);
  const toggleVma = useApp((s) => s.toggleVma);
  const selected = useApp((s) => s.selectedVma);
  if (name === null) return <span className="none">none</span>;
  const m = VMA_NAME.exec(name);
  if (!m) return <code>{name}</code>;
  const id = Number(m[1]);
  return (
    <button
      type="button"
      className="vma-name"
      aria-pressed={selected === id}
      aria-label={`Select ${name}`}
      onClick={() => toggleVma(id)}
      onMouseEnter={() => hoverVma(id)}
      onMouseLeave={() => hoverVma(null)}
      onFocus={() => hoverVma(id)}
      onBlur={() => hoverVma(null)}
    >
      {name}
    </button>
  );
}
