// SPDX-License-Identifier: GPL-2.0-or-later
// A view as a standalone image. The views style their SVG from the page's
// stylesheet and theme variables, which a saved file does not have, so the
// copy gets each element's computed style inlined.

/**
 * Presentation properties the views set from CSS or inline styles, which SVG
 * elements inherit: written where an element's value differs from its
 * parent's, so that the file stays small.
 */
const INHERITED = [
  'visibility',
  'fill',
  'fill-opacity',
  'fill-rule',
  'stroke',
  'stroke-opacity',
  'stroke-width',
  'stroke-dasharray',
  'stroke-dashoffset',
  'stroke-linecap',
  'stroke-linejoin',
  'font-family',
  'font-size',
  'font-style',
  'font-weight',
  'letter-spacing',
  'text-anchor',
  'dominant-baseline',
] as const;

/**
 * Those that are not inherited, with the value they have unless set. The
 * views hide elements with `display` (the seal outline of a VMA that is not
 * sealed): a copy that lost it drew every VMA as sealed.
 */
const OWN = { display: 'inline', opacity: '1' } as const;

/** The style attribute that gives `el` in the copy the look it has on the page. */
function inlineStyle(style: CSSStyleDeclaration, parent: CSSStyleDeclaration | null): string {
  const out: string[] = [];
  for (const p of INHERITED) {
    const value = style.getPropertyValue(p);
    if (value !== '' && (parent === null || parent.getPropertyValue(p) !== value))
      out.push(`${p}:${value}`);
  }
  for (const [p, initial] of Object.entries(OWN)) {
    const value = style.getPropertyValue(p);
    if (value === 'none' || (p !== 'display' && value !== '' && value !== initial))
      out.push(`${p}:${value}`);
  }
  // The page lets the drawing overflow its box; a file clips it unless told.
  if (parent === null) out.push(`overflow:${style.getPropertyValue('overflow')}`);
  return out.join(';');
}

/**
 * Elements drawn only where they are referenced (a hatch pattern), whatever
 * their `display`, and the text for tools: never dropped from the copy.
 */
const REFERENCED = 'defs, pattern, clipPath, mask, marker, symbol, linearGradient, radialGradient';
const UNDRAWN = new Set(['title', 'desc', 'metadata']);

/** Whether `el` is drawn nowhere: hidden with `display: none`, and not a referenced resource. */
function hidden(el: Element, style: CSSStyleDeclaration): boolean {
  return (
    style.getPropertyValue('display') === 'none' &&
    !UNDRAWN.has(el.localName) &&
    el.closest(REFERENCED) === null
  );
}

/**
 * A copy of `svg` that looks the same outside the page: each element carries
 * its computed style, and the elements hidden on screen are left out, so no
 * viewer (one that ignores a `style` attribute included) draws them.
 */
export function standaloneSvg(svg: SVGSVGElement): string {
  const copy = svg.cloneNode(true) as SVGSVGElement;
  const from = [svg, ...svg.querySelectorAll('*')];
  const to = [copy, ...copy.querySelectorAll('*')];
  const dropped: Element[] = [];
  const styles = new Map<Element, CSSStyleDeclaration>();
  for (let i = 0; i < from.length; i++) {
    const style = getComputedStyle(from[i]);
    styles.set(from[i], style);
    const parent = i === 0 ? null : (styles.get(from[i].parentElement!) ?? null);
    if (i > 0 && hidden(from[i], style)) dropped.push(to[i]);
    to[i].setAttribute('style', inlineStyle(style, parent));
  }
  for (const el of dropped) el.remove();
  const box = svg.getBoundingClientRect();
  // As a namespace declaration, so that no serializer writes it twice.
  copy.setAttributeNS('http://www.w3.org/2000/xmlns/', 'xmlns', 'http://www.w3.org/2000/svg');
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
