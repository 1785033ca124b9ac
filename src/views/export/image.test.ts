// SPDX-License-Identifier: GPL-2.0-or-later
// @vitest-environment jsdom
// The exported SVG of the address space looks as drawn: what the page hides
// stays hidden (the seal outline of a VMA that is not sealed), and what it
// shows keeps the colours the page's stylesheet gave it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { zoomIdentity } from 'd3-zoom';
import { describe, expect, it } from 'vitest';
import { renderAddressSpace } from '../address-space/render';
import { seededSpace } from '../address-space/render.fixture';
import { standaloneSvg } from './image';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** The seeded space drawn in a page styled by the view's own stylesheet. */
function drawn(): SVGSVGElement {
  const style = document.createElement('style');
  style.textContent = readFileSync(
    join(process.cwd(), 'src', 'views', 'address-space', 'address-space.css'),
    'utf8',
  );
  document.head.append(style);
  const host = document.createElement('div');
  host.className = 'address-space';
  const svg = document.createElementNS(SVG_NS, 'svg');
  host.append(svg);
  document.body.append(host);
  const { rows, layout } = seededSpace();
  const events = { onHover: () => {}, onFocus: () => {}, onSelect: () => {} };
  renderAddressSpace(svg, rows, layout, 800, zoomIdentity, events);
  return svg;
}

/** Whether an element of the page is drawn: neither it nor an ancestor has `display: none`. */
function shown(el: Element): boolean {
  for (let e: Element | null = el; e; e = e.parentElement) {
    if (getComputedStyle(e).display === 'none') return false;
  }
  return true;
}

describe('standaloneSvg', () => {
  const svg = drawn();
  const text = standaloneSvg(svg);
  const copy = new DOMParser().parseFromString(text, 'image/svg+xml');

  it('outlines the sealed VMA only, as the page does', () => {
    const onScreen = [...svg.querySelectorAll('rect.seal')].filter(shown);
    expect(onScreen).toHaveLength(1);
    const seals = [...copy.querySelectorAll('rect.seal')];
    expect(seals).toHaveLength(1);
    expect(seals[0].closest('g.vma')?.getAttribute('aria-label')).toBe(
      onScreen[0].closest('g.vma')?.getAttribute('aria-label'),
    );
    expect(seals[0].closest('g.vma')?.getAttribute('data-sealed')).toBe('true');
    // The page hides the others; the copy leaves them out.
    expect(svg.querySelectorAll('rect.seal').length).toBeGreaterThan(1);
  });

  it('keeps every element drawn on screen, each with the fill and stroke it has there', () => {
    const drawnOnScreen = [...svg.querySelectorAll('*')].filter(
      (e) => shown(e) || e.closest('defs') !== null || e.localName === 'title',
    );
    const inCopy = [...copy.documentElement.querySelectorAll('*')];
    expect(inCopy.map((e) => e.localName)).toEqual(drawnOnScreen.map((e) => e.localName));
    // What the copy draws an element with: its own value, else its parent's (SVG inherits them).
    const effective = (e: Element, p: string): string => {
      for (let at: Element | null = e; at; at = at.parentElement) {
        const value = (at as SVGElement).style.getPropertyValue(p);
        if (value !== '') return value;
      }
      return '';
    };
    inCopy.forEach((e, i) => {
      const page = getComputedStyle(drawnOnScreen[i]);
      const what = `of ${e.localName}.${e.getAttribute('class')}`;
      for (const p of ['fill', 'stroke', 'stroke-width']) {
        const onPage = page.getPropertyValue(p) || effective(drawnOnScreen[i], p);
        if (onPage !== '') expect(effective(e, p), `${p} ${what}`).toBe(onPage);
      }
      expect((e as SVGElement).style.getPropertyValue('opacity') || '1', `opacity ${what}`).toBe(
        page.getPropertyValue('opacity') || '1',
      );
    });
  });

  it('carries the seal outline stroke the stylesheet gives it', () => {
    const seal = copy.querySelector('rect.seal') as SVGElement;
    expect(seal.style.getPropertyValue('stroke')).not.toMatch(/^(none)?$/);
    expect(seal.style.getPropertyValue('stroke-width')).toBe('3');
  });
});
