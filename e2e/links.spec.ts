// SPDX-License-Identifier: GPL-2.0-or-later
// A link is untrusted input: a damaged or huge one is reported by what is
// wrong with it and stays in the address bar to copy; it never silently
// becomes the default example.
import { expect, test } from '@playwright/test';
import { AppPage } from './app';

const MMAP = 'mmap(0x200000000000, 0x4000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';
const TWO_VMAS = [
  'mmap(0x200000000000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
  'mmap(0x200000010000, 0x2000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)',
].join('\n');

for (const [hash, problem] of [
  ['#garbage', 'it holds no scenario (s=)'],
  ['#s=%%%', 'its scenario (s=) is not base64url text'],
  ['#s=AAAA', 'its scenario (s=) is damaged (cut short or altered)'],
  ['#v=7&s=AAAA', 'it is version 7; this app reads version 1'],
] as const) {
  test(`a damaged link (${hash}) is reported and kept`, async ({ page }) => {
    const app = new AppPage(page);
    await page.goto('/' + hash);
    await app.idle();
    const alert = page.getByRole('alert', { name: 'Session' });
    await expect(alert).toContainText(`This link could not be opened: ${problem}.`);
    await page.waitForTimeout(600);
    expect(new URL(page.url()).hash).toBe(hash);
    await alert.getByRole('button', { name: 'Dismiss these messages' }).click();
    await expect(alert).toHaveCount(0);
  });
}

test('a good scenario with damaged starting maps is reported, not half opened', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MMAP);
  await expect.poll(() => new URL(page.url()).hash).toMatch(/^#v=1&e=[\w.-]+&s=/);
  const s = new URL(page.url()).hash.match(/s=([\w-]+)/)![1];
  const damaged = `#v=1&s=${s}&m=AAAA`;
  // A new page load, as when the link is opened, not a jump within this one.
  await page.goto('about:blank');
  await page.goto('/' + damaged);
  await app.idle();
  await expect(page.getByRole('alert', { name: 'Session' })).toContainText(
    'its starting maps (m=) is damaged',
  );
  expect(new URL(page.url()).hash).toBe(damaged);
});

test('a huge link is refused at once, quoting only its start', async ({ page }) => {
  const app = new AppPage(page);
  // Chromium takes URLs up to 2 MB: a 1 MB hash is four times the bound.
  const hash = '#s=' + 'A'.repeat(1024 * 1024);
  await page.goto('/' + hash);
  await app.idle();
  const alert = page.getByRole('alert', { name: 'Session' });
  await expect(alert).toContainText('it is 1025 KB, more than the 256 KB a link may hold');
  expect((await alert.textContent())!.length).toBeLessThan(400);
  expect(new URL(page.url()).hash.length).toBe(hash.length);
});

test('a hostile link shows its markup as text and runs none of it', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open();
  await expect.poll(() => new URL(page.url()).hash).not.toBe('');
  const example = page.url();
  const hostile = `# <img src=x onerror="window.pwned=1"><script>window.pwned=2</script>\n${MMAP}`;
  await app.run(hostile);
  await expect.poll(() => page.url()).not.toBe(example);

  const other = new AppPage(await context.newPage());
  await other.page.goto(page.url());
  await other.idle();
  await expect(other.scenario()).toContainText('<img src=x onerror="window.pwned=1">');
  await expect(other.vmasDrawn()).toHaveCount(1);
  expect(await other.page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();
  await expect(other.page.locator('img[src=x]')).toHaveCount(0);
});

test('a link made by another engine opens, with a notice saying so', async ({ page, context }) => {
  const app = new AppPage(page);
  await app.open();
  await expect.poll(() => new URL(page.url()).hash).toMatch(/&e=[\w.-]+&/);
  const example = page.url();
  await app.run(MMAP);
  await expect.poll(() => page.url()).not.toBe(example);
  const older = page.url().replace(/&e=[\w.-]+&/, '&e=0.0.9&');

  const other = new AppPage(await context.newPage());
  await other.page.goto(older);
  await other.idle();
  await expect(other.scenario()).toHaveText(MMAP);
  await expect(other.vmasDrawn()).toHaveCount(1);
  const notice = other.page.getByRole('alert', { name: 'Session' });
  await expect(notice).toContainText('This link was made by VMA Explorer 0.0.9; this is ');
  await expect(notice).not.toContainText('could not be opened');
});

test('a link pasted into a tab already open opens there, and a reload keeps it', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await expect.poll(() => new URL(page.url()).hash).not.toBe('');
  const example = new URL(page.url()).hash;
  // The link to paste: another scenario, at its last step.
  await app.run(MMAP);
  await expect.poll(() => new URL(page.url()).hash).not.toBe(example);
  const position = await page.getByText(/^step \d+ of \d+$/).textContent();
  const link = new URL(page.url()).hash;
  // Back on the example, with a draft typed over it.
  await app.run(TWO_VMAS);
  await expect.poll(() => new URL(page.url()).hash).not.toBe(link);
  await app.paste(app.scenario(), `${TWO_VMAS}\n# typed, not run`);
  await page.waitForTimeout(600);

  // Pasted into the address bar: only the hash changes, nothing reloads.
  await page.evaluate((hash) => {
    (window as { sameTab?: boolean }).sameTab = true;
    window.location.hash = hash;
  }, link);
  await app.idle();
  await expect(app.scenario()).toHaveText(MMAP);
  await expect(app.vmasDrawn()).toHaveCount(1);
  await expect(page.getByText(/^step \d+ of \d+$/)).toHaveText(position!);
  await expect.poll(() => new URL(page.url()).hash).toBe(link);
  expect(await page.evaluate(() => (window as { sameTab?: boolean }).sameTab)).toBe(true);
  await expect(page.getByRole('alert', { name: 'Session' })).toContainText(
    'the draft that was here is kept under Drafts',
  );

  // A reload opens the link's document, not the autosave from before it.
  await page.reload();
  await app.idle();
  await expect(app.scenario()).toHaveText(MMAP);
  await expect(app.vmasDrawn()).toHaveCount(1);
  await expect(page.getByText(/^step \d+ of \d+$/)).toHaveText(position!);
  await page.getByText(/^Drafts kept in this browser/).click();
  await page
    .getByRole('list', { name: 'Drafts' })
    .getByRole('button', { name: /^Open draft: mmap\(0x200000000000, 0x2000/ })
    .click();
  await expect(app.scenario()).toContainText('# typed, not run');
});
