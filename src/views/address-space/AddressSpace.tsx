// SPDX-License-Identifier: GPL-2.0-or-later
import { useEffect, useRef, useState } from 'react';
import { selectCurrentStep, selectStepLoading, useApp } from '../store-context';
import { HEIGHT, renderAddressSpace } from './render';

export function AddressSpace() {
  const step = useApp(selectCurrentStep);
  const rows = useApp((s) => s.stepData?.rows);
  const loading = useApp(selectStepLoading);
  const svg = useRef<SVGSVGElement>(null);
  const box = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(800);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) =>
      setWidth(Math.max(200, entry.contentRect.width)),
    );
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  useEffect(() => {
    if (svg.current) renderAddressSpace(svg.current, rows ?? [], width);
  }, [rows, width]);

  const count = rows?.length ?? 0;
  return (
    <section className="address-space" aria-labelledby="as-heading" aria-busy={loading}>
      <h2 id="as-heading">Address space</h2>
      <p className="caption">
        {count} {count === 1 ? 'VMA' : 'VMAs'}
        {step && (
          <>
            {' '}
            after <code>{step.fn}</code>: {step.message}
          </>
        )}
      </p>
      <div ref={box} className="address-space-canvas">
        <svg ref={svg} role="list" aria-label="VMAs" height={HEIGHT} />
      </div>
    </section>
  );
}
