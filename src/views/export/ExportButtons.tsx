// SPDX-License-Identifier: GPL-2.0-or-later
// "Export … as SVG / PNG" for one view. A view passes a function that returns
// what it draws on now (an SVG element or, for large spaces, a canvas).
import { useState } from 'react';
import { download, downloadText } from './download';
import { canvasAsSvg, pngOf, standaloneSvg } from './image';

export type ExportTarget = SVGSVGElement | HTMLCanvasElement | null;

export function ExportButtons({
  name,
  label,
  target,
}: {
  /** The file name without extension: `maple-tree`. */
  name: string;
  /** The view in words, for the buttons' names: `maple tree`. */
  label: string;
  target: () => ExportTarget;
}) {
  const [error, setError] = useState<string | null>(null);
  const asSvg = () => {
    const el = target();
    if (!el) return setError(`There is no ${label} to export yet.`);
    setError(null);
    const text = el instanceof HTMLCanvasElement ? canvasAsSvg(el) : standaloneSvg(el);
    downloadText(`${name}.svg`, text, 'image/svg+xml');
  };
  const asPng = async () => {
    const el = target();
    if (!el) return setError(`There is no ${label} to export yet.`);
    try {
      download(`${name}.png`, await pngOf(el));
      setError(null);
    } catch (e) {
      setError(`Could not make a PNG of the ${label}: ${e instanceof Error ? e.message : e}`);
    }
  };
  return (
    <span className="export-buttons">
      <button type="button" onClick={asSvg} aria-label={`Export ${label} as SVG`}>
        SVG
      </button>
      <button type="button" onClick={() => void asPng()} aria-label={`Export ${label} as PNG`}>
        PNG
      </button>
      <ExportError message={error} />
    </span>
  );
}

/** Why an export did not happen, announced. */
export function ExportError({ message }: { message: string | null }) {
  if (message === null) return null;
  return (
    <span role="alert" className="export-error">
      {message}
    </span>
  );
}
