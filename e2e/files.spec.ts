// SPDX-License-Identifier: GPL-2.0-or-later
// Files in, as a new user brings them: a strace log opened with the Open…
// button or dropped on the editor replaces the scenario (never inserted at
// the drop point), its kind is stated, the text it replaced is kept as a
// draft, and a log without a capture replays where the kernel put things.
import { readFileSync } from 'node:fs';
import { expect, test, type Page } from '@playwright/test';
import { AppPage } from './app';

const PY = readFileSync('src/engine/timeline/fixtures/py-json.strace', 'utf8');
const MINE = 'mmap(0x200000000000, 0x4000, PROT_READ, MAP_PRIVATE|MAP_ANONYMOUS|MAP_FIXED, -1, 0)';

async function chooseFile(page: Page, name: string, text: string | Buffer): Promise<void> {
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  await (
    await chooser
  ).setFiles({
    name,
    mimeType: 'text/plain',
    buffer: typeof text === 'string' ? Buffer.from(text) : text,
  });
}

test('Open… gives a kernel recording to the Kernel events view, and leaves the scenario as it is', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const before = await app.scenarioText();
  const recording = readFileSync('public/scenarios/default.events.json');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  await (
    await chooser
  ).setFiles({ name: 'default.events.json', mimeType: 'application/json', buffer: recording });
  const panel = page.getByRole('region', { name: 'Kernel events' });
  await expect(panel).toContainText('Compared with default.events.json');
  expect(await app.scenarioText()).toBe(before);
});

const summary = (page: Page) => page.getByRole('note', { name: 'strace log summary' });

test('Open… replaces the scenario with a strace log, says what it is, and keeps the old text', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MINE);
  await chooseFile(page, 'py.strace', PY);
  await app.idle();
  await expect(page.getByText('Opened py.strace: a strace log, 2 processes.')).toBeVisible();
  const text = await app.scenarioText();
  expect(text).toContain('execve("/usr/bin/readlink"');
  expect(text).not.toContain('0x200000000000');
  // Every call gives the logged result: the break and mmap land where the log says.
  await expect(summary(page)).toContainText('process 6294: 346 calls replayed');
  await expect(summary(page)).toContainText('2 VMAs inferred, 0 results differ from the log');
  // The program's own page is inferred, and marked so in the maps table.
  await app.toLastStep();
  await expect(
    app.maps().getByRole('row', { description: /inferred from the strace log/ }),
  ).not.toHaveCount(0);
  // The other process, picked by pid.
  const picker = page.getByRole('combobox', { name: 'Process' });
  await expect(picker.getByRole('option')).toHaveText([
    'pid 6294 (346 calls)',
    'pid 6300 (78 calls)',
    'all (threads share one address space)',
  ]);
  await picker.selectOption({ label: 'pid 6300 (78 calls)' });
  await app.idle();
  await expect(summary(page)).toContainText('process 6300: 78 calls replayed');
  await expect(summary(page)).toContainText('0 results differ from the log');
  // The scenario typed before is a draft, not lost.
  await page.getByText(/Drafts kept in this browser/).click();
  await expect(
    page.getByRole('button', { name: /Open draft: mmap\(0x200000000000/ }),
  ).toBeVisible();
});

test('a file dropped on the editor replaces its text instead of going in at the drop point', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MINE);
  await app.scenario().evaluate((el, log) => {
    const data = new DataTransfer();
    data.items.add(new File([log], 'dropped.strace', { type: 'text/plain' }));
    for (const type of ['dragenter', 'dragover', 'drop']) {
      el.dispatchEvent(
        new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }),
      );
    }
  }, PY);
  await expect(page.getByText('Opened dropped.strace: a strace log, 2 processes.')).toBeVisible();
  await app.idle();
  const text = await app.scenarioText();
  expect(text).not.toContain('MAP_FIXED, -1, 0)mmap');
  expect(text).not.toContain('0x200000000000');
  expect(text.startsWith('# strace -f -tt')).toBe(true);
  await expect(summary(page)).toContainText('0 results differ from the log');
});

test('a maps dump goes where the start goes, and a file too large is refused', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await app.run(MINE);
  const smaps = readFileSync('public/scenarios/real-program/sort.start.smaps', 'utf8');
  await chooseFile(page, 'sort.start.smaps', smaps);
  await app.idle();
  await expect(page.getByText(/^Opened sort\.start\.smaps: an smaps dump, \d+ VMAs/)).toBeVisible();
  await expect(page.getByRole('textbox', { name: 'Starting maps' })).toContainText('/usr/bin/sort');
  expect(await app.scenarioText()).toContain('0x200000000000');

  await chooseFile(page, 'huge.strace', Buffer.alloc(8 * 1024 * 1024 + 1, 0x20));
  await expect(page.getByRole('alert')).toContainText('huge.strace is 8.0 MB, more than');
  expect(await app.scenarioText()).toContain('0x200000000000');
});

test('the sort example loads with its starting smaps and no mismatched row', async ({ page }) => {
  const app = new AppPage(page);
  await app.open();
  await page.getByRole('combobox', { name: 'Example' }).selectOption({
    label: "A real program: Debian's sort(1) sorting 200,000 numbers (a strace log)",
  });
  await app.idle();
  await expect(page.getByRole('textbox', { name: 'Starting maps' })).toContainText('/usr/bin/sort');
  await expect(summary(page)).toContainText('all processes: 73 calls replayed');
  await expect(summary(page)).toContainText('0 VMAs inferred, 0 results differ from the log');
  await expect(app.stepPosition()).toHaveText(/^step 1 of \d+$/);
  await expect(app.steps()).not.toContainText('(expected');
  // [heap] is the process's heap, not a 54 TiB stretch.
  await app.button('Last step').click();
  const heap = (await app.mapsLines()).find((l) => l.endsWith('[heap]'));
  expect(heap).toMatch(/^562e4c/);
});

test('a program recording, opened or dropped, replaces the scenario with its replay, all confirmed', async ({
  page,
}) => {
  const app = new AppPage(page);
  await app.open();
  const recording = readFileSync('src/engine/timeline/fixtures/true.recording.json', 'utf8');
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Open…', exact: true }).click();
  await (
    await chooser
  ).setFiles({ name: 'true.json', mimeType: 'application/json', buffer: Buffer.from(recording) });
  const panel = page.getByRole('region', { name: 'Kernel events' });
  await expect(panel).toContainText('Compared with true.json');
  await expect(panel).toContainText('Recording of /bin/true');
  await expect(panel).toContainText('62 calls confirmed, 0 different');
  await expect(panel.getByRole('status', { name: 'Final smaps' })).toHaveText(
    'Final smaps: the same as the kernel’s.',
  );
  expect(await app.scenarioText()).toContain(
    'openat(AT_FDCWD, "/usr/lib/x86_64-linux-gnu/libc.so.6", O_RDONLY|O_CLOEXEC) = 3',
  );
  expect((await app.mapsLines()).at(0)).toMatch(/ fe:00 260958 +\/usr\/bin\/true$/);

  // Dropped on the editor, a damaged copy is refused by line and nothing changes.
  const text = await app.scenarioText();
  const data = await page.evaluateHandle(
    (t) => {
      const d = new DataTransfer();
      d.items.add(new File([t], 'cut.json', { type: 'application/json' }));
      return d;
    },
    recording.slice(0, 30000),
  );
  await page
    .getByRole('textbox', { name: 'Scenario' })
    .dispatchEvent('drop', { dataTransfer: data });
  await expect(panel.getByRole('alert')).toContainText(/cut\.json:\d{3}:\d+: not JSON/);
  expect(await app.scenarioText()).toBe(text);
  await expect(panel).toContainText('Compared with true.json');
});
