// SPDX-License-Identifier: GPL-2.0-or-later
// A view as a standalone image. The views style their SVG from the page's
// stylesheet and theme variables, which a saved file does not have, so the
// copy gets each element's computed style inlined.

/** Presentation properties the views set from CSS. */
const INLINED = [
  'fill',
  'fill-opacity',
  'stroke',
  'stroke-width',
  'stroke-dasharray',
  'opacity',
  'font-family',
  'font-size',
  'font-weight',
  'text-anchor',
  'dominant-baseline',
  'visibility',
] as const;

/** A copy of `svg` that looks the same outside the page. */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  for (let i = 0; i < from.length; i++) {
    const style = getComputedStyle(from[i]);
    const target = to[i] as SVGElement;
    const inline = INLINED.map((p) => `${p}:${style.getPropertyValue(p)}`).join(';');
    target.setAttribute('style', inline);
  }
  const box = svg.getBoundingClientRect();
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  copy.setAttribute('width', String(Math.ceil(box.width)));
  copy.setAttribute('height', String(Math.ceil(box.height)));
  if (!copy.hasAttribute('viewBox'))
    copy.setAttribute('viewBox', `0 0 ${Math.ceil(box.width)} ${Math.ceil(box.height)}`);
  const background = getComputedStyle(document.documentElement).getPropertyValue('--panel');
  copy.style.background = background.trim();
  return new XMLSerializer().serializeToString(copy);
}

/** An SVG file holding a canvas's pixels, for views drawn on a canvas. */
export function canvasAsSvg(canvas: HTMLCanvasElement): string {
  const w = canvas.clientWidth || canvas.width;
  const h = canvas.clientHeight || canvas.height;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">` +
    `<image width="${w}" height="${h}" href="${canvas.toDataURL('image/png')}"/></svg>`
  );
}

function canvasBlob(canvas: HTMLCanvasElement): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('the canvas gave no image'))),
      'image/png',
    ),
  );
}

/** The view as PNG pixels, at the screen's resolution. */
export async function pngOf(target: SVGSVGElement | HTMLCanvasElement): Promise<Blob> {
  if (target instanceof HTMLCanvasElement) return canvasBlob(target);
  const text = standaloneSvg(target);
  const box = target.getBoundingClientRect();
  const ratio = globalThis.devicePixelRatio || 1;
  const image = new Image();
  const url = URL.createObjectURL(new Blob([text], { type: 'image/svg+xml' }));
  try {
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.ceil(box.width * ratio));
    canvas.height = Math.max(1, Math.ceil(box.height * ratio));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no 2D canvas');
    ctx.scale(ratio, ratio);
    ctx.drawImage(image, 0, 0);
    return await canvasBlob(canvas);
  } finally {
    URL.revokeObjectURL(url);
  }
}
