// SPDX-License-Identifier: GPL-2.0-or-later
// The kernel profile: shown in the toolbar, loaded from a file written by
// `npm run judge -- --write-profile`, kept by links, refused when bad.
import { expect, test } from '@playwright/test';
import { LINUX_6_18, kernelProfileJson } from '../src/engine';
import { AppPage } from './app';

/** A machine whose kernel never maps the zero page (pvm_no_zero_page=1), as the judge writes it. */
const HOST_JSON = kernelProfileJson({
  ...LINUX_6_18,
  name: 'host',
  description: 'probed on the test machine',
  zeroPage: false,
  thp: 'madvise',
});
// The read fault attaches an anon_vma only without the zero page, and
// mprotect_fixup() then keeps VM_ACCOUNT (`ac`) on the read-only VMA.
const SCENARIO = [
  'mmap(0x200000000000, 8K, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  '@read(0x200000000000)',
  'mprotect(0x200000000000, 8K, PROT_READ)',
].join('\n');
const MAPS = '200000000000-200000002000 r--p 00000000 00:00 0 ';

/** The last maps line with its smaps VmFlags line, as the table shows it. */
const withFlags = (flags: string) => [`${MAPS}\nVmFlags: ${flags} `];
const current = (app: AppPage) => app.steps().locator('[aria-current="step"]');

test('a loaded profile changes the result, and a copied link keeps it', async ({
  page,
  browser,
}) => {
  const app = new AppPage(page);
  await app.open();
  await expect(app.kernelChosen('linux-6.18')).toHaveCount(1);
  await expect(app.kernel()).toHaveAccessibleDescription('linux-6.18: mainline defaults');
  await app.run(SCENARIO);
  await page.getByRole('checkbox', { name: 'Show smaps VmFlags' }).check();
  expect(await app.mapsLines()).toEqual(withFlags('rd mr mw me'));

  await app.loadKernelProfile('host.json', HOST_JSON);
  await expect(app.kernelChosen('host')).toHaveCount(1);
  await expect(app.kernel()).toHaveAccessibleDescription('host: zeroPage off, thp madvise');
  // The scenario ran again under it, and stays at the end of the last call.
  await expect(current(app)).toContainText('mprotect(0x200000000000, 8K, PROT_READ) = 0');
  expect(await app.mapsLines()).toEqual(withFlags('rd mr mw me ac'));
  await expect(page).toHaveURL(/#v=1&e=[\w.-]+&s=[\w-]+&k=host&kp=[\w-]+&c=\d+$/);
  const link = page.url();

  await app.kernel().selectOption({ label: 'linux-6.18' });
  await app.idle();
  await expect(app.kernelChosen('linux-6.18')).toHaveCount(1);
  expect(await app.mapsLines()).toEqual(withFlags('rd mr mw me'));
  await expect(page).toHaveURL(/#v=1&e=[\w.-]+&s=[\w-]+&k=linux-6\.18&c=\d+$/);
  // A reload keeps the choice, and the loaded profile stays on offer.
  await page.reload();
  await app.idle();
  await expect(app.kernelChosen('linux-6.18')).toHaveCount(1);
  await expect(app.kernel().getByRole('option', { name: 'host' })).toHaveCount(1);

  // Another browser, without the file or an autosave: the link carries the profile.
  const other = await browser.newContext();
  const otherApp = new AppPage(await other.newPage());
  await otherApp.page.goto(link);
  await otherApp.idle();
  await expect(otherApp.kernelChosen('host')).toHaveCount(1);
  await expect(otherApp.kernel()).toHaveAccessibleDescription('host: zeroPage off, thp madvise');
  await otherApp.page.getByRole('checkbox', { name: 'Show smaps VmFlags' }).check();
  expect(await otherApp.mapsLines()).toEqual(withFlags('rd mr mw me ac'));
  await other.close();
});

test('a bad profile file is refused by file and field; the profile in use stays', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  await app.kernelFileInput().setInputFiles({
    name: 'host.json',
    mimeType: 'application/json',
    buffer: Buffer.from(HOST_JSON),
  });
  await app.idle();
  await expect(app.kernelChosen('host')).toHaveCount(1);
  // The address bar follows the profile (and its step) once it is saved.
  await expect(page).toHaveURL(/&kp=.*&c=\d+$/);
  const url = page.url();

  await app.kernelFileInput().setInputFiles({
    name: 'broken.json',
    mimeType: 'application/json',
    buffer: Buffer.from(HOST_JSON.replace('"zeroPage": false', '"zeroPage": "no"')),
  });
  const alert = app.alert();
  await expect(alert).toContainText(
    'Could not use the kernel profile broken.json: field "zeroPage": expected true or false.',
  );
  await expect(alert).toContainText('Still modelling host.');
  await expect(app.kernelChosen('host')).toHaveCount(1);
  await expect(page).toHaveURL(url);
  await alert.getByRole('button', { name: 'Dismiss' }).click();
  await expect(alert).toBeHidden();
});

test('a link with a damaged profile says so and runs on linux-6.18', async ({ page, browser }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(SCENARIO);
  // The scenario's last step (mm_init, 3 for mmap, 2 for @read, 3 for mprotect).
  await expect(page).toHaveURL(/#v=1&e=[\w.-]+&s=[\w-]+&k=linux-6\.18&c=8$/);
  const damaged = page.url().replace('&c=', '&kp=bm90IGEgcHJvZmlsZQ&c=');

  const other = await browser.newContext();
  const otherApp = new AppPage(await other.newPage());
  await otherApp.page.goto(damaged);
  await otherApp.idle();
  await expect(otherApp.alert()).toContainText(
    'Could not use the kernel profile in this link: it is damaged (cut short or altered). ' +
      'Still modelling linux-6.18.',
  );
  await expect(otherApp.kernelChosen('linux-6.18')).toHaveCount(1);
  expect(await otherApp.mapsLines()).toEqual([MAPS]);
  await other.close();
});
