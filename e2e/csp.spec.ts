// SPDX-License-Identifier: GPL-2.0-or-later
// The production build runs under a strict Content-Security-Policy: no
// inline script, no eval, and the app still works whole under it.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

test('the build runs under a strict policy and nothing it does is refused', async ({ page }) => {
  // Every refusal the page reports, recorded before any of its scripts run.
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) =>
      seen.push(`${e.effectiveDirective} ${e.blockedURI}`),
    );
  });
  const app = new AppPage(page);
  await app.open();
  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute('content');
  expect(policy).toMatch(/(^|; )script-src 'self'(;|$)/);
  expect(policy).not.toContain('unsafe-eval');

  // The whole app works under it: the worker runs, the maple tree draws, an export draws.
  await app.run(
    'mmap(0x200000000000, 0x4000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  );
  await expect(app.vmasDrawn()).toHaveCount(1);
  await expect(app.mapleNodes()).toHaveCount(1);
  const download = page.waitForEvent('download');
  await app.mapleTree().getByRole('button', { name: 'Export maple tree as PNG' }).click();
  expect((await download).suggestedFilename()).toBe('maple-tree.png');
  expect(
    await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations),
  ).toEqual([]);

  // And it refuses what an injected string would need: an inline script.
  // (eval is refused by the same policy, but DevTools' own evaluation is exempt from it.)
  const ran = await page.evaluate(() => {
    const script = document.createElement('script');
    script.textContent = 'window.injected = true';
    document.body.append(script);
    return (window as unknown as { injected?: boolean }).injected === true;
  });
  expect(ran).toBe(false);
});
