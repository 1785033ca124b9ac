// SPDX-License-Identifier: GPL-2.0-or-later
// What the views' DOM tests (in jsdom) share. Readable snapshots of what
// the views draw: an element or a canvas call per line and numbers to 2
// decimals, so that a change to a drawing is reviewed as a small diff of the
// committed snapshot, not as a float's last digits; the SVG form opens in a
// browser as the drawing it describes. And the browser's globals jsdom lacks.
import { vi } from 'vitest';

/** `12.3456` → `12.35` inside any text: coordinates, transforms, path data. */
export function roundNumbers(text: string): string {
  // Digits on both sides of the dot: `libc.so.6` is a name, not a number.
  return text.replace(/(?<![\d.])-?\d+\.\d+(?:e-?\d+)?/g, (n) => {
    const r = Math.round(Number(n) * 100) / 100;
    return String(Object.is(r, -0) ? 0 : r);
  });
}

const escape = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/**
 * `el` as indented XML. Attributes named in `omit` are left out (values
 * that change from run to run and mean nothing to a reader).
 */
export function serializeDom(el: Element, omit: readonly string[] = [], depth = 0): string {
  const pad = '  '.repeat(depth);
  const attrs = [...el.attributes]
    .filter((a) => !omit.includes(a.name))
    .map((a) => ` ${a.name}="${escape(roundNumbers(a.value))}"`)
    .join('');
  const xmlns = depth === 0 && el.namespaceURI ? ` xmlns="${el.namespaceURI}"` : '';
  const open = `${pad}<${el.tagName}${xmlns}${attrs}`;
  const children = [...el.childNodes];
  if (children.length === 0) return `${open}/>`;
  // An element holding only text keeps it on its own line, as the SVG reads.
  if (children.every((c) => c.nodeType === c.TEXT_NODE)) {
    return `${open}>${escape(el.textContent ?? '')}</${el.tagName}>`;
  }
  const inner = children.map((c) =>
    c.nodeType === c.ELEMENT_NODE
      ? serializeDom(c as Element, omit, depth + 1)
      : `${pad}  ${escape(c.textContent ?? '')}`,
  );
  return [`${open}>`, ...inner, `${pad}</${el.tagName}>`].join('\n');
}

/** A recording CanvasRenderingContext2D: every call and every property set, one line each. */
export function recordingContext(): { ctx: CanvasRenderingContext2D; calls: string[] } {
  const calls: string[] = [];
  const show = (v: unknown) =>
    typeof v === 'number' ? roundNumbers(String(v)) : JSON.stringify(v);
  const ctx = new Proxy(
    {},
    {
      get:
        (_, name) =>
        (...args: unknown[]) =>
          calls.push(`${String(name)}(${args.map(show).join(', ')})`),
      set: (_, name, value) => {
        calls.push(`${String(name)} = ${show(value)}`);
        return true;
      },
    },
  ) as CanvasRenderingContext2D;
  return { ctx, calls };
}

/** A canvas whose 2D context records what is drawn on it. */
export function recordingCanvas(): { canvas: HTMLCanvasElement; calls: string[] } {
  const { ctx, calls } = recordingContext();
  const canvas = document.createElement('canvas');
  canvas.getContext = (() => ctx) as unknown as HTMLCanvasElement['getContext'];
  return { canvas, calls };
}

/** What jsdom lacks and the views use: matchMedia (never matching) and a ResizeObserver that never calls. */
export function stubBrowserGlobals(): void {
  vi.stubGlobal('matchMedia', () => ({ matches: false }));
  vi.stubGlobal(
    'ResizeObserver',
    class {
      observe() {}
      disconnect() {}
    },
  );
}
